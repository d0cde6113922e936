#include "mlpipe/pairs/pair_features.h"

#include <cmath>

#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/sparse.h"
#include "mlpipe/features/groups.h"
#include "mlpipe/features/spec_file.h"

namespace mlpipe {

const std::vector<std::string_view> kPairFeatureNames = {
    "cosine",            // cosine similarity of the two feature vectors
    "shared_log1p",      // log(1 + features both sides have): shared stems
    "jaccard",           // shared / features either side has
    "same_doc",          // 1 when both sides name the same doc
    "distance_inverse",  // 1 / (1 + |sent difference|), same doc only
    "distance_log1p",    // log(1 + |sent difference|), same doc only
    "adjacent",          // 1 when the sentences are neighbours
    "order",             // +1 left before right, -1 after (same doc)
    "same_para",         // 1 when both are in one paragraph of one doc
};

const std::vector<std::string_view> kCrossedFeatureNames = {
    "x.product",      "x.sqrt_product",  "x.logit_left",     "x.logit_right",    "x.logit_sum",
    "x.distance=0",   "x.distance=1",    "x.distance<=3",    "x.distance<=7",    "x.distance<=20",
    "x.distance>20",  "x.product&d=0",   "x.product&d=1",    "x.product&d<=3",   "x.product&d<=7",
    "x.product&d<=20", "x.product&d>20", "x.product&same_para", "x.product&cosine",
};

const std::vector<std::string_view> kLongDocFeatureNames = {
    "long.doc",        "long.distance_inverse", "long.same_para", "long.product",
    "long.logit_sum",  "long.left",             "long.right",
};

std::vector<std::string> PairSpec::pair_feature_names() const {
  std::vector<std::string> names(kPairFeatureNames.begin(), kPairFeatureNames.end());
  for (const auto& s : side_scores) names.push_back("left." + s);
  for (const auto& s : side_scores) names.push_back("right." + s);
  if (crossed) names.insert(names.end(), kCrossedFeatureNames.begin(), kCrossedFeatureNames.end());
  if (long_docs > 0) names.insert(names.end(), kLongDocFeatureNames.begin(), kLongDocFeatureNames.end());
  return names;
}

std::string canonical_pair_spec_json(const PairSpec& spec) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("mllink_pairs").integer(kPairSpecVersion);
  w.key("dim").integer(spec.dim);
  w.key("side_scores").begin_array();
  for (const auto& s : spec.side_scores) w.string(s);
  w.end_array();
  w.key("layout").begin_object();
  w.key("left").begin_array().integer(1).integer(spec.dim).end_array();
  w.key("right").begin_array().integer(std::int64_t(spec.right_base()) + 1).integer(std::int64_t(spec.dim) * 2).end_array();
  w.key("pair")
      .begin_array()
      .integer(std::int64_t(spec.pair_base()) + 1)
      .integer(std::int64_t(spec.max_index()))
      .end_array();
  w.end_object();
  w.key("pair_features").begin_array();
  for (const auto& s : spec.pair_feature_names()) w.string(s);
  w.end_array();
  w.key("features");
  if (spec.features.empty())
    w.null();
  else
    w.raw(spec.features);
  if (spec.crossed) w.key("crossed").boolean(true);  // absent in specs without (older ones too)
  if (spec.long_docs > 0) w.key("long_docs").integer(spec.long_docs);
  if (spec.pair_only) w.key("pair_only").boolean(true);
  w.end_object();
  out.push_back('\n');
  return out;
}

namespace {

namespace dom = simdjson::dom;

dom::element parse_json(dom::parser& parser, std::string_view json, const std::string& name, std::string_view what) {
  dom::element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root))
    throw Error(name, 0, fmt::format("{}: invalid JSON: {}", what, simdjson::error_message(err)));
  if (!root.is_object()) throw Error(name, 0, fmt::format("{}: expected a JSON object", what));
  return root;
}

}  // namespace

bool is_pair_spec(std::string_view json) { return json.find("\"mllink_pairs\"") != std::string_view::npos; }

PairSpec parse_pair_spec(std::string_view json, const std::string& name) {
  dom::parser parser;
  dom::element root = parse_json(parser, json, name, "pair spec");
  auto bad = [&](std::string_view what) { return Error(name, 0, fmt::format("pair spec: {}", what)); };
  std::int64_t version;
  if (root["mllink_pairs"].get_int64().get(version)) throw bad("no \"mllink_pairs\" version (not a pair spec)");
  if (version != kPairSpecVersion)
    throw bad(fmt::format("version {} (this mllink reads version {})", version, kPairSpecVersion));
  PairSpec spec;
  std::uint64_t dim;
  if (root["dim"].get_uint64().get(dim) || dim == 0 || dim > kMaxPairDim)
    throw bad("\"dim\" must be a whole number from 1 to 2^29");
  spec.dim = std::uint32_t(dim);
  dom::array scores;
  if (root["side_scores"].get_array().get(scores)) throw bad("\"side_scores\" must be an array of names");
  spec.side_scores.clear();
  for (dom::element e : scores) {
    std::string_view s;
    if (e.get_string().get(s)) throw bad("\"side_scores\" must be an array of names");
    spec.side_scores.emplace_back(s);
  }
  dom::element crossed;
  if (!root["crossed"].get(crossed)) {
    bool c = false;
    if (crossed.get_bool().get(c)) throw bad("\"crossed\" must be true or false");
    spec.crossed = c;
  }
  dom::element pair_only;
  if (!root["pair_only"].get(pair_only)) {
    bool c = false;
    if (pair_only.get_bool().get(c)) throw bad("\"pair_only\" must be true or false");
    spec.pair_only = c;
  }
  if (spec.crossed && spec.side_scores.size() < 2)
    throw bad("\"crossed\" needs two side scores (the left side's first, the right side's second)");
  dom::element long_docs;
  if (!root["long_docs"].get(long_docs)) {
    std::int64_t n = 0;
    if (long_docs.get_int64().get(n) || n < 1) throw bad("\"long_docs\" must be a whole number above 0");
    spec.long_docs = n;
  }
  dom::array names;
  if (root["pair_features"].get_array().get(names)) throw bad("\"pair_features\" must be an array of names");
  std::vector<std::string> want = spec.pair_feature_names();
  std::size_t i = 0;
  for (dom::element e : names) {
    std::string_view s;
    if (e.get_string().get(s) || i >= want.size() || s != want[i])
      throw bad(fmt::format("\"pair_features\" differ from this mllink's at position {} (expected {})", i,
                            i < want.size() ? want[i] : std::string("no more")));
    ++i;
  }
  if (i != want.size()) throw bad(fmt::format("\"pair_features\" has {} names, expected {}", i, want.size()));
  dom::element features;
  if (!root["features"].get(features) && !features.is_null()) spec.features = simdjson::minify(features);
  spec.similarity_limit = similarity_limit_of(spec.features, name);
  return spec;
}

PairSpec read_pair_spec_file(const std::string& path, const FileSource& files) {
  return parse_pair_spec(files.read(path), path);
}

// Only a spec with feature groups needs reading whole; the word block's size is enough otherwise
// (and older, partial specs keep working).
std::uint32_t similarity_limit_of(const std::string& features, const std::string& name) {
  if (features.find("\"groups\"") == std::string::npos && features.find("\"long_docs\"") == std::string::npos)
    return UINT32_MAX;
  const FeatureSpec spec = parse_spec(features, name);
  return spec.groups.empty() && spec.long_docs <= 0 ? UINT32_MAX : std::uint32_t(features::word_dimension(spec));
}

std::int64_t long_docs_of(const std::string& features, const std::string& name) {
  if (features.find("\"long_docs\"") == std::string::npos) return 0;
  return parse_spec(features, name).long_docs;
}

std::uint32_t dim_of_feature_spec(std::string_view json, const std::string& name, std::string& canonical) {
  dom::parser parser;
  dom::element root = parse_json(parser, json, name, "feature spec");
  std::uint64_t dim = 0;
  dom::element groups, long_docs;
  if (!root["groups"].get(groups) || !root["long_docs"].get(long_docs)) {
    // The whole side: the word block and every feature group's block after it.
    dim = features::feature_dimension(parse_spec(json, name));
  } else {
    dom::object vocab;
    if (root["vocabulary"].get_object().get(vocab)) throw Error(name, 0, "feature spec: no \"vocabulary\" object");
    std::string_view type;
    if (vocab["type"].get_string().get(type)) throw Error(name, 0, "feature spec: no \"vocabulary.type\"");
    if (type == "hashing") {
      std::uint64_t bits;
      if (vocab["hash_bits"].get_uint64().get(bits) || bits == 0 || bits > 31)
        throw Error(name, 0, "feature spec: \"hash_bits\" must be from 1 to 31");
      dim = std::uint64_t(1) << bits;
    } else if (type == "fitted") {
      if (vocab["terms"].get_uint64().get(dim) || dim == 0)
        throw Error(name, 0, "feature spec: \"terms\" must be a whole number above 0");
    } else {
      throw Error(name, 0, fmt::format("feature spec: unknown vocabulary type '{}'", type));
    }
  }
  if (dim > kMaxPairDim)
    throw Error(name, 0, fmt::format("feature spec: {} features per side is too many for pair features (at most "
                                     "2^29: two sides and the pair features must fit libsvm's indices, below 2^31)",
                                     dim));
  canonical = simdjson::minify(root);
  return std::uint32_t(dim);
}

namespace {

double clamp01(double p) { return p < 0 ? 0.0 : (p > 1 ? 1.0 : p); }
double logit(double p) {
  p = p < 1e-4 ? 1e-4 : (p > 1 - 1e-4 ? 1 - 1e-4 : p);
  return std::log(p / (1 - p));
}

// kCrossedFeatureNames' values, written from `v` on.
void add_crossed(double left_score, double right_score, const PairOnly& pair, double* v) {
  const double pl = clamp01(left_score), pr = clamp01(right_score), product = pl * pr;
  v[0] = product;
  v[1] = std::sqrt(product);
  v[2] = logit(pl);
  v[3] = logit(pr);
  v[4] = v[2] + v[3];
  if (pair.has_distance) {
    const std::int64_t d = pair.distance;
    const int bucket = d == 0 ? 0 : d == 1 ? 1 : d <= 3 ? 2 : d <= 7 ? 3 : d <= 20 ? 4 : 5;
    v[5 + bucket] = 1;
    v[11 + bucket] = product;
  }
  v[17] = product * pair.values[8];  // same paragraph
  v[18] = product * pair.values[0];  // cosine
}

}  // namespace

void compute_pair_only(const PairSpec& spec, const PairSide& l, const PairSide& r, PairOnly& out) {
  out.values.assign(spec.pair_count(), 0.0);
  const auto [dot, shared] = overlap(l.features, r.features, spec.similarity_limit);
  std::size_t either = l.similar + r.similar - shared;
  out.shared = shared;
  out.same_doc = !l.doc.empty() && l.doc == r.doc;
  out.has_distance = out.same_doc && l.has_sent && r.has_sent;
  out.distance = out.has_distance ? std::llabs(l.sent - r.sent) : 0;
  double* v = out.values.data();
  v[0] = l.norm > 0 && r.norm > 0 ? dot / (l.norm * r.norm) : 0;
  v[1] = std::log1p(double(shared));
  v[2] = either > 0 ? double(shared) / double(either) : 0;
  v[3] = out.same_doc ? 1 : 0;
  if (out.has_distance) {
    v[4] = 1.0 / (1.0 + double(out.distance));
    v[5] = std::log1p(double(out.distance));
    v[6] = out.distance == 1 ? 1 : 0;
    v[7] = l.sent < r.sent ? 1 : (l.sent > r.sent ? -1 : 0);
  }
  v[8] = out.same_doc && l.has_para && r.has_para && l.para == r.para ? 1 : 0;
  std::size_t k = kPairFeatureNames.size();
  for (double s : l.scores) v[k++] = s;
  for (double s : r.scores) v[k++] = s;
  if (spec.crossed) {
    add_crossed(l.scores[0], r.scores[1], out, v + k);
    k += kCrossedFeatureNames.size();
  }
  if (spec.long_docs > 0 && (l.doc_sents < 0 || l.doc_sents > spec.long_docs)) {
    const double pl = l.scores.empty() ? 0 : l.scores[0];
    const double pr = r.scores.size() < 2 ? 0 : r.scores[1];
    v[k] = 1;
    v[k + 1] = v[4];  // distance_inverse
    v[k + 2] = v[8];  // same_para
    v[k + 3] = clamp01(pl) * clamp01(pr);
    v[k + 4] = logit(pl) + logit(pr);
    v[k + 5] = pl;
    v[k + 6] = pr;
  }
}

void assemble_pair_vector(const PairSpec& spec, const PairSide& l, const PairSide& r, const PairOnly& pair,
                          SparseVector& out) {
  out.clear();
  out.idx.reserve(l.features.size() + r.features.size() + pair.values.size());
  out.val.reserve(out.idx.capacity());
  if (!spec.pair_only) {
    for (std::size_t i = 0; i < l.features.size(); ++i) out.push(l.features.idx[i], l.features.val[i]);
    for (std::size_t i = 0; i < r.features.size(); ++i)
      out.push(spec.right_base() + r.features.idx[i], r.features.val[i]);
  }
  std::uint32_t base = spec.pair_base() + 1;
  for (std::size_t k = 0; k < pair.values.size(); ++k)
    if (pair.values[k] != 0) out.push(base + std::uint32_t(k), float(pair.values[k]));
}

}  // namespace mlpipe
