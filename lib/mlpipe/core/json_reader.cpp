#include "mlpipe/core/json_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <simdjson.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace od = simdjson::ondemand;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING, "record buffers must satisfy simdjson's padding");

std::string_view type_name(JsonType t) {
  switch (t) {
    case JsonType::object: return "an object";
    case JsonType::array: return "an array";
    case JsonType::string: return "a string";
    case JsonType::number: return "a number";
    case JsonType::boolean: return "a boolean";
    case JsonType::null: return "null";
  }
  return "a value";
}

namespace {

[[noreturn]] void invalid_json(simdjson::error_code code) {
  throw Error(fmt::format("invalid JSON: {}", simdjson::error_message(code)));
}

template <typename T>
T check(simdjson::simdjson_result<T>&& r) {
  T value;
  if (auto err = std::move(r).get(value)) invalid_json(err);
  return value;
}

JsonType to_type(od::json_type t) {
  switch (t) {
    case od::json_type::object: return JsonType::object;
    case od::json_type::array: return JsonType::array;
    case od::json_type::string: return JsonType::string;
    case od::json_type::number: return JsonType::number;
    case od::json_type::boolean: return JsonType::boolean;
    case od::json_type::null: return JsonType::null;
  }
  return JsonType::null;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Reads the members of an object into `out`, recording each value's raw JSON text.
void index_object(od::object obj, std::vector<Field>& out) {
  out.clear();
  for (auto member : obj) {
    od::field f = check(std::move(member));
    Field field;
    field.key = check(f.unescaped_key());
    od::value v = f.value();
    field.type = to_type(check(v.type()));
    switch (field.type) {
      case JsonType::object: field.raw = check(check(v.get_object()).raw_json()); break;
      case JsonType::array: field.raw = check(check(v.get_array()).raw_json()); break;
      default: {
        field.raw = trim_right(v.raw_json_token());
        // Scalars are validated here, not when read: a bad literal must not pass through.
        if (field.type == JsonType::number) {
          double d;
          if (auto err = v.get_double().get(d)) invalid_json(err);
        } else if (field.type == JsonType::boolean) {
          bool b;
          if (auto err = v.get_bool().get(b)) invalid_json(err);
        } else if (field.type == JsonType::null) {
          if (!check(v.is_null())) invalid_json(simdjson::N_ATOM_ERROR);
        } else {
          std::string_view s;
          if (auto err = v.get_string().get(s)) invalid_json(err);
        }
      }
    }
    out.push_back(field);
  }
}

}  // namespace

struct JsonReader::Impl {
  od::parser record_parser;
  od::parser value_parser;
  od::document value_doc;
  std::string scratch;
};

JsonReader::JsonReader() : impl_(std::make_unique<Impl>()) {}
JsonReader::~JsonReader() = default;
JsonReader::JsonReader(JsonReader&&) noexcept = default;
JsonReader& JsonReader::operator=(JsonReader&&) noexcept = default;

const std::vector<Field>& JsonReader::index(const Record& r) {
  record_ = &r;
  fields_.clear();
  simdjson::padded_string_view json(r.data.data(), r.data.size(), r.readable);
  od::document doc = check(impl_->record_parser.iterate(json));
  od::json_type t = check(doc.type());
  if (t != od::json_type::object) {
    // Say "invalid JSON" for text that is not JSON at all ("not json" starts like null).
    bool valid = true;
    switch (t) {
      case od::json_type::null: valid = !doc.is_null().error() && doc.is_null().value_unsafe(); break;
      case od::json_type::boolean: valid = !doc.get_bool().error(); break;
      case od::json_type::number: valid = !doc.get_double().error(); break;
      case od::json_type::string: valid = !doc.get_string().error(); break;
      default: break;
    }
    if (!valid) throw Error("invalid JSON: not a JSON value");
    throw Error(fmt::format("expected a JSON object, found {}", type_name(to_type(t))));
  }
  index_object(check(doc.get_object()), fields_);
  // Anything after the closing brace is a second value on one line.
  const char* end = nullptr;
  if (!doc.current_location().get(end))
    throw Error("invalid JSON: unexpected content after the object");
  return fields_;
}

namespace {

// Parses one value's raw text as a document of its own.
od::document& reparse(od::parser& parser, od::document& doc, const Record& record, const Field& f) {
  std::size_t offset = std::size_t(f.raw.data() - record.data.data());
  simdjson::padded_string_view json(f.raw.data(), f.raw.size(), record.readable - offset);
  doc = check(parser.iterate(json));
  return doc;
}

[[noreturn]] void wrong_type(const Field& f, std::string_view expected) {
  throw Error(fmt::format("field '{}': expected {}, found {}", f.key, expected, type_name(f.type)));
}

}  // namespace

const Field* JsonReader::find(std::string_view path) {
  const std::vector<Field>* level = &fields_;
  while (true) {
    std::size_t dot = path.find('.');
    std::string_view head = path.substr(0, dot);
    const Field* hit = nullptr;
    for (const Field& f : *level) {
      if (f.key == head) {
        hit = &f;
        break;
      }
    }
    if (!hit || dot == std::string_view::npos) {
      if (hit && level != &fields_) {
        path_field_ = *hit;
        return &path_field_;
      }
      return hit;
    }
    if (hit->type != JsonType::object) return nullptr;
    // Walk into the nested object; its members replace the previous level.
    Field parent = *hit;
    level = &get_object(parent);
    path.remove_prefix(dot + 1);
  }
}

std::string_view JsonReader::get_string(const Field& f) {
  if (f.type != JsonType::string) wrong_type(f, "a string");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  return check(doc.get_string());
}

double JsonReader::get_number(const Field& f) {
  if (f.type != JsonType::number) wrong_type(f, "a number");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  return check(doc.get_double());
}

std::int64_t JsonReader::get_integer(const Field& f) {
  if (f.type != JsonType::number) wrong_type(f, "an integer");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  std::int64_t v;
  if (doc.get_int64().get(v)) throw Error(fmt::format("field '{}': expected an integer, found {}", f.key, f.raw));
  return v;
}

bool JsonReader::get_bool(const Field& f) {
  if (f.type != JsonType::boolean) wrong_type(f, "true or false");
  return f.raw == "true";
}

const std::vector<Field>& JsonReader::get_object(const Field& f) {
  if (f.type != JsonType::object) wrong_type(f, "an object");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  index_object(check(doc.get_object()), nested_);
  return nested_;
}

void JsonReader::get_numbers(const Field& f, std::vector<double>& out) {
  out.clear();
  if (f.type != JsonType::array) wrong_type(f, "an array of numbers");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  for (auto element : check(doc.get_array())) {
    double v;
    if (check(std::move(element)).get_double().get(v) || !std::isfinite(v))
      throw Error(fmt::format("field '{}': element {} is not a finite number", f.key, out.size()));
    out.push_back(v);
  }
}

void JsonReader::get_strings(const Field& f, std::vector<std::string>& out) {
  out.clear();
  if (f.type != JsonType::array) wrong_type(f, "an array of strings");
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  for (auto element : check(doc.get_array())) {
    std::string_view v;
    if (check(std::move(element)).get_string().get(v))
      throw Error(fmt::format("field '{}': element {} is not a string", f.key, out.size()));
    out.emplace_back(v);
  }
}

void JsonReader::get_sparse(const Field& f, SparseVector& out) {
  out.clear();
  auto& doc = reparse(impl_->value_parser, impl_->value_doc, *record_, f);
  if (f.type == JsonType::array) {
    std::uint32_t i = 0;
    for (auto element : check(doc.get_array())) {
      double v;
      if (check(std::move(element)).get_double().get(v))
        throw Error(fmt::format("field '{}': element {} is not a number", f.key, i));
      if (i == std::numeric_limits<std::uint32_t>::max())
        throw Error(fmt::format("field '{}': too many elements", f.key));
      ++i;
      if (!std::isfinite(v)) throw Error(fmt::format("field '{}': element {} is not finite", f.key, i - 1));
      if (v != 0) out.push(i, float(v));
    }
    return;
  }
  if (f.type != JsonType::object)
    wrong_type(f, "{\"idx\":[…],\"val\":[…]} or an array of numbers");
  bool have_idx = false, have_val = false;
  for (auto member : check(doc.get_object())) {
    od::field m = check(std::move(member));
    std::string_view key = check(m.unescaped_key());
    if (key == "idx") {
      have_idx = true;
      std::size_t k = 0;
      od::array arr;
      if (m.value().get_array().get(arr)) throw Error(fmt::format("field '{}.idx': expected an array", f.key));
      for (auto element : arr) {
        std::uint64_t v;
        if (check(std::move(element)).get_uint64().get(v) || v == 0 || v > std::numeric_limits<std::uint32_t>::max())
          throw Error(fmt::format("field '{}.idx': element {} is not an index from 1 to 4294967295", f.key, k));
        if (!out.idx.empty() && v <= out.idx.back())
          throw Error(fmt::format("field '{}.idx': element {} ({}) is not greater than the one before ({}); "
                                  "indices must be strictly increasing",
                                  f.key, k, v, out.idx.back()));
        out.idx.push_back(std::uint32_t(v));
        ++k;
      }
    } else if (key == "val") {
      have_val = true;
      std::size_t k = 0;
      od::array arr;
      if (m.value().get_array().get(arr)) throw Error(fmt::format("field '{}.val': expected an array", f.key));
      for (auto element : arr) {
        double v;
        if (check(std::move(element)).get_double().get(v) || !std::isfinite(v))
          throw Error(fmt::format("field '{}.val': element {} is not a finite number", f.key, k));
        out.val.push_back(float(v));
        ++k;
      }
    }
  }
  if (!have_idx || !have_val)
    throw Error(fmt::format("field '{}': expected both \"idx\" and \"val\" arrays", f.key));
  if (out.idx.size() != out.val.size())
    throw Error(fmt::format("field '{}': \"idx\" has {} elements but \"val\" has {}", f.key, out.idx.size(),
                            out.val.size()));
}

}  // namespace mlpipe

namespace mlpipe {

JsonText::JsonText(std::string_view text, std::string name) : name_(std::move(name)) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  buf_.reserve(text.size() + kJsonPadding);
  buf_.assign(text);
  record_.data = buf_;
  record_.readable = buf_.capacity();
  record_.source = &name_;
  record_.line = 0;
  try {
    reader_.index(record_);
  } catch (Error& e) {
    e.locate(name_, 0);
    throw;
  }
}

}  // namespace mlpipe
