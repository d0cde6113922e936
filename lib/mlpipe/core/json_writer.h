// Appending NDJSON records to a buffer. Stages build their output lines with it;
// copy_fields() passes through the fields a stage does not own, byte for byte.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/sparse.h"

namespace mlpipe {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Ends the current top-level record with a newline.
  JsonWriter& end_record() {
    out_.push_back('\n');
    return *this;
  }

  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  JsonWriter& number(double v);        // shortest text that reads back the same; null if not finite
  JsonWriter& number(float v);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already-serialised value
  JsonWriter& sparse(const SparseVector& v);  // {"idx":[…],"val":[…]}

  // Copies `fields` (raw values) except those whose key is in `drop`.
  JsonWriter& copy_fields(const std::vector<Field>& fields, std::initializer_list<std::string_view> drop = {});
  JsonWriter& copy_fields(const std::vector<Field>& fields, const std::vector<std::string_view>& drop);

  std::string& buffer() { return out_; }

 private:
  void separate();
  std::string& out_;
  // One flag per open container: true until its first member is written.
  std::vector<bool> first_;
  bool after_key_ = false;
};

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace mlpipe
