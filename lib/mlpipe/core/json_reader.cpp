#include "mlpipe/core/json_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

[[noreturn]] void wrong_type(const Field& f, std::string_view expected) {
  throw Error(fmt::format("field '{}': expected {}, found {}", f.key, expected, type_name(f.type)));
}

// A number's text for a message, cut when long.
std::string_view shown(std::string_view raw) { return raw.size() > 40 ? raw.substr(0, 40) : raw; }

}  // namespace

std::string_view JsonReader::keep_unescaped(std::string_view escaped) {
  if (store_used_ == store_.size()) store_.emplace_back();
  std::string& s = store_[store_used_++];
  s.clear();
  append_unescaped(escaped, s);
  return s;
}

std::vector<Field> JsonReader::to_fields(const std::vector<JsonMember>& members) {
  std::vector<Field> out;
  out.reserve(members.size());
  for (const JsonMember& m : members)
    out.push_back({m.key_escaped ? keep_unescaped(m.key) : m.key, m.value, json_type_of(m.value)});
  return out;
}

const std::vector<Field>& JsonReader::index(const Record& r) {
  fields_.clear();
  members_.clear();
  store_used_ = 0;
  check_json(r.data, &members_);
  std::size_t start = r.data.find_first_not_of(" \t\r\n");
  JsonType t = json_type_of(r.data.substr(start == std::string_view::npos ? r.data.size() : start));
  if (t != JsonType::object) throw Error(fmt::format("expected a JSON object, found {}", type_name(t)));
  fields_ = to_fields(members_);
  return fields_;
}

std::optional<Field> JsonReader::find(std::string_view path) {
  std::vector<Field> nested;
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
    if (!hit) return std::nullopt;
    if (dot == std::string_view::npos) return *hit;
    if (hit->type != JsonType::object) return std::nullopt;
    nested = get_object(*hit);
    level = &nested;
    path.remove_prefix(dot + 1);
  }
}

std::string_view JsonReader::get_string(const Field& f) {
  if (f.type != JsonType::string) wrong_type(f, "a string");
  std::string_view inner = f.raw.substr(1, f.raw.size() - 2);
  return inner.find('\\') == std::string_view::npos ? inner : keep_unescaped(inner);
}

double JsonReader::get_number(const Field& f) {
  if (f.type != JsonType::number) wrong_type(f, "a number");
  double v;
  if (!json_number_to_double(f.raw, v))
    throw Error(fmt::format("field '{}': {} is too large for a double", f.key, shown(f.raw)));
  return v;
}

std::int64_t JsonReader::get_integer(const Field& f) {
  if (f.type != JsonType::number) wrong_type(f, "an integer");
  std::int64_t v;
  if (!json_number_to_int64(f.raw, v))
    throw Error(fmt::format("field '{}': expected an integer, found {}", f.key, shown(f.raw)));
  return v;
}

bool JsonReader::get_bool(const Field& f) {
  if (f.type != JsonType::boolean) wrong_type(f, "true or false");
  return f.raw == "true";
}

std::vector<Field> JsonReader::get_object(const Field& f) {
  if (f.type != JsonType::object) wrong_type(f, "an object");
  std::vector<JsonMember> members;
  object_members(f.raw, members);
  return to_fields(members);
}

void JsonReader::get_numbers(const Field& f, std::vector<double>& out) {
  out.clear();
  if (f.type != JsonType::array) wrong_type(f, "an array of numbers");
  JsonElements elements(f.raw);
  double v;
  for (std::string_view e; elements.next(e);) {
    if (json_type_of(e) != JsonType::number || !json_number_to_double(e, v) || !std::isfinite(v))
      throw Error(fmt::format("field '{}': element {} is not a finite number", f.key, out.size()));
    out.push_back(v);
  }
}

void JsonReader::get_strings(const Field& f, std::vector<std::string>& out) {
  out.clear();
  if (f.type != JsonType::array) wrong_type(f, "an array of strings");
  JsonElements elements(f.raw);
  for (std::string_view e; elements.next(e);) {
    if (json_type_of(e) != JsonType::string)
      throw Error(fmt::format("field '{}': element {} is not a string", f.key, out.size()));
    out.emplace_back();
    append_unescaped(e.substr(1, e.size() - 2), out.back());
  }
}

JsonReader::VectorFacts JsonReader::get_sparse(const Field& f, SparseVector& out) {
  out.clear();
  VectorFacts facts;
  if (f.type == JsonType::array) {
    JsonNumbers elements(f.raw);
    std::uint32_t i = 0;
    double v;
    for (std::string_view e; true;) {
      JsonNumbers::Next next = elements.next_double(v, e);
      if (next == JsonNumbers::Next::end) break;
      if (next == JsonNumbers::Next::other) throw Error(fmt::format("field '{}': element {} is not a number", f.key, i));
      if (next == JsonNumbers::Next::too_large)
        throw Error(fmt::format("field '{}': element {} ({}) is too large for a double", f.key, i, shown(e)));
      if (i == std::numeric_limits<std::uint32_t>::max()) throw Error(fmt::format("field '{}': too many elements", f.key));
      ++i;
      if (!std::isfinite(v)) throw Error(fmt::format("field '{}': element {} is not finite", f.key, i - 1));
      if (v != 0) out.push(i, float(v));
    }
    facts.dense = true;
    facts.dense_values = i;
    return facts;
  }
  if (f.type != JsonType::object) wrong_type(f, "{\"idx\":[…],\"val\":[…]} or an array of numbers");
  bool have_idx = false, have_val = false;
  std::vector<JsonMember> members;
  object_members(f.raw, members);
  for (const JsonMember& m : members) {
    if (m.key == "idx") {
      have_idx = true;
      if (json_type_of(m.value) != JsonType::array) throw Error(fmt::format("field '{}.idx': expected an array", f.key));
      JsonNumbers elements(m.value);
      std::size_t k = 0;
      std::uint64_t v;
      for (std::string_view e; true; ++k) {
        JsonNumbers::Next next = elements.next_index(v, e);
        if (next == JsonNumbers::Next::end) break;
        if (next != JsonNumbers::Next::number || v == 0 ||
            v > std::numeric_limits<std::uint32_t>::max())
          throw Error(fmt::format("field '{}.idx': element {} is not an index from 1 to 4294967295", f.key, k));
        if (!out.idx.empty() && v <= out.idx.back())
          throw Error(fmt::format("field '{}.idx': element {} ({}) is not greater than the one before ({}); "
                                  "indices must be strictly increasing",
                                  f.key, k, v, out.idx.back()));
        out.idx.push_back(std::uint32_t(v));
      }
    } else if (m.key == "spec") {
      if (json_type_of(m.value) != JsonType::string)
        throw Error(fmt::format("field '{}.spec': expected a string (the digest of a feature spec)", f.key));
      facts.spec = m.value.substr(1, m.value.size() - 2);
    } else if (m.key == "val") {
      have_val = true;
      if (json_type_of(m.value) != JsonType::array) throw Error(fmt::format("field '{}.val': expected an array", f.key));
      JsonNumbers elements(m.value);
      std::size_t k = 0;
      double v;
      for (std::string_view e; true; ++k) {
        JsonNumbers::Next next = elements.next_double(v, e);
        if (next == JsonNumbers::Next::end) break;
        if (next != JsonNumbers::Next::number || !std::isfinite(v))
          throw Error(fmt::format("field '{}.val': element {} is not a finite number", f.key, k));
        out.val.push_back(float(v));
      }
    }
  }
  if (!have_idx || !have_val) throw Error(fmt::format("field '{}': expected both \"idx\" and \"val\" arrays", f.key));
  if (out.idx.size() != out.val.size())
    throw Error(fmt::format("field '{}': \"idx\" has {} elements but \"val\" has {}", f.key, out.idx.size(),
                            out.val.size()));
  return facts;
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
