// Writing a feature spec as canonical JSON and reading one back, every key checked.
#include "mlpipe/features/spec_file.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/features/groups.h"
#include "mlpipe/features/stemmer.h"

namespace mlpipe {

namespace fs = std::filesystem;
namespace dom = simdjson::dom;

namespace {

void write_tokens(JsonWriter& w, const TokenSpec& t) {
  w.begin_object();
  w.key("lowercase").string("unicode");
  w.key("stop_words");
  if (t.stop_words == "list") {
    w.begin_array();
    for (const std::string& s : t.stop_list) w.string(s);
    w.end_array();
  } else {
    w.string(t.stop_words);
  }
  w.key("stem").string(t.stem);
  w.key("numbers").string(t.keep_numbers ? "keep" : "normalize");
  w.key("ngrams").integer(t.ngrams);
  w.key("char_ngrams");
  if (t.char_min > 0)
    w.begin_array().integer(t.char_min).integer(t.char_max).end_array();
  else
    w.null();
  w.end_object();
}

void write_spec(JsonWriter& w, const FeatureSpec& spec, const std::string& vocab_file) {
  w.begin_object();
  w.key("mlfeat_spec").integer(kSpecVersion);
  w.key("tokens");
  write_tokens(w, spec.tokens);
  w.key("vocabulary").begin_object();
  if (spec.hashing) {
    w.key("type").string("hashing");
    w.key("hash_bits").integer(spec.hash_bits);
  } else {
    w.key("type").string("fitted");
    w.key("file").string(vocab_file);
    w.key("digest").string(spec.vocab.digest);
    w.key("terms").integer(std::int64_t(spec.vocab.terms));
    w.key("docs").integer(std::int64_t(spec.vocab.docs));
  }
  w.end_object();
  w.key("weight").string(weight_name(spec.weight));
  w.key("norm").string(spec.l2 ? "l2" : "none");
  if (!spec.groups.empty()) {
    w.key("groups").begin_array();
    for (const features::GroupSpec& g : spec.groups) {
      w.begin_object();
      w.key("name").string(g.name);
      for (const auto& [k, v] : g.params) w.key(k).integer(v);
      w.end_object();
    }
    w.end_array();
    w.key("topic_field").string(spec.topic_field);
  }
  if (spec.long_docs > 0) w.key("long_docs").integer(spec.long_docs);
  // Every index a vector may hold, for readers that do not know the groups' sizes (mltrain
  // sizes a model by it, so that a feature no training row had is still inside the model).
  if (!spec.groups.empty() || spec.long_docs > 0)
    w.key("dimension").integer(std::int64_t(features::feature_dimension(spec)));
  w.end_object();
}

// Reads one spec document, naming the file and the key path in every error.
class SpecParser {
 public:
  SpecParser(const std::string& file, std::uint64_t line) : file_(file), line_(line) {}

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

  TokenSpec tokens(dom::object o, const std::string& p) const {
    keys(o, p, {"lowercase", "stop_words", "stem", "numbers", "ngrams", "char_ngrams"});
    TokenSpec t;
    one_of(at(o, "lowercase"), p + ".lowercase", {"unicode"});
    dom::element sw = at(o, "stop_words");
    if (sw.is_array()) {
      t.stop_words = "list";
      dom::array words;
      if (sw.get_array().get(words)) fail(p + ".stop_words", "expected an array");
      for (dom::element word : words) t.stop_list.push_back(string(word, p + ".stop_words"));
      if (!std::is_sorted(t.stop_list.begin(), t.stop_list.end()) ||
          std::adjacent_find(t.stop_list.begin(), t.stop_list.end()) != t.stop_list.end())
        fail(p + ".stop_words", "the words must be sorted and unique");
    } else {
      t.stop_words = one_of(sw, p + ".stop_words", {"none", "english"});
    }
    t.stem = string(at(o, "stem"), p + ".stem");
    try {
      features::check_stemmer_language(t.stem);
    } catch (const Error& e) {
      fail(p + ".stem", fmt::format("unknown stemmer '{}'", t.stem));
    }
    t.keep_numbers = one_of(at(o, "numbers"), p + ".numbers", {"normalize", "keep"}) == "keep";
    t.ngrams = int(integer(at(o, "ngrams"), p + ".ngrams", 1, 16));
    dom::element cg = at(o, "char_ngrams");
    if (!cg.is_null()) {
      dom::array a;
      if (cg.get_array().get(a) || a.size() != 2) fail(p + ".char_ngrams", "expected null or [MIN,MAX]");
      t.char_min = int(integer(a.at(0).value_unsafe(), p + ".char_ngrams", 1, 16));
      t.char_max = int(integer(a.at(1).value_unsafe(), p + ".char_ngrams", t.char_min, 16));
    }
    return t;
  }

 private:
  const std::string& file_;
  std::uint64_t line_;
};

// The "vocabulary" object: hashing and its bits, or a fitted vocabulary's file (relative to
// the spec's directory), digest and counts.
void parse_vocabulary(const SpecParser& p, dom::object voc, const std::string& file, FeatureSpec& spec) {
  std::string type = p.one_of(p.at(voc, "type"), "vocabulary.type", {"hashing", "fitted"});
  if (type == "hashing") {
    p.keys(voc, "vocabulary", {"type", "hash_bits"});
    spec.hashing = true;
    spec.hash_bits = int(p.integer(p.at(voc, "hash_bits"), "vocabulary.hash_bits", 1, 31));
  } else {
    p.keys(voc, "vocabulary", {"type", "file", "digest", "terms", "docs"});
    spec.hashing = false;
    std::string path = p.string(p.at(voc, "file"), "vocabulary.file");
    if (path.empty()) p.fail("vocabulary.file", "empty path");
    fs::path vp(path);
    if (vp.is_relative() && !file.empty()) vp = fs::path(file).parent_path() / vp;
    spec.vocab.file = vp.lexically_normal().string();
    spec.vocab.digest = p.string(p.at(voc, "digest"), "vocabulary.digest");
    if (spec.vocab.digest.size() != 16 || spec.vocab.digest.find_first_not_of("0123456789abcdef") != std::string::npos)
      p.fail("vocabulary.digest", "expected 16 lowercase hex digits");
    spec.vocab.terms = std::uint64_t(p.integer(p.at(voc, "terms"), "vocabulary.terms", 0, INT64_MAX));
    spec.vocab.docs = std::uint64_t(p.integer(p.at(voc, "docs"), "vocabulary.docs", 0, INT64_MAX));
  }
}

// The "groups" array: each group by name, its parameters complete and in canonical order.
std::vector<features::GroupSpec> parse_groups(const SpecParser& p, dom::element value) {
  std::vector<features::GroupSpec> out;
  dom::array groups;
  if (value.get_array().get(groups)) p.fail("groups", "expected an array of group objects");
  if (groups.size() == 0) p.fail("groups", "an empty list (a spec without groups leaves the key out)");
  for (dom::element ge : groups) {
    dom::object go = p.object(ge, "groups");
    features::GroupSpec g;
    for (auto [k, v] : go) {
      if (k == "name") {
        if (!g.name.empty()) p.fail("groups", fmt::format("group '{}': key 'name' appears twice", g.name));
        g.name = p.string(v, "groups.name");
        if (g.name.empty()) p.fail("groups", "a group without a name");
      } else {
        g.params.emplace_back(std::string(k), p.integer(v, "groups." + std::string(k), INT64_MIN, INT64_MAX));
      }
    }
    if (g.name.empty()) p.fail("groups", "a group without a name");
    std::string error;
    features::GroupSpec checked = features::check_group_spec(g, &error);
    if (!error.empty()) p.fail("groups", error);
    if (checked.params != g.params)
      p.fail("groups", fmt::format("group '{}': parameters not in canonical order or "
                                   "incomplete (expected {})",
                                   g.name, features::describe_group(checked)));
    for (const features::GroupSpec& earlier : out)
      if (earlier.name == g.name) p.fail("groups", fmt::format("group '{}' appears twice", g.name));
    out.push_back(std::move(checked));
  }
  return out;
}

dom::element parse_document(dom::parser& parser, std::string_view json, const std::string& file, std::uint64_t line) {
  dom::element doc;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(doc))
    throw Error(file, line, fmt::format("invalid JSON: {}", simdjson::error_message(err)));
  return doc;
}

}  // namespace

std::string tokens_json(const TokenSpec& tokens) {
  std::string out;
  JsonWriter w(out);
  write_tokens(w, tokens);
  return out;
}

std::string canonical_spec_json(const FeatureSpec& spec) {
  std::string out;
  JsonWriter w(out);
  write_spec(w, spec, spec.vocab.file);
  w.end_record();
  return out;
}

TokenSpec parse_tokens_json(std::string_view json, const std::string& file, std::uint64_t line) {
  dom::parser parser;
  dom::element doc = parse_document(parser, json, file, line);
  SpecParser p(file, line);
  return p.tokens(p.object(doc, "tokens"), "tokens");
}

FeatureSpec parse_spec(std::string_view json, const std::string& file) {
  dom::parser parser;
  dom::element doc = parse_document(parser, json, file, 0);
  SpecParser p(file, 0);
  dom::object root;
  if (doc.get_object().get(root)) p.fail("", "expected a JSON object (an mlfeat feature spec)");
  dom::element version;
  if (root["mlfeat_spec"].get(version)) p.fail("", "not an mlfeat feature spec (no key 'mlfeat_spec')");
  std::int64_t v;
  if (version.get_int64().get(v) || v != kSpecVersion)
    p.fail("mlfeat_spec",
           fmt::format("version {} is not supported (expected {})", simdjson::to_string(version), kSpecVersion));
  const bool has_groups = root["groups"].error() == simdjson::SUCCESS;
  if (has_groups)
    p.keys(root, "", {"mlfeat_spec", "tokens", "vocabulary", "weight", "norm", "groups", "topic_field"},
           {"long_docs", "dimension"});
  else
    p.keys(root, "", {"mlfeat_spec", "tokens", "vocabulary", "weight", "norm"}, {"long_docs", "dimension"});

  FeatureSpec spec;
  spec.tokens = p.tokens(p.object(p.at(root, "tokens"), "tokens"), "tokens");
  parse_vocabulary(p, p.object(p.at(root, "vocabulary"), "vocabulary"), file, spec);
  std::string weight = p.one_of(p.at(root, "weight"), "weight", {"binary", "tf", "tfidf", "sublinear"});
  for (Weight w : {Weight::binary, Weight::tf, Weight::tfidf, Weight::sublinear})
    if (weight_name(w) == weight) spec.weight = w;
  if (spec.weight == Weight::tfidf && spec.hashing)
    p.fail("weight", "tfidf needs a fitted vocabulary (vocabulary.type \"fitted\")");
  spec.l2 = p.one_of(p.at(root, "norm"), "norm", {"l2", "none"}) == "l2";
  if (has_groups) {
    spec.groups = parse_groups(p, p.at(root, "groups"));
    spec.topic_field = p.string(p.at(root, "topic_field"), "topic_field");
    if (spec.topic_field.empty()) p.fail("topic_field", "empty field name");
  }
  if (root["long_docs"].error() == simdjson::SUCCESS)
    spec.long_docs = p.integer(p.at(root, "long_docs"), "long_docs", 1, INT32_MAX);
  if (root["dimension"].error() == simdjson::SUCCESS) {
    const std::int64_t d = p.integer(p.at(root, "dimension"), "dimension", 1, INT64_MAX);
    if (std::uint64_t(d) != features::feature_dimension(spec))
      p.fail("dimension", fmt::format("{} differs from the {} indices its vocabulary and groups make", d,
                                      features::feature_dimension(spec)));
  }
  return spec;
}

FeatureSpec read_spec_file(const std::string& path, const FileSource& files) {
  return parse_spec(files.read(path), path);
}

void write_spec_file(const std::string& path, const FeatureSpec& spec) {
  std::string vocab_file = spec.vocab.file;
  if (!spec.hashing) {
    // Relative to the spec's own directory, so the pair can move together.
    std::error_code ec;
    fs::path base = fs::absolute(fs::path(path), ec).parent_path();
    fs::path target = fs::absolute(fs::path(spec.vocab.file), ec);
    if (!ec) vocab_file = target.lexically_normal().lexically_proximate(base.lexically_normal()).string();
  }
  std::string out;
  JsonWriter w(out);
  write_spec(w, spec, vocab_file);
  w.end_record();
  write_file_atomically(path, out);
}

}  // namespace mlpipe
