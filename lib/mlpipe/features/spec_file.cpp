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
#include "mlpipe/features/spec_reader.h"
#include "mlpipe/features/tokens_json.h"

namespace mlpipe {

namespace fs = std::filesystem;

namespace {


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


// The "vocabulary" object: hashing and its bits, or a fitted vocabulary's file (relative to
// the spec's directory), digest and counts.
void parse_vocabulary(const SpecReader& p, dom::object voc, const std::string& file, FeatureSpec& spec) {
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
std::vector<features::GroupSpec> parse_groups(const SpecReader& p, dom::element value) {
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


}  // namespace

std::string canonical_spec_json(const FeatureSpec& spec) {
  std::string out;
  JsonWriter w(out);
  write_spec(w, spec, spec.vocab.file);
  w.end_record();
  return out;
}

FeatureSpec parse_spec(std::string_view json, const std::string& file) {
  dom::parser parser;
  dom::element doc = parse_spec_document(parser, json, file, 0);
  SpecReader p(file, 0);
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
