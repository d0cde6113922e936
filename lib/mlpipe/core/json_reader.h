// Reading fields of NDJSON records with simdjson's on-demand parser.
//
// A reader indexes the top-level fields of a record once (key, raw value text, type);
// stages then read only the values they need, and copy the others through verbatim.
// One JsonReader per thread: it owns simdjson parsers and scratch buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/record.h"
#include "mlpipe/core/sparse.h"

namespace mlpipe {

enum class JsonType : std::uint8_t { object, array, string, number, boolean, null };
std::string_view type_name(JsonType t);

struct Field {
  std::string_view key;  // unescaped; valid until the reader indexes another record
  std::string_view raw;  // the value's JSON text, inside the record's buffer
  JsonType type = JsonType::null;
};

class JsonReader {
 public:
  JsonReader();
  ~JsonReader();
  JsonReader(JsonReader&&) noexcept;
  JsonReader& operator=(JsonReader&&) noexcept;

  // Indexes the top-level fields of `r`, which must be a JSON object.
  // Throws Error (without location: the caller knows it) on invalid JSON.
  const std::vector<Field>& index(const Record& r);
  const std::vector<Field>& fields() const { return fields_; }

  // The top-level field named `key`, or a dotted path ("meta.label") into nested
  // objects; nullptr when absent.
  const Field* find(std::string_view path);

  // Typed values of a field of the current record. Each throws
  // Error("field 'NAME': expected …") when the value has another type.
  std::string_view get_string(const Field& f);  // valid until the next get_* call
  double get_number(const Field& f);
  std::int64_t get_integer(const Field& f);
  bool get_bool(const Field& f);
  // `features` as {"idx":[…],"val":[…]} (indices strictly increasing, >= 1), or a dense
  // array of numbers (index i+1 for element i; zeros left out).
  void get_sparse(const Field& f, SparseVector& out);
  // An array of finite numbers, in double precision (model parameters, not features).
  void get_numbers(const Field& f, std::vector<double>& out);
  // An array of strings (unescaped).
  void get_strings(const Field& f, std::vector<std::string>& out);
  // Members of an object-valued field, in order.
  const std::vector<Field>& get_object(const Field& f);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<Field> fields_;
  std::vector<Field> nested_;
  Field path_field_;
  const Record* record_ = nullptr;
};

}  // namespace mlpipe

namespace mlpipe {

// A JSON object that is a whole file or string (a spec, a model's sidecar), read with a
// JsonReader like a record.
class JsonText {
 public:
  // Keeps a padded copy of `text` without its trailing white space and indexes it; invalid
  // JSON or a non-object throws Error located at `name`.
  JsonText(std::string_view text, std::string name);
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  JsonReader& reader() { return reader_; }
  // The object's text, trailing white space dropped.
  std::string_view text() const { return record_.data; }

 private:
  std::string name_;
  std::string buf_;
  Record record_;
  JsonReader reader_;
};

}  // namespace mlpipe
