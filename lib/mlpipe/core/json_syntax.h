// JSON text as RFC 8259 defines it: checking a whole document, then walking text that
// has been checked.
//
// Every record is checked in full before a stage reads any field, so a field a stage
// only copies through is held to the same rules as one it reads: an invalid record is
// an error (or a counted skip), never invalid output. Checking reports the top-level
// members of an object on the way, which is all the indexing a record needs; values
// are converted only when a stage asks for them, so a number no tool reads is never
// reinterpreted (1e400 is valid JSON; it fails only where a double is needed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe {

enum class JsonType : std::uint8_t { object, array, string, number, boolean, null };
std::string_view type_name(JsonType t);

// Containers nested deeper than this are refused (RFC 8259 lets a parser set the limit;
// checking is iterative, so the limit guards memory, not the stack).
inline constexpr std::size_t kMaxJsonDepth = 1024;

// A member of an object as it appears in checked text.
struct JsonMember {
  std::string_view key;    // between the quotes, still escaped
  std::string_view value;  // the value's text
  bool key_escaped = false;
};

// Throws Error("invalid JSON at column N: …") unless `text` is exactly one JSON value
// (white space around it allowed) in valid UTF-8, with every \u escape of a surrogate
// paired and at most kMaxJsonDepth levels of nesting. When the value is an object and
// `members` is not null, its top-level members are appended to it.
void check_json(std::string_view text, std::vector<JsonMember>* members = nullptr);

// The rest of this header walks text that check_json accepted; given anything else its
// results are unspecified (but it stays inside the text).

// The type of a value from its first character.
JsonType json_type_of(std::string_view value);

// The members of a checked object, appended to `out`.
void object_members(std::string_view object, std::vector<JsonMember>& out);

// The elements of a checked array, in order.
class JsonElements {
 public:
  explicit JsonElements(std::string_view array);
  // The next element's text; false after the last one.
  bool next(std::string_view& element);

 private:
  std::string_view rest_;
};

// The elements of a checked array read as numbers where they lie (the hot path of feature
// vectors, which need no general walk).
class JsonNumbers {
 public:
  explicit JsonNumbers(std::string_view array);
  // `end` after the last element; `other` when the next element is not of the kind asked for
  // (the caller says which element), `too_large` for a number no double holds.
  enum class Next { number, end, other, too_large };
  // The next element as a double, and its text.
  Next next_double(double& value, std::string_view& number);
  // The next element as a whole number without fraction or exponent, and its text.
  Next next_index(std::uint64_t& value, std::string_view& number);

 private:
  const char* p_;
  const char* end_;
};

// Appends the text a string's escaped contents (between its quotes) stand for.
void append_unescaped(std::string_view escaped, std::string& out);

// A checked number as a double. Returns false when its magnitude is too large for one
// (a value too small becomes a signed zero, as it would in any conversion).
bool json_number_to_double(std::string_view number, double& out);

// A checked number as an integer; false when it has a fraction or an exponent, or does
// not fit.
bool json_number_to_int64(std::string_view number, std::int64_t& out);

}  // namespace mlpipe
