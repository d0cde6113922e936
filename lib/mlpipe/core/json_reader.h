// Reading fields of NDJSON records.
//
// A reader checks a whole record against RFC 8259 (core/json_syntax.h) and indexes its
// top-level fields (key, raw value text, type) in the same pass; stages then read only the
// values they need, and copy the others through verbatim, knowing they are valid JSON.
// Everything a reader returns (fields, keys, strings) stays valid until it indexes the next
// record: views into the record or into the reader's own store, never into a scratch buffer
// a later call overwrites. One JsonReader per thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_syntax.h"
#include "mlpipe/core/record.h"
#include "mlpipe/core/sparse.h"

namespace mlpipe {

struct Field {
  std::string_view key;  // unescaped
  std::string_view raw;  // the value's JSON text
  JsonType type = JsonType::null;
};

class JsonReader {
 public:
  // Checks and indexes `r`, which must be one JSON object. Throws Error (without location:
  // the caller knows it) on invalid JSON or another type of value.
  const std::vector<Field>& index(const Record& r);
  const std::vector<Field>& fields() const { return fields_; }

  // The top-level field named `key`, or a dotted path ("meta.label") into nested objects;
  // nothing when absent. The first of repeated names wins.
  std::optional<Field> find(std::string_view path);

  // Typed values of a field of the current record. Each throws
  // Error("field 'NAME': expected …") when the value has another type.
  std::string_view get_string(const Field& f);
  double get_number(const Field& f);  // also refuses a number too large for a double
  std::int64_t get_integer(const Field& f);
  bool get_bool(const Field& f);
  // `features` as {"idx":[…],"val":[…]} (indices strictly increasing, >= 1), or a dense
  // array of numbers (index i+1 for element i; zeros left out). Returns what else the
  // vector says of itself.
  struct VectorFacts {
    std::string_view spec;     // the digest of the spec it was made with (core/spec_digest.h), "" when none
    std::size_t dense_values = 0;  // a dense array's length, zeros included; 0 for the sparse form
    bool dense = false;
  };
  VectorFacts get_sparse(const Field& f, SparseVector& out);
  // An array of finite numbers, in double precision (model parameters, not features).
  void get_numbers(const Field& f, std::vector<double>& out);
  // An array of strings (unescaped).
  void get_strings(const Field& f, std::vector<std::string>& out);
  // Members of an object-valued field, in order.
  std::vector<Field> get_object(const Field& f);

 private:
  std::vector<Field> to_fields(const std::vector<JsonMember>& members);
  // Unescaped text, kept until the next record is indexed.
  std::string_view keep_unescaped(std::string_view escaped);

  std::vector<Field> fields_;
  std::vector<JsonMember> members_;
  std::deque<std::string> store_;  // a deque: growing it never moves the strings handed out
  std::size_t store_used_ = 0;
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
