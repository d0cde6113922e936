#include "mlpipe/pairs/tool_mllink.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/calibration.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/model_watch.h"
#include "mlpipe/pairs/top_k.h"

namespace mlpipe {

namespace {

// The pair spec the options describe (dimension, side scores), or nullopt when none is set.
std::optional<PairSpec> spec_from_options(const MllinkOptions& o, const FileSource& files) {
  if (!o.pair_spec.empty()) {
    if (o.dim || o.side_scores || !o.feature_spec.empty() || o.crossed)
      throw Error::usage(
          "--pair-spec sets the layout; it cannot go with --dim, --side-scores, --feature-spec or --crossed");
    return read_pair_spec_file(o.pair_spec, files);
  }
  if (!o.dim && !o.side_scores && o.feature_spec.empty() && !o.crossed) return std::nullopt;
  PairSpec spec;
  if (!o.feature_spec.empty()) {
    if (o.dim) throw Error::usage("--dim and --feature-spec exclude each other (the spec gives the dimension)");
    spec.dim = dim_of_feature_spec(files.read(o.feature_spec), o.feature_spec, spec.features);
    spec.similarity_limit = similarity_limit_of(spec.features, o.feature_spec);
    spec.long_docs = long_docs_of(spec.features, o.feature_spec);
  }
  if (o.dim) spec.dim = *o.dim;
  if (o.side_scores) spec.side_scores = *o.side_scores;
  spec.crossed = o.crossed;
  if (spec.crossed && spec.side_scores.size() < 2)
    throw Error::usage("--crossed needs two side scores (--side-scores LEFT_ROLE_SCORE,RIGHT_ROLE_SCORE)");
  return spec;
}

std::string describe(const PairSpec& s) {
  std::string scores;
  for (const auto& n : s.side_scores) scores += (scores.empty() ? "" : ",") + n;
  return fmt::format("dim {}, side scores '{}'{}{}", s.dim, scores, s.crossed ? ", crossed" : "",
                     s.features.empty() ? "" : ", with a feature spec");
}

// Whether a link model's decision value must be negated so that > 0 means "linked":
// the class labelled 1 (or named 1/linked/true/yes) is the linked one.
double orientation(const Model& m, const std::string& name) {
  if (!m.is_classifier()) return 1;
  if (m.class_count() != 2)
    throw Error(name, 0, fmt::format("a link model must have 2 classes, this one has {}", m.class_count()));
  auto linked = [&](std::size_t k) {
    const std::string& n = m.class_names()[k];
    return m.labels()[k] == 1 || n == "1" || n == "linked" || n == "true" || n == "yes";
  };
  if (linked(0)) return 1;
  if (linked(1)) return -1;
  return 1;
}

class LinkStage : public Stage {
 public:
  LinkStage(MllinkOptions o, const FileSource& files) : o_(std::move(o)) {
    if (o_.left.empty() || o_.right.empty() || o_.left == o_.right)
      throw Error::usage("--left and --right must be two different side names");
    if (o_.features_only == !o_.model.empty())
      throw Error::usage(o_.features_only ? "--features-only and -m exclude each other"
                                          : "give a link model (-m MODEL), or --features-only to make training pairs");
    if (o_.features_only && (o_.min || o_.all)) throw Error::usage("--min and --all apply only with -m");
    if (o_.min && o_.all) throw Error::usage("--min and --all exclude each other");
    if ((o_.top || o_.top_right) && (o_.features_only || o_.all))
      throw Error::usage("--top and --top-right rank scored links: not with --features-only or --all");
    if (o_.decision && o_.features_only) throw Error::usage("--decision applies only with -m");
    if (o_.reload && o_.features_only) throw Error::usage("--reload applies only with -m");
    if (!o_.features_only && (!o_.label_field.empty() || !o_.label_overlap.empty() || o_.drop_sides || o_.pair_only))
      throw Error::usage(
          "--label-field, --label-overlap, --drop-sides and --pair-only apply only with --features-only");
    if (!o_.label_field.empty() && !o_.label_overlap.empty())
      throw Error::usage("--label-field and --label-overlap exclude each other");
    if (!o_.label_overlap.empty()) {
      auto comma = o_.label_overlap.find(',');
      if (comma == std::string::npos || comma == 0 || comma + 1 == o_.label_overlap.size() ||
          o_.label_overlap.find(',', comma + 1) != std::string::npos)
        throw Error::usage(fmt::format("--label-overlap {}: expected LEFT_FIELD,RIGHT_FIELD", o_.label_overlap));
      overlap_left_ = o_.label_overlap.substr(0, comma);
      overlap_right_ = o_.label_overlap.substr(comma + 1);
    }

    given_ = spec_from_options(o_, files);
    if (!o_.model.empty()) {
      watch_.emplace(o_.model, files);
      use(scoring(watch_->model()));
    } else if (given_) {
      spec_ = *given_;
      side_spec_digest_ = side_spec_digest(spec_);
    }
    // A model trained on such vectors must be scored on them too (a kernel would otherwise
    // see the sides' features it never saw): the layout says so.
    if (o_.pair_only) spec_.pair_only = true;
    // --write-spec: the layout the stage was built with, written when the run ends.
    if (!o_.write_spec.empty()) spec_to_write_ = canonical_pair_spec_json(spec_);
  }

  void write_files() const override {
    if (!o_.write_spec.empty()) write_file_atomically(o_.write_spec, spec_to_write_);
  }

  // A link model with what follows from it under the options.
  struct Scoring {
    Model model;
    PairSpec spec;
    double sign = 1;
    std::optional<PlattCalibration> calibration;
    double threshold = 0;
    std::vector<double> weights;  // linear models
    double bias = 0;
  };

  // What scoring with `m` takes (layout, orientation, calibration, threshold, dense
  // weights): at start, and for a model replaced while a stream runs. Throws Error when `m`
  // does not fit the options.
  Scoring scoring(const Model& m) const {
    PairSpec spec;
    const std::string& ms = m.spec();
    if (!ms.empty()) {
      if (!is_pair_spec(ms))
        throw Error(sidecar_path(o_.model), 0,
                    "the model's spec is not a pair spec (is this a sentence model rather than a link model?)");
      spec = parse_pair_spec(ms, sidecar_path(o_.model));
      if (given_ && canonical_pair_spec_json(*given_) != canonical_pair_spec_json(spec))
        throw Error::usage(fmt::format("the pair layout given ({}) differs from the model's ({}); leave out "
                                       "--dim, --side-scores, --feature-spec, --crossed and --pair-spec to use the "
                                       "model's",
                                       describe(*given_), describe(spec)));
    } else if (given_) {
      spec = *given_;
    }
    if (m.max_index() > spec.max_index())
      throw Error(o_.model, 0,
                  fmt::format("the model uses feature {}, beyond the {} pair features of its layout (dim {})",
                              m.max_index(), spec.max_index(), spec.dim));
    double sign = orientation(m, o_.model);
    // The sidecar's calibration and threshold are for the model's first class; turned
    // here towards "linked" (a score above the threshold means linked, in both units).
    const ModelInfo& info = m.info();
    std::optional<PlattCalibration> calibration = o_.decision ? std::nullopt : info.calibration;
    double threshold;
    if (o_.min) {
      threshold = *o_.min;
    } else if (calibration) {
      threshold = info.threshold ? (sign > 0 ? apply_platt(*calibration, *info.threshold)
                                             : 1 - apply_platt(*calibration, *info.threshold))
                                 : 0.5;
    } else {
      threshold = info.threshold ? sign * *info.threshold : 0.0;
    }
    std::vector<double> weights;
    double bias = 0;
    if (m.is_linear()) {
      LinearWeights lw = m.linear_weights();
      weights.assign(std::size_t(spec.max_index()) + 1, 0.0);
      for (std::size_t k = 0; k < lw.index.size(); ++k) weights[lw.index[k]] = sign * lw.weight[k];
      bias = sign * lw.bias;
    }
    return Scoring{m, std::move(spec), sign, calibration, threshold, std::move(weights), bias};
  }

  void use(Scoring s) {
    model_ = std::move(s.model);
    spec_ = std::move(s.spec);
    side_spec_digest_ = side_spec_digest(spec_);
    sign_ = s.sign;
    calibration_ = s.calibration;
    threshold_ = s.threshold;
    linear_ = model_.is_linear();
    weights_ = std::move(s.weights);
    bias_ = s.bias;
    ++generation_;
  }

  std::unique_ptr<Worker> make_worker() const override;
  // Ranking a key's links needs them all in one worker, in order.
  bool concurrent() const override { return !ranks(); }
  Together together() const override {
    return o_.top_right ? Together::key : o_.top ? Together::row : Together::none;
  }
  bool ranks() const { return o_.top || o_.top_right; }

  Reload reload() const override {
    return !watch_ ? Reload::never : o_.reload ? Reload::polling : Reload::on_request;
  }

  // Workers read the model's members for every pair: they change only here, with no worker
  // running, so that one batch is scored by one version of the model.
  void between_batches(const BatchBoundary& b, std::string& log) override {
    if (!watch_ || !schedule_.due(b.reload_requested)) return;
    std::optional<Scoring> next;
    ModelWatch::Change change = watch_->poll([&](const Model& m) { next = scoring(m); }, b.reload_requested);
    if (change.kind == ModelWatch::Change::Kind::reloaded) use(std::move(*next));
    if (std::string line = change.line(b.tool, "the link model", o_.model); !line.empty()) log += line + '\n';
  }

  const MllinkOptions o_;
  std::optional<PlattCalibration> calibration_;  // write P(linked) instead of the decision value
  double threshold_ = 0;                         // keep pairs scoring above it
  PairSpec spec_;
  // The digest of mlfeat's spec the sides were made with (spec_.features), "" when unknown.
  std::string side_spec_digest_;
  static std::string side_spec_digest(const PairSpec& spec) {
    return spec.features.empty() ? std::string() : feature_spec_digest(spec.features);
  }
  Model model_;
  double sign_ = 1;
  bool linear_ = false;
  std::vector<double> weights_;  // linear models: dense over the pair layout, oriented
  double bias_ = 0;
  std::string overlap_left_, overlap_right_;
  std::optional<PairSpec> given_;     // the layout the options give, if any
  std::string spec_to_write_;         // --write-spec: the layout's canonical JSON
  std::optional<ModelWatch> watch_;   // the model file, with -m
  ReloadSchedule schedule_{o_.reload};
  std::uint64_t generation_ = 0;      // counts models used: workers drop what they computed with another
};

// What the worker keeps of one side record, reused for every pair it is part of.
struct CachedSide {
  std::string raw;          // the side object's JSON text (the cache key, verified)
  PairSide side;
  std::string id;           // --top: what identifies the side's sentence (see side_id())
  // --label-overlap: the side's LEFT_FIELD and RIGHT_FIELD (JSON text, "" when absent); both,
  // since one record may be a left side in one pair and a right side in another.
  std::string overlap_raw[2];
  bool have_left = false, have_right = false;
  double left_part = 0, right_part = 0;  // linear contributions as left / right side
};

class LinkWorker : public Worker {
 public:
  explicit LinkWorker(const LinkStage& s) : s_(s) {}

  void process(const Record& r, std::string& out) override {
    reader_.index(r);
    if (s_.ranks()) {
      // Read before anything else: a later find may invalidate the field.
      std::optional<Field> k = reader_.find("key");
      key_.assign(k ? k->raw : std::string_view());
    }
    // mljoin --sentences writes each sentence before its key's pairs: passed on as it is, in
    // its place (after the previous key's links).
    if (!is_side(reader_.find(s_.o_.left)) && !is_side(reader_.find(s_.o_.right))) {
      if (s_.ranks() && have_group_ && key_ != group_key_) flush(out);
      std::string& to = s_.ranks() && have_group_ ? held_lines_ : out;
      to.append(trimmed(r.data));
      to.push_back('\n');
      if (&to == &held_lines_) {
        held_.push_back({0, kPassedOn, kPassedOn});
        held_ends_.push_back(held_lines_.size());
      }
      return;
    }
    if (cache_.size() + 2 > kCacheEntries) cache_.clear();  // never while holding a side of this pair
    if (generation_ != s_.generation_) {  // sides were parsed and weighed for another model
      cache_.clear();
      generation_ = s_.generation_;
    }
    Field lf = side_field(s_.o_.left);
    Field rf = side_field(s_.o_.right);
    CachedSide& l = side(lf, true);
    CachedSide& rs = side(rf, false);
    compute_pair_only(s_.spec_, l.side, rs.side, pair_);

    JsonWriter w(out);
    if (s_.o_.features_only) {
      std::string label;
      if (!s_.o_.label_field.empty()) {
        std::optional<Field> f = reader_.find(s_.o_.label_field);
        if (!f) throw Error(fmt::format("field '{}' is missing (the label, --label-field)", s_.o_.label_field));
        if (f->type == JsonType::boolean)
          label = reader_.get_bool(*f) ? "1" : "0";
        else if (f->type == JsonType::number)
          label = std::string(f->raw);
        else
          throw Error(fmt::format("field '{}': expected a number or a boolean label, found {}", s_.o_.label_field,
                                  type_name(f->type)));
      } else if (!s_.o_.label_overlap.empty()) {
        label = overlaps(l.overlap_raw[0], rs.overlap_raw[1]) ? "1" : "0";
      }
      assemble_pair_vector(s_.spec_, l.side, rs.side, pair_, vector_);
      w.begin_object();
      drop_.assign({"features"});
      if (!label.empty()) drop_.push_back("label");
      if (s_.o_.drop_sides) {
        drop_.push_back(s_.o_.left);
        drop_.push_back(s_.o_.right);
      }
      w.copy_fields(reader_.fields(), drop_);
      w.key("features").sparse(vector_);
      if (!label.empty()) w.key("label").raw(label);
      w.end_object().end_record();
      return;
    }

    double score;
    if (s_.linear_) {
      score = s_.bias_;
      if (!s_.spec_.pair_only) {  // a pair-only model has no weights on the sides' blocks
        if (!l.have_left) {
          l.left_part = contribution(l.side.features, 0);
          l.have_left = true;
        }
        if (!rs.have_right) {
          rs.right_part = contribution(rs.side.features, s_.spec_.right_base());
          rs.have_right = true;
        }
        score = s_.bias_ + l.left_part + rs.right_part;
      }
      const double* wp = s_.weights_.data() + s_.spec_.pair_base() + 1;
      for (std::size_t k = 0; k < pair_.values.size(); ++k) score += wp[k] * pair_.values[k];
    } else {
      assemble_pair_vector(s_.spec_, l.side, rs.side, pair_, vector_);
      score = s_.sign_ * s_.model_.decision(vector_, scratch_);
    }
    if (s_.calibration_) {
      double p = apply_platt(*s_.calibration_, s_.sign_ * score);
      score = s_.sign_ > 0 ? p : 1 - p;
    }
    if (!s_.o_.all && !(score > s_.threshold_)) return;

    if (s_.ranks()) {
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
      return;
    }
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

  void write_link(std::string& out, double score) {
    JsonWriter w(out);
    w.begin_object();
    std::optional<Field> scores = reader_.find("scores");
    if (scores && scores->type != JsonType::object)
      throw Error(fmt::format("field 'scores': expected an object, found {}", type_name(scores->type)));
    // The sides without their vectors (a link record is read by people and viewers), unless asked.
    for (const Field& f : reader_.fields()) {
      if (f.key == "scores" || f.key == "stance") continue;
      w.key(f.key);
      if (!s_.o_.keep_features && f.type == JsonType::object && (f.key == s_.o_.left || f.key == s_.o_.right)) {
        w.begin_object();
        w.copy_fields(reader_.get_object(f), {"features", "x"});
        w.end_object();
      } else {
        w.raw(f.raw);
      }
    }
    if (const char* st = stance()) w.key("stance").string(st);
    w.key("scores").begin_object();
    if (scores) w.copy_fields(reader_.get_object(*scores), {"link"});
    w.key("link").number(score);
    w.end_object();
    w.end_object().end_record();
  }

  // A side's decision for the stance role (mlclassify's passed.NAME): -1 absent, else 0/1.
  int side_against(const std::string& name) {
    std::optional<Field> side = reader_.find(name);
    if (!side || side->type != JsonType::object) return -1;
    for (const Field& m : reader_.get_object(*side)) {
      if (m.key != "passed" || m.type != JsonType::object) continue;
      for (const Field& p : reader_.get_object(m))
        if (p.key == s_.o_.stance && p.type == JsonType::boolean) return reader_.get_bool(p) ? 1 : 0;
    }
    return -1;
  }

  // Each side argues for its document's thesis or against it (the stance role); a link between
  // two sentences on the same side supports, across sides attacks. Null when a side was not
  // scored for it.
  const char* stance() {
    const int left = side_against(s_.o_.left), right = side_against(s_.o_.right);
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
    const std::vector<bool> top = select_top(ranked_, s_.o_.top, s_.o_.top_right);
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
      throw Error(fmt::format("field '{}': expected the side's record (an object), found {}", name, type_name(f->type)));
    return *f;
  }

  double contribution(const SparseVector& x, std::uint32_t base) const {
    const double* w = s_.weights_.data() + base;
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
    const std::string& name = is_left ? s_.o_.left : s_.o_.right;
    std::optional<Field> features, x, scores, doc, para, sent, start, end, doc_sents;
    for (const Field& m : reader_.get_object(f)) {
      if (m.key == "features") features = m;
      else if (m.key == "x") x = m;
      else if (m.key == "scores") scores = m;
      else if (m.key == "doc") doc = m;
      else if (m.key == "para") para = m;
      else if (m.key == "sent") sent = m;
      else if (m.key == "start") start = m;
      else if (m.key == "end") end = m;
      else if (m.key == "doc_sents") doc_sents = m;
      if (!s_.overlap_left_.empty() && m.key == s_.overlap_left_) c.overlap_raw[0].assign(m.raw);
      if (!s_.overlap_right_.empty() && m.key == s_.overlap_right_) c.overlap_raw[1].assign(m.raw);
    }
    // A side's sentence is its document and byte range (mlsplit's offsets), else its
    // document and sentence number, else the whole side record.
    if (s_.ranks()) {
      if (start && end) c.id = fmt::format("{}\t{}\t{}", doc ? doc->raw : "", start->raw, end->raw);
      else if (sent) c.id = fmt::format("{}\t{}", doc ? doc->raw : "", sent->raw);
      else c.id = c.raw;
    }
    PairSide& side = c.side;
    side.scores.assign(s_.spec_.side_scores.size(), 0.0);
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
    if (!features) features = x;
    if (!features)
      throw Error(fmt::format("side '{}' has no 'features' (run mlfeat before mljoin; --slim keeps features)", name));
    try {
      const JsonReader::VectorFacts facts = reader_.get_sparse(*features, side.features);
      const std::string& expected = s_.side_spec_digest_;
      if (!facts.spec.empty() && !expected.empty() && facts.spec != expected)
        throw Error(spec_digest_mismatch(facts.spec, expected,
                                         s_.o_.model.empty() ? "the spec of --feature-spec"
                                                             : "the spec the link model's sides were made with"));
    } catch (const Error& e) {
      throw Error(fmt::format("side '{}': {}", name, e.what()));
    }
    if (!side.features.empty() && side.features.idx.back() > s_.spec_.dim)
      throw Error(fmt::format("side '{}': feature index {} is beyond the side dimension {} (set --dim or "
                              "--feature-spec to match mlfeat's hashing)",
                              name, side.features.idx.back(), s_.spec_.dim));
    side.norm = norm_upto(side.features, s_.spec_.similarity_limit, &side.similar);
    if (scores && scores->type == JsonType::object && !s_.spec_.side_scores.empty()) {
      score_fields_.assign(s_.spec_.side_scores.size(), std::nullopt);
      for (const Field& m : reader_.get_object(*scores))
        for (std::size_t k = 0; k < s_.spec_.side_scores.size(); ++k)
          if (m.key == s_.spec_.side_scores[k]) score_fields_[k] = m;
      for (std::size_t k = 0; k < score_fields_.size(); ++k)
        if (score_fields_[k] && score_fields_[k]->type == JsonType::number)
          side.scores[k] = reader_.get_number(*score_fields_[k]);
    }
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
  std::vector<RankedPair> ranked_;
  const LinkStage& s_;
  std::uint64_t generation_ = 0;  // the stage's model the cache was filled for
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

std::unique_ptr<Stage> make_link_stage(MllinkOptions options, const FileSource& files) {
  return std::make_unique<LinkStage>(std::move(options), files);
}

const ToolDef& mllink_tool() {
  static const ToolDef def{
      "mllink", "Score claim-support pair records with a link model and keep the linked pairs",
      [](CLI::App& app) -> StageFactory {
        auto o = std::make_shared<MllinkOptions>();
        app.add_option("-m,--model", o->model, "The link model (libsvm, with its MODEL.json sidecar)")
            ->type_name("MODEL");
        app.add_flag("--features-only", o->features_only,
                     "Write each pair's features (and label) instead of scoring: training pairs for mltrain");
        app.add_option_function<double>(
               "--min", [o](const double& v) { o->min = v; },
               "Keep pairs whose link score is above T (default: the sidecar's threshold, else 0 for decision "
               "values and 0.5 for probabilities)")
            ->type_name("T");
        app.add_flag("--all", o->all, "Keep every pair, scored");
        app.add_flag("--reload", o->reload,
                     "Follow the link model's files: a model replaced on disk (with its sidecar) is used from the "
                     "next batch on, one stderr line per switch (SIGHUP asks for a look also without --reload)");
        app.add_flag("--decision", o->decision,
                     "Write the link model's decision value even when its sidecar has a calibration");
        app.add_option("--top", o->top,
                       "Keep only the K best links of each left side (claim) among those above the threshold")
            ->type_name("K")
            ->check(CLI::Range(std::size_t(1), std::size_t(1) << 30));
        app.add_option("--top-right", o->top_right,
                       "Keep only the K best links of each right side (support); with --top, a link must be in both")
            ->type_name("K")
            ->check(CLI::Range(std::size_t(1), std::size_t(1) << 30));
        app.add_option("--left", o->left, "Field of the left side in pair records")
            ->type_name("NAME")
            ->default_str("claim");
        app.add_option("--right", o->right, "Field of the right side in pair records")
            ->type_name("NAME")
            ->default_str("support");
        app.add_option("--stance", o->stance,
                       "Write each link's stance from the sides' decisions for role NAME (passed.NAME: the sentence "
                       "argues against its document's thesis): support when both agree, attack when they differ")
            ->type_name("NAME")
            ->default_str("against");
        app.add_flag("--keep-features", o->keep_features,
                     "Keep the sides' feature vectors in the links written (left out by default)");
        app.add_option_function<std::uint32_t>(
               "--dim", [o](const std::uint32_t& v) { o->dim = v; },
               "Feature indices per side, D (default: 2^20, mlfeat's default hashing)")
            ->type_name("D")
            ->check(CLI::Range(std::uint32_t(1), kMaxPairDim));
        // One argument split here: CLI11's delimiter would let the list swallow the input files.
        app.add_option_function<std::string>(
               "--side-scores",
               [o](const std::string& list) {
                 std::vector<std::string> names;
                 for (std::size_t at = 0; at <= list.size();) {
                   const std::size_t comma = std::min(list.find(',', at), list.size());
                   names.push_back(list.substr(at, comma - at));
                   at = comma + 1;
                 }
                 o->side_scores = names;
               },
               "Scores of each side used as pair features, comma-separated (default: claim,support; '' for none)")
            ->type_name("LIST");
        app.add_option("--feature-spec", o->feature_spec, "mlfeat's spec FILE: the side dimension D comes from it")
            ->type_name("FILE");
        app.add_flag("--crossed", o->crossed,
                     "Add crossed pair features (claim x support score, distance buckets and their products) "
                     "to the layout");
        app.add_option("--pair-spec", o->pair_spec, "Use the pair layout in FILE (as --write-spec wrote it)")
            ->type_name("FILE");
        app.add_option("--write-spec", o->write_spec, "Write the pair layout (canonical JSON) to FILE")
            ->type_name("FILE");
        app.add_option("--label-field", o->label_field, "With --features-only: the label is this field of the pair")
            ->type_name("FIELD");
        app.add_option("--label-overlap", o->label_overlap,
                       "With --features-only: label 1 when the left side's LEFT_FIELD and the right side's "
                       "RIGHT_FIELD share a value (scalars or arrays), else 0")
            ->type_name("LEFT_FIELD,RIGHT_FIELD");
        app.add_flag("--drop-sides", o->drop_sides, "With --features-only: leave the two sides out of the output");
        app.add_flag("--pair-only", o->pair_only,
                     "With --features-only: vectors hold the pair features and side scores only, not the sides' "
                     "own features (a link model that generalises across topics)");
        return [o](const FileSource& files) -> std::unique_ptr<Stage> {
          MllinkOptions opts = *o;
          if (opts.side_scores) {
            auto& v = *opts.side_scores;
            v.erase(std::remove(v.begin(), v.end(), std::string()), v.end());
          }
          return make_link_stage(std::move(opts), files);
        };
      }};
  return def;
}

}  // namespace mlpipe
