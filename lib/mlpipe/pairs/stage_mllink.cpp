// See stage_mllink.h. The stage holds the settings and what scoring takes of the link model
// in use (LinkScoring, replaced whole between batches); a worker reads them through the
// stage's accessors, keeps each side record it parsed (a side is in many pairs), and writes
// training pairs, links, or a key's best links once the key ends.
#include "mlpipe/pairs/stage_mllink.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/record_fields.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/threshold_units.h"
#include "mlpipe/pairs/top_k.h"

namespace mlpipe {

namespace {

std::string describe_layout(const PairSpec& s) {
  std::string scores;
  for (const auto& n : s.side_scores) scores += (scores.empty() ? "" : ",") + n;
  return fmt::format("dim {}, side scores '{}'{}{}", s.dim, scores, s.crossed ? ", crossed" : "",
                     s.features.empty() ? "" : ", with a feature spec");
}

// The class of a link model that means "linked", which its scores face: the class labelled
// 1 (or named 1/linked/true/yes), else the first.
Facing linked_class(const Model& m, const std::string& name) {
  if (!m.is_classifier()) return Facing::first_class;
  if (m.class_count() != 2)
    throw Error(name, 0, fmt::format("a link model must have 2 classes, this one has {}", m.class_count()));
  auto linked = [&](std::size_t k) {
    const std::string& n = m.class_names()[k];
    return m.labels()[k] == 1 || n == "1" || n == "linked" || n == "true" || n == "yes";
  };
  if (linked(0)) return Facing::first_class;
  if (linked(1)) return Facing::second_class;
  return Facing::first_class;
}

// The digest of mlfeat's spec the sides were made with (spec.features), "" when unknown.
std::string side_spec_digest(const PairSpec& spec) {
  return spec.features.empty() ? std::string() : feature_spec_digest(spec.features);
}

// What the workers score pairs with: the layout and, with a link model, what follows from it
// under the options. Replaced whole when the model is.
struct LinkScoring {
  PairSpec spec;
  std::string side_spec_digest;  // side_spec_digest(spec)
  Model model;
  ScoreUnits units = ScoreUnits::decision();  // a score's units, facing "linked"
  double threshold = 0;                       // keep links scoring above it
  bool linear = false;
  std::vector<double> weights;  // linear models: dense over the pair layout, facing "linked"
  double bias = 0;
};

class LinkStage : public Stage {
 public:
  LinkStage(LinkSettings settings, std::optional<PairSpec> given, std::optional<ModelWatch> watch)
      : settings_(std::move(settings)),
        given_(std::move(given)),
        watch_(std::move(watch)),
        schedule_(settings_.reload) {
    if (watch_) {
      use(scoring_for(watch_->model()));
    } else {
      scoring_.spec = given_.value_or(PairSpec{});
      scoring_.side_spec_digest = side_spec_digest(scoring_.spec);
    }
    // A model trained on such vectors must be scored on them too (a kernel would otherwise
    // see the sides' features it never saw): the layout says so.
    if (settings_.pair_only) scoring_.spec.pair_only = true;
    // --write-spec: the layout the stage was built with, written when the run ends.
    if (!settings_.write_spec.empty()) spec_to_write_ = canonical_pair_spec_json(scoring_.spec);
  }

  // What workers read. scoring() changes only in between_batches, with no worker running, so
  // that one batch is scored by one version of the model; generation() counts the versions.
  const LinkSettings& settings() const { return settings_; }
  const LinkScoring& scoring() const { return scoring_; }
  std::uint64_t generation() const { return generation_; }

  void write_files() const override {
    if (!settings_.write_spec.empty()) write_file_atomically(settings_.write_spec, spec_to_write_);
  }
  std::unique_ptr<Worker> make_worker() const override;
  // Ranking a key's links needs them all in one worker, in order.
  bool concurrent() const override { return !settings_.ranks(); }
  Together together() const override {
    return settings_.top_right ? Together::key : settings_.top ? Together::row : Together::none;
  }
  Reload reload() const override {
    return !watch_ ? Reload::never : settings_.reload ? Reload::polling : Reload::on_request;
  }

  void between_batches(const BatchBoundary& b, std::string& log) override {
    if (!watch_ || !schedule_.due(b.reload_requested)) return;
    std::optional<LinkScoring> next;
    ModelWatch::Change change = watch_->poll([&](const Model& m) { next = scoring_for(m); }, b.reload_requested);
    if (change.kind == ModelWatch::Change::Kind::reloaded) use(std::move(*next));
    if (std::string line = change.line(b.tool, "the link model", settings_.model); !line.empty()) log += line + '\n';
  }

 private:
  // What scoring with `m` takes (layout, facing, units, threshold, dense weights): at start,
  // and for a model replaced while a stream runs. Throws Error when `m` does not fit the options.
  LinkScoring scoring_for(const Model& m) const {
    LinkScoring s;
    s.spec = layout_of(m);
    if (m.max_index() > s.spec.max_index())
      throw Error(settings_.model, 0,
                  fmt::format("the model uses feature {}, beyond the {} pair features of its layout (dim {})",
                              m.max_index(), s.spec.max_index(), s.spec.dim));
    s.side_spec_digest = side_spec_digest(s.spec);
    s.model = m;
    // The sidecar's calibration and threshold are for the model's first class; turned
    // here towards "linked" (a score above the threshold means linked, in both units).
    const Facing facing = linked_class(m, settings_.model);
    const ModelInfo& info = m.info();
    s.units = info.calibration && !settings_.decision ? ScoreUnits::calibrated(*info.calibration, facing)
                                                      : ScoreUnits::decision(facing);
    s.threshold = settings_.min ? *settings_.min : s.units.threshold(info.threshold);
    s.linear = m.is_linear();
    if (s.linear) {
      LinearWeights lw = m.linear_weights();
      s.weights.assign(std::size_t(s.spec.max_index()) + 1, 0.0);
      for (std::size_t k = 0; k < lw.index.size(); ++k) s.weights[lw.index[k]] = s.units.sign() * lw.weight[k];
      s.bias = s.units.sign() * lw.bias;
    }
    return s;
  }

  // The layout of model `m`: its sidecar's pair spec, which must be the one the options give
  // if they give one; else the options' (or the default).
  PairSpec layout_of(const Model& m) const {
    const std::string& ms = m.spec();
    if (ms.empty()) return given_.value_or(PairSpec{});
    if (!is_pair_spec(ms))
      throw Error(sidecar_path(settings_.model), 0,
                  "the model's spec is not a pair spec (is this a sentence model rather than a link model?)");
    PairSpec spec = parse_pair_spec(ms, sidecar_path(settings_.model));
    if (given_ && canonical_pair_spec_json(*given_) != canonical_pair_spec_json(spec))
      throw Error::usage(fmt::format("the pair layout given ({}) differs from the model's ({}); leave out "
                                     "--dim, --side-scores, --feature-spec, --crossed and --pair-spec to use the "
                                     "model's",
                                     describe_layout(*given_), describe_layout(spec)));
    return spec;
  }

  void use(LinkScoring s) {
    scoring_ = std::move(s);
    ++generation_;
  }

  const LinkSettings settings_;
  const std::optional<PairSpec> given_;  // the layout the options give, if any
  LinkScoring scoring_;
  std::uint64_t generation_ = 0;     // counts models used: workers drop what they computed with another
  std::string spec_to_write_;        // --write-spec: the layout's canonical JSON
  std::optional<ModelWatch> watch_;  // the model file, with -m
  ReloadSchedule schedule_;
};

// What the worker keeps of one side record, reused for every pair it is part of.
struct CachedSide {
  std::string raw;          // the side object's JSON text (the cache key, verified)
  PairSide side;
  std::string id;           // --top: what identifies the side's sentence (see parse_side)
  // --label-overlap: the side's LEFT_FIELD and RIGHT_FIELD (JSON text, "" when absent); both,
  // since one record may be a left side in one pair and a right side in another.
  std::string overlap_raw[2];
  bool have_left = false, have_right = false;
  double left_part = 0, right_part = 0;  // linear contributions as left / right side
};

class LinkWorker : public Worker {
 public:
  explicit LinkWorker(const LinkStage& stage) : stage_(stage), s_(stage.settings()), sc_(stage.scoring()) {}

  void process(const Record& r, std::string& out) override {
    reader_.index(r);
    if (s_.ranks()) {
      // Read before anything else: a later find may invalidate the field.
      std::optional<Field> k = reader_.find(record_fields::kKey);
      key_.assign(k ? k->raw : std::string_view());
    }
    // mljoin --sentences writes each sentence before its key's pairs: passed on as it is, in
    // its place (after the previous key's links).
    if (!is_side(reader_.find(s_.left)) && !is_side(reader_.find(s_.right))) return pass_on(r, out);
    refresh_cache();
    Field lf = side_field(s_.left);
    Field rf = side_field(s_.right);
    CachedSide& l = side(lf, true);
    CachedSide& rs = side(rf, false);
    compute_pair_only(sc_.spec, l.side, rs.side, pair_);
    if (s_.features_only) return write_training_pair(l, rs, out);
    const double score = link_score(l, rs);
    if (!s_.all && !(score > sc_.threshold)) return;
    if (s_.ranks()) return hold(score, l, rs, out);
    write_link(out, score);
  }

  // --top: the links of the last key.
  void finish(std::string& out) override { flush(out); }

 private:
  // A pair record holds its sides as objects; a sentence record may hold a label of that name.
  static bool is_side(const std::optional<Field>& f) { return f && f->type == JsonType::object; }

  static std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
  }

  // A record that is not a pair, written as it is; with --top, among the held links of its key.
  void pass_on(const Record& r, std::string& out) {
    if (s_.ranks() && have_group_ && key_ != group_key_) flush(out);
    std::string& to = s_.ranks() && have_group_ ? held_lines_ : out;
    to.append(trimmed(r.data));
    to.push_back('\n');
    if (&to == &held_lines_) {
      held_.push_back({0, kPassedOn, kPassedOn});
      held_ends_.push_back(held_lines_.size());
    }
  }

  // Sides are parsed again for another model, and forgotten when too many are kept.
  void refresh_cache() {
    if (cache_.size() + 2 > kCacheEntries) cache_.clear();  // never while holding a side of this pair
    if (generation_ != stage_.generation()) {  // sides were parsed and weighed for another model
      cache_.clear();
      generation_ = stage_.generation();
    }
  }

  // --features-only: the pair record with its pair vector as `features`, and its label.
  void write_training_pair(const CachedSide& l, const CachedSide& rs, std::string& out) {
    const std::string label = training_label(l, rs);
    assemble_pair_vector(sc_.spec, l.side, rs.side, pair_, vector_);
    JsonWriter w(out);
    w.begin_object();
    drop_.assign({record_fields::kFeatures});
    if (!label.empty()) drop_.push_back(record_fields::kLabel);
    if (s_.drop_sides) {
      drop_.push_back(s_.left);
      drop_.push_back(s_.right);
    }
    w.copy_fields(reader_.fields(), drop_);
    w.key(record_fields::kFeatures).sparse(vector_);
    if (!label.empty()) w.key(record_fields::kLabel).raw(label);
    w.end_object().end_record();
  }

  // The training pair's label as JSON text: --label-field's number (a boolean as 1 or 0),
  // --label-overlap's 1 or 0, or "" for none.
  std::string training_label(const CachedSide& l, const CachedSide& rs) {
    if (!s_.label_field.empty()) {
      std::optional<Field> f = reader_.find(s_.label_field);
      if (!f) throw Error(fmt::format("field '{}' is missing (the label, --label-field)", s_.label_field));
      if (f->type == JsonType::boolean) return reader_.get_bool(*f) ? "1" : "0";
      if (f->type == JsonType::number) return std::string(f->raw);
      throw Error(fmt::format("field '{}': expected a number or a boolean label, found {}", s_.label_field,
                              type_name(f->type)));
    }
    if (!s_.overlap_left.empty()) return overlaps(l.overlap_raw[0], rs.overlap_raw[1]) ? "1" : "0";
    return {};
  }

  // The pair's link score, facing "linked", in the units written. A linear model's parts from
  // each side are computed once per side record.
  double link_score(CachedSide& l, CachedSide& rs) {
    if (!sc_.linear) {
      assemble_pair_vector(sc_.spec, l.side, rs.side, pair_, vector_);
      return sc_.units.score(sc_.model.decision(vector_, scratch_));
    }
    double faced = sc_.bias;
    if (!sc_.spec.pair_only) {  // a pair-only model has no weights on the sides' blocks
      if (!l.have_left) {
        l.left_part = contribution(l.side.features, 0);
        l.have_left = true;
      }
      if (!rs.have_right) {
        rs.right_part = contribution(rs.side.features, sc_.spec.right_base());
        rs.have_right = true;
      }
      faced = sc_.bias + l.left_part + rs.right_part;
    }
    const double* wp = sc_.weights.data() + sc_.spec.pair_base() + 1;
    for (std::size_t k = 0; k < pair_.values.size(); ++k) faced += wp[k] * pair_.values[k];
    return sc_.units.score_faced(faced);
  }

  // --top: the link held with its key's others until the key ends, which writes the ones kept.
  void hold(double score, const CachedSide& l, const CachedSide& rs, std::string& out) {
    // Nothing below throws: the held links of the previous key are written whole or not at all.
    std::string line;
    write_link(line, score);
    if (have_group_ && key_ != group_key_) flush(out);
    if (!have_group_) {
      group_key_ = key_;
      have_group_ = true;
    }
    held_.push_back({score, side_number(l.id), side_number(rs.id)});
    held_lines_ += line;
    held_ends_.push_back(held_lines_.size());
  }

  void write_link(std::string& out, double score) {
    JsonWriter w(out);
    w.begin_object();
    std::optional<Field> scores = reader_.find(record_fields::kScores);
    if (scores && scores->type != JsonType::object)
      throw Error(fmt::format("field 'scores': expected an object, found {}", type_name(scores->type)));
    // The sides without their vectors (a link record is read by people and viewers), unless asked.
    for (const Field& f : reader_.fields()) {
      if (f.key == record_fields::kScores || f.key == record_fields::kStance) continue;
      w.key(f.key);
      if (!s_.keep_features && f.type == JsonType::object && (f.key == s_.left || f.key == s_.right)) {
        w.begin_object();
        w.copy_fields(reader_.get_object(f), {record_fields::kFeatures, record_fields::kDenseFeatures});
        w.end_object();
      } else {
        w.raw(f.raw);
      }
    }
    if (const char* st = stance()) w.key(record_fields::kStance).string(st);
    w.key(record_fields::kScores).begin_object();
    if (scores) w.copy_fields(reader_.get_object(*scores), {record_fields::kLinkScore});
    w.key(record_fields::kLinkScore).number(score);
    w.end_object();
    w.end_object().end_record();
  }

  // A side's decision for the stance role (mlclassify's passed.NAME): -1 absent, else 0/1.
  int side_against(const std::string& name) {
    std::optional<Field> side = reader_.find(name);
    if (!side || side->type != JsonType::object) return -1;
    for (const Field& m : reader_.get_object(*side)) {
      if (m.key != record_fields::kPassed || m.type != JsonType::object) continue;
      for (const Field& p : reader_.get_object(m))
        if (p.key == s_.stance && p.type == JsonType::boolean) return reader_.get_bool(p) ? 1 : 0;
    }
    return -1;
  }

  // Each side argues for its document's thesis or against it (the stance role); a link between
  // two sentences on the same side supports, across sides attacks. Null when a side was not
  // scored for it.
  const char* stance() {
    const int left = side_against(s_.left), right = side_against(s_.right);
    if (left < 0 || right < 0) return nullptr;
    return left == right ? "support" : "attack";
  }

  std::uint32_t side_number(const std::string& id) {
    auto [it, added] = side_ids_.emplace(id, std::uint32_t(side_ids_.size()));
    return it->second;
  }

  // Writes the held links that --top and --top-right keep, and the records passed on, in input order.
  void flush(std::string& out) {
    ranked_.clear();
    for (const RankedPair& p : held_)
      if (p.left != kPassedOn) ranked_.push_back(p);
    const std::vector<bool> top = select_top(ranked_, s_.top, s_.top_right);
    std::vector<bool> keep(held_.size(), true);
    for (std::size_t i = 0, k = 0; i < held_.size(); ++i)
      if (held_[i].left != kPassedOn) keep[i] = top[k++];
    std::size_t begin = 0;
    for (std::size_t i = 0; i < held_.size(); ++i) {
      if (keep[i]) out.append(held_lines_, begin, held_ends_[i] - begin);
      begin = held_ends_[i];
    }
    held_.clear();
    held_lines_.clear();
    held_ends_.clear();
    side_ids_.clear();
    have_group_ = false;
  }

  Field side_field(const std::string& name) {
    std::optional<Field> f = reader_.find(name);
    if (!f)
      throw Error(fmt::format("field '{}' is missing (expected a pair record from mljoin; set --left/--right)", name));
    if (f->type != JsonType::object)
      throw Error(
          fmt::format("field '{}': expected the side's record (an object), found {}", name, type_name(f->type)));
    return *f;
  }

  double contribution(const SparseVector& x, std::uint32_t base) const {
    const double* w = sc_.weights.data() + base;
    double sum = 0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += w[x.idx[i]] * x.val[i];
    return sum;
  }

  // The side for `f`, parsed once per distinct side record (by its bytes).
  CachedSide& side(const Field& f, bool is_left) {
    std::size_t h = std::hash<std::string_view>{}(f.raw);
    auto found = cache_.find(h);
    if (found != cache_.end() && found->second.raw == f.raw) return found->second;
    // A hash collision keeps the cached side and parses this one into a spare slot.
    CachedSide& c = found != cache_.end() ? spare_[is_left ? 0 : 1] : cache_[h];
    c = CachedSide();
    parse_side(f, is_left, c);
    // Only a side parsed whole is found again: a refused one must be refused every time,
    // not reused half-read by the next pair that holds it.
    c.raw.assign(f.raw);
    return c;
  }

  void parse_side(const Field& f, bool is_left, CachedSide& c) {
    const std::string& name = is_left ? s_.left : s_.right;
    std::optional<Field> features, x, scores, doc, para, sent, start, end, doc_sents;
    for (const Field& m : reader_.get_object(f)) {
      if (m.key == record_fields::kFeatures) features = m;
      else if (m.key == record_fields::kDenseFeatures) x = m;
      else if (m.key == record_fields::kScores) scores = m;
      else if (m.key == "doc") doc = m;
      else if (m.key == "para") para = m;
      else if (m.key == "sent") sent = m;
      else if (m.key == "start") start = m;
      else if (m.key == "end") end = m;
      else if (m.key == "doc_sents") doc_sents = m;
      if (!s_.overlap_left.empty() && m.key == s_.overlap_left) c.overlap_raw[0].assign(m.raw);
      if (!s_.overlap_right.empty() && m.key == s_.overlap_right) c.overlap_raw[1].assign(m.raw);
    }
    // A side's sentence is its document and byte range (mlsplit's offsets), else its
    // document and sentence number, else the whole side record.
    if (s_.ranks()) {
      if (start && end) c.id = fmt::format("{}\t{}\t{}", doc ? doc->raw : "", start->raw, end->raw);
      else if (sent) c.id = fmt::format("{}\t{}", doc ? doc->raw : "", sent->raw);
      else c.id = c.raw;
    }
    PairSide& side = c.side;
    side.scores.assign(sc_.spec.side_scores.size(), 0.0);
    if (doc) side.doc.assign(doc->raw);
    if (para) {
      side.para = integer(*para, name);
      side.has_para = true;
    }
    if (sent) {
      side.sent = integer(*sent, name);
      side.has_sent = true;
    }
    if (doc_sents) side.doc_sents = integer(*doc_sents, name);
    read_side_vector(features ? features : x, name, side);
    if (scores && scores->type == JsonType::object && !sc_.spec.side_scores.empty()) read_side_scores(*scores, side);
  }

  // A side's vector, checked against the spec and dimension the sides were made with.
  void read_side_vector(const std::optional<Field>& features, const std::string& name, PairSide& side) {
    if (!features)
      throw Error(fmt::format("side '{}' has no 'features' (run mlfeat before mljoin; --slim keeps features)", name));
    try {
      const JsonReader::VectorFacts facts = reader_.get_sparse(*features, side.features);
      const std::string& expected = sc_.side_spec_digest;
      if (!facts.spec.empty() && !expected.empty() && facts.spec != expected)
        throw Error(spec_digest_mismatch(facts.spec, expected,
                                         s_.model.empty() ? "the spec of --feature-spec"
                                                          : "the spec the link model's sides were made with"));
    } catch (const Error& e) {
      throw Error(fmt::format("side '{}': {}", name, e.what()));
    }
    if (!side.features.empty() && side.features.idx.back() > sc_.spec.dim)
      throw Error(fmt::format("side '{}': feature index {} is beyond the side dimension {} (set --dim or "
                              "--feature-spec to match mlfeat's hashing)",
                              name, side.features.idx.back(), sc_.spec.dim));
    side.norm = norm_upto(side.features, sc_.spec.similarity_limit, &side.similar);
  }

  // The side's scores the layout uses as pair features (0 when absent or not a number).
  void read_side_scores(const Field& scores, PairSide& side) {
    const std::vector<std::string>& names = sc_.spec.side_scores;
    score_fields_.assign(names.size(), std::nullopt);
    for (const Field& m : reader_.get_object(scores))
      for (std::size_t k = 0; k < names.size(); ++k)
        if (m.key == names[k]) score_fields_[k] = m;
    for (std::size_t k = 0; k < score_fields_.size(); ++k)
      if (score_fields_[k] && score_fields_[k]->type == JsonType::number)
        side.scores[k] = reader_.get_number(*score_fields_[k]);
  }

  std::int64_t integer(const Field& m, const std::string& side) {
    try {
      return reader_.get_integer(m);
    } catch (const Error& e) {
      throw Error(fmt::format("side '{}': {}", side, e.what()));
    }
  }

  // Whether two JSON values (scalars or arrays of scalars) share an element.
  bool overlaps(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return false;
    elements(a, left_elems_);
    elements(b, right_elems_);
    for (const auto& x : left_elems_)
      for (const auto& y : right_elems_)
        if (x == y) return true;
    return false;
  }

  void elements(std::string_view json, std::vector<std::string>& out) {
    out.clear();
    simdjson::dom::element e;
    if (dom_.parse(json.data(), json.size()).get(e))
      throw Error(fmt::format("--label-overlap: cannot read {}", json));
    simdjson::dom::array arr;
    if (!e.get_array().get(arr)) {
      for (simdjson::dom::element x : arr)
        if (!x.is_null()) out.push_back(simdjson::minify(x));
    } else if (!e.is_null()) {
      out.push_back(simdjson::minify(e));
    }
  }

  static constexpr std::size_t kCacheEntries = 4096;
  // A record passed on among a key's held links (RankedPair::left): --top never drops it.
  static constexpr std::uint32_t kPassedOn = UINT32_MAX;
  const LinkStage& stage_;
  const LinkSettings& s_;
  const LinkScoring& sc_;         // the stage's, for the batch under way
  std::uint64_t generation_ = 0;  // the stage's model the cache was filled for
  std::vector<RankedPair> ranked_;
  JsonReader reader_;
  std::unordered_map<std::size_t, CachedSide> cache_;
  CachedSide spare_[2];
  std::vector<std::optional<Field>> score_fields_;
  std::vector<std::string_view> drop_;
  PairOnly pair_;
  SparseVector vector_;
  Model::Scratch scratch_;
  simdjson::dom::parser dom_;
  std::vector<std::string> left_elems_, right_elems_;
  // --top: the current key's links that passed, held until the key changes.
  std::string key_, group_key_;
  bool have_group_ = false;
  std::vector<RankedPair> held_;
  std::string held_lines_;
  std::vector<std::size_t> held_ends_;
  std::unordered_map<std::string, std::uint32_t> side_ids_;
};

std::unique_ptr<Worker> LinkStage::make_worker() const { return std::make_unique<LinkWorker>(*this); }

}  // namespace

std::unique_ptr<Stage> make_link_stage(LinkSettings settings, std::optional<PairSpec> layout,
                                       std::optional<ModelWatch> model) {
  return std::make_unique<LinkStage>(std::move(settings), std::move(layout), std::move(model));
}

}  // namespace mlpipe
