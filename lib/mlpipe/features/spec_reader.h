// Reading the JSON of a feature spec, the way spec_file.h and tokens_json.h both need it:
// each value checked for its type and range, each object for its keys, and every error
// naming the file, the line and the key path ("key 'tokens.ngrams': expected an integer
// from 1 to 16"). Internal to the features module: it brings simdjson's DOM in.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/features/spec.h"

namespace mlpipe {

namespace dom = simdjson::dom;

// Reads a spec document, naming the file, its line and the key path in every error.
class SpecReader {
 public:
  SpecReader(const std::string& file, std::uint64_t line) : file_(file), line_(line) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(file_, line_, key.empty() ? what : fmt::format("key '{}': {}", key, what));
  }

  // Checks that `obj` has exactly the keys `want`.
  // The keys of `obj`: every one of `want`, and any of `optional`.
  void keys(dom::object obj, const std::string& where, std::initializer_list<std::string_view> want,
            std::initializer_list<std::string_view> optional = {}) const {
    std::set<std::string_view> seen;
    for (auto [k, v] : obj) {
      if (std::find(want.begin(), want.end(), k) == want.end() &&
          std::find(optional.begin(), optional.end(), k) == optional.end())
        fail(where, fmt::format("unknown key '{}' (expected {})", k, fmt::join(want, ", ")));
      if (!seen.insert(k).second) fail(where, fmt::format("key '{}' appears twice", k));
    }
    for (std::string_view k : want)
      if (!seen.count(k)) fail(where, fmt::format("missing key '{}'", k));
  }
  dom::element at(dom::object obj, std::string_view key) const {
    dom::element e;
    if (obj[key].get(e)) fail(std::string(key), "missing");
    return e;
  }
  std::string string(dom::element e, const std::string& key) const {
    std::string_view s;
    if (e.get_string().get(s)) fail(key, "expected a string");
    return std::string(s);
  }
  std::string one_of(dom::element e, const std::string& key, std::initializer_list<std::string_view> values) const {
    std::string s = string(e, key);
    if (std::find(values.begin(), values.end(), s) == values.end())
      fail(key, fmt::format("'{}' is not one of {}", s, fmt::join(values, ", ")));
    return s;
  }
  std::int64_t integer(dom::element e, const std::string& key, std::int64_t lo, std::int64_t hi) const {
    std::int64_t v;
    if (e.get_int64().get(v) || v < lo || v > hi) fail(key, fmt::format("expected an integer from {} to {}", lo, hi));
    return v;
  }
  dom::object object(dom::element e, const std::string& key) const {
    dom::object o;
    if (e.get_object().get(o)) fail(key, "expected an object");
    return o;
  }

  // The "tokens" object at key path `p` (a spec's, or a vocabulary file's).
  TokenSpec tokens(dom::object o, const std::string& p) const;

 private:
  const std::string& file_;
  std::uint64_t line_;
};

// Parses `json` as one document into `parser`; invalid JSON is an Error(file, line, …).
dom::element parse_spec_document(dom::parser& parser, std::string_view json, const std::string& file, std::uint64_t line);

}  // namespace mlpipe
