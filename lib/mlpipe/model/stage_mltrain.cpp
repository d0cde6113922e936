// See stage_mltrain.h. The worker's finish() runs the steps of a training in order: the rows
// finished (labelled_rows.h), checked against the settings, the model selection with its
// report, the final fit, and the files written.
#include "mlpipe/model/stage_mltrain.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/calibration.h"
#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/file_digest.h"
#include "mlpipe/model/folds.h"
#include "mlpipe/model/labelled_rows.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/scale_range.h"
#include "mlpipe/model/selection.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/spec_dimension.h"
#include "mlpipe/model/threshold.h"
#include "mlpipe/model/train.h"
#include "mlpipe/model/train_ranks.h"
#include "mlpipe/model/train_report.h"

namespace mlpipe {

namespace {

// A fit's name on the progress line, cheap to make (no gamma resolved on the data):
// "svm rbf C=8 γ=0.125", "xgboost depth=4 η=0.1".
std::string fit_name(const TrainParams& p, std::size_t rows) {
  std::string s = algorithm_name(p, rows);
  if (p.learner == Learner::xgboost) return s + fmt::format(" depth={} η={:g}", tree_depth(p), p.eta);
  if (p.learner == Learner::forest) return s + fmt::format(" trees={} depth={}", p.trees, tree_depth(p));
  s += fmt::format(" C={:g}", p.cost);
  if (p.learner == Learner::svm && p.kernel != KernelType::linear && p.gamma) s += fmt::format(" γ={:g}", *p.gamma);
  return s;
}

// libsvm's kernel solvers take time that grows about as the rows squared: measured here,
// 80 s for 20k rows and 457 s for 50k (docs/DESIGN.md), against liblinear's 2 s for 200k.
// From this many rows a kernel fit takes minutes, which deserves a word before it starts.
constexpr std::size_t kSlowKernelRows = 20000;

bool slow_kernel(const TrainParams& p, std::size_t rows) {
  if (p.learner != Learner::svm || rows < kSlowKernelRows) return false;
  return p.kernel != KernelType::linear || resolve_solver(p, rows) == Solver::libsvm;
}

// One line on stderr before long kernel fits, saying what trains faster.
void warn_slow_kernels(const std::vector<std::vector<TrainParams>>& grids, std::size_t rows, int k) {
  std::size_t fits = 0;
  std::string name;
  for (const auto& g : grids)
    for (const TrainParams& p : g)
      if (slow_kernel(p, rows)) {
        fits += std::size_t(std::max(k, 1));
        if (name.empty()) name = algorithm_name(p, rows);
      }
  if (!fits) return;
  fmt::print(stderr,
             "mltrain: warning: {} on {} rows will take long ({} libsvm fit{}; its time grows as the rows squared: "
             "80 s for 20k rows, 457 s for 50k); a linear learner (--learner linear-svm or logistic) trains such data "
             "in seconds\n",
             name, rows, fits, fits == 1 ? "" : "s");
}

// MODEL.range: the scaling a kernel model reads its features through, for svm-scale, so that
// svm-predict, which reads no sidecar, predicts what mlclassify does (scale_range.h). Said
// once on stderr. A range file left beside MODEL by an earlier training would scale rows for
// a model that reads them raw: it goes, as the model it was written for has gone.
void write_range_file(const std::string& model, const Scaling& scaling, std::uint32_t dimension) {
  const std::string path = model + ".range";
  if (scaling.method == ScaleMethod::none) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      throw Error(path, 0, fmt::format("cannot remove the range file of an earlier model: {}", std::strerror(errno)));
    return;
  }
  std::string text;
  try {
    text = format_scale_range(scaling, dimension);
  } catch (const Error& e) {
    ::unlink(path.c_str());
    fmt::print(stderr, "mltrain: warning: no {} for svm-scale: {}; svm-predict cannot apply this model's scaling\n",
               path, e.what());
    return;
  }
  write_file_atomically(path, text);
  fmt::print(stderr, "mltrain: wrote {}, the model's feature scaling ({}) for libsvm's tools: svm-scale -r {} ROWS | "
                     "svm-predict /dev/stdin {} OUT\n",
             path, scale_method_name(scaling.method), path, model);
}

// The configuration kept (the one given, or model selection's best) with its
// cross-validation when there was one, and the trainings run, for the solver's warning.
struct Kept {
  TrainParams params;
  std::optional<CvResult> cv;
  std::size_t solver_warnings = 0;
  std::size_t trainings = 0;
};

class TrainWorker : public Worker {
 public:
  TrainWorker(const MltrainSettings& s, const TrainSpec& spec, const CsvTable* csv)
      : s_(s), spec_(spec), params_(s.params), rows_(s.rows, csv, spec.digest) {}

  void process(const Record& in, std::string& /*out*/) override { rows_.add(in); }
  void finish(std::string& out) override { out += train_and_report(); }
  int follow(TrainRanks& ranks);

 private:
  const Dataset& data() const { return rows_.data(); }
  bool classify() const { return rows_.data().classification; }

  std::string train_and_report();
  void set_task(bool classify);
  void check_data() const;
  MetricChoice choose_metric() const;
  std::vector<TrainParams> points_of(const TrainParams& p) const;
  std::vector<std::vector<TrainParams>> candidates() const;
  Selection select(const std::vector<std::vector<TrainParams>>& grids, SelectionSetup setup) const;
  void evaluate(const MetricChoice& metric, Kept& kept, std::string& out);
  void decide(const CvResult& cv, int k, std::string& out);
  void choose_threshold(const CvResult& cv, const std::vector<bool>& positive, const std::string& folds);
  void write_oof(const CvResult& cv) const;
  TrainedWithScaling fit_final(Kept& kept) const;
  SidecarFacts sidecar_facts(const TrainedWithScaling& fit, const Kept& kept, const MetricChoice& metric) const;
  void write_model(const TrainedWithScaling& fit, const Kept& kept, const MetricChoice& metric) const;

  const MltrainSettings& s_;
  const TrainSpec& spec_;
  TrainParams params_;  // s_.params, with the task decided from the labels when s_.rows.detect_task
  LabelledRows rows_;
  // --calibrate and --threshold, once cross-validation has given out-of-fold scores.
  std::optional<PlattCalibration> calibration_;
  std::optional<ChosenThreshold> threshold_;
  std::string chosen_by_;
};

std::string TrainWorker::train_and_report() {
  std::string out;
  rows_.finish();
  set_task(classify());
  check_data();
  const MetricChoice metric = choose_metric();
  Kept kept;
  kept.params = params_;
  if (s_.evaluate()) evaluate(metric, kept, out);
  else if (s_.threshold != ThresholdRule::none) decide(CvResult{}, 0, out);  // a given threshold needs no cross-validation
  std::optional<TrainedWithScaling> fit;
  if (!s_.output.empty()) fit = fit_final(kept);
  if (kept.solver_warnings)
    fmt::print(stderr,
               "mltrain: warning: the solver stopped at its iteration limit in {} of {} trainings; the model may be "
               "poor (scale the features with --scale standard, or lower --cost)\n",
               kept.solver_warnings, kept.trainings);
  if (fit) write_model(*fit, kept, metric);
  return out;
}

// Classification or regression, as the labels decided: the parameters follow. An SVM type
// given is kept (the labels did not decide the task then).
void TrainWorker::set_task(bool classify) {
  if (params_.learner != Learner::svm || !s_.type_given)
    params_.type = classify ? SvmType::c_svc : SvmType::epsilon_svr;
}

// What the options ask of the rows: parameters that fit them, enough rows for the folds,
// two classes for --calibrate and --threshold.
void TrainWorker::check_data() const {
  check_params(params_, data());
  if (s_.evaluate() && data().rows() < std::size_t(s_.folds()))
    throw Error(fmt::format("{} rows are too few for {}-fold cross-validation", data().rows(), s_.folds()));
  if ((s_.calibrate || s_.threshold != ThresholdRule::none) && !(classify() && data().classes() == 2))
    throw Error::usage(fmt::format("{}: for binary classifiers only (the data have {} classes)",
                                   s_.calibrate ? "--calibrate" : "--threshold", data().classes()));
}

MetricChoice TrainWorker::choose_metric() const {
  const bool positive_given = !s_.rows.positive.empty();
  if (!s_.metric) return default_metric(data(), positive_given);
  check_metric(*s_.metric, data());
  return {*s_.metric, "", f1_class_of(data(), positive_given)};
}

std::vector<TrainParams> TrainWorker::points_of(const TrainParams& p) const {
  if (!s_.grid) return {p};
  GridSpec grid;
  grid.costs = grid_exponents(s_.grid_c, "--grid-c");
  grid.gammas = grid_exponents(s_.grid_gamma, "--grid-gamma");
  grid.depths = s_.grid_depth;
  grid.etas = s_.grid_eta;
  return expand_grid(p, grid);
}

// What --compare, --grid or --cv evaluate: each candidate's grid points.
std::vector<std::vector<TrainParams>> TrainWorker::candidates() const {
  std::vector<std::vector<TrainParams>> grids;
  if (s_.compare) {
    for (const TrainParams& c : compare_candidates(params_, classify())) grids.push_back(points_of(c));
  } else {
    grids.push_back(points_of(params_));
  }
  return grids;
}

int TrainWorker::follow(TrainRanks& ranks) {
  SelectionSetup setup;
  ranks.take(rows_.data(), setup.folds);
  set_task(classify());  // as rank 0 decided it from the labels
  setup.k = s_.folds();
  const bool positive_given = !s_.rows.positive.empty();
  setup.metric = s_.metric ? *s_.metric : default_metric(data(), positive_given).metric;
  setup.f1_class = f1_class_of(data(), positive_given);
  TaskFarm farm(s_.threads, &ranks.peers());
  setup.farm = &farm;
  try {
    select_model(data(), candidates(), setup);
  } catch (const Error& e) {
    return int(e.is_usage() ? Exit::usage : Exit::failure);
  }
  return int(Exit::ok);
}

// Model selection over `grids` with a progress line naming the fit that just ended: its
// learner, parameters and fold. Under an MPI launcher the other ranks wait for the rows,
// and share the trainings.
Selection TrainWorker::select(const std::vector<std::vector<TrainParams>>& grids, SelectionSetup setup) const {
  const int k = setup.k;
  std::size_t trainings = 0;
  for (const auto& g : grids) trainings += g.size() * std::size_t(k);
  std::vector<std::string> names;
  for (const auto& g : grids)
    for (const TrainParams& p : g) names.push_back(fit_name(p, data().rows()));
  Progress progress(s_.compare ? "mltrain compare" : s_.grid ? "mltrain grid" : "mltrain cross-validation",
                    s_.progress);
  const std::size_t fits = progress.counter("fits", trainings);
  Heartbeat heartbeat(progress);  // the time and ETA move while a long fit runs
  setup.progress = [&](std::size_t done, std::size_t, std::size_t job) {
    progress.set(fits, done);
    if (job < names.size() * std::size_t(k))
      progress.note(fmt::format("{} fold {}/{}", names[job / std::size_t(k)], job % std::size_t(k) + 1, k));
    progress.poll();
  };
  std::optional<TaskFarm> farm;
  if (TrainRanks* ranks = train_ranks()) {
    ranks->start(data(), setup.folds);
    setup.farm = &farm.emplace(s_.threads, &ranks->peers());
  }
  Selection sel = select_model(data(), grids, setup);
  heartbeat.stop();
  progress.finish();
  return sel;
}

// --cv, --grid, --compare: the folds, the selection, its tables and the kept configuration's
// figures, then --calibrate, --threshold and --oof from its out-of-fold values.
void TrainWorker::evaluate(const MetricChoice& metric, Kept& kept, std::string& out) {
  const int k = s_.folds();
  const unsigned seed = kept.params.seed;
  SelectionSetup setup;
  setup.k = k;
  setup.folds = s_.rows.group.empty() ? assign_folds(data(), k, seed) : assign_group_folds(rows_.groups(), k, seed);
  setup.threads = s_.threads;
  setup.metric = metric.metric;
  setup.f1_class = metric.f1_class;
  const std::vector<std::vector<TrainParams>> grids = candidates();
  for (const auto& g : grids) kept.trainings += g.size() * std::size_t(k);
  warn_slow_kernels(grids, data().rows(), k);
  Selection sel = select(grids, std::move(setup));
  for (const Evaluated& e : sel.best) kept.solver_warnings += e.cv.solver_warnings;
  if (s_.compare) out += compare_table(sel, data(), k, s_.grid, metric);
  else if (s_.grid) out += grid_table(sel, data(), k, metric);
  kept.params = sel.best.front().params;
  kept.params.probability = params_.probability;
  kept.cv = std::move(sel.best.front().cv);
  fmt::format_to(std::back_inserter(out), "{}-fold cross-validation{} of {} {} on {} rows:\n", k,
                 s_.rows.group.empty() ? "" : fmt::format(" (folds by {})", s_.rows.group),
                 algorithm_name(kept.params, data().rows()), params_text(kept.params, data()), data().rows());
  report_metrics(out, kept.cv->metrics, data());
  decide(*kept.cv, k, out);
  if (!s_.oof.empty()) write_oof(*kept.cv);
}

// --calibrate and --threshold from the kept configuration's out-of-fold decision values
// (`k` folds; an empty `cv` when there was no cross-validation).
void TrainWorker::decide(const CvResult& cv, int k, std::string& out) {
  if (!s_.calibrate && s_.threshold == ThresholdRule::none) return;
  std::vector<bool> positive(data().rows());
  for (std::size_t r = 0; r < data().rows(); ++r) positive[r] = data().target[r] == 0;
  const std::string folds = fmt::format("{} {}folds", k, s_.rows.group.empty() ? "" : "grouped ");
  if (s_.calibrate) {
    calibration_ = fit_platt(cv.scores, positive);
    // A sigmoid that falls as decision values rise would reverse every threshold: the
    // model ranks held-out rows no better than chance, and calibrating it would hide that.
    if (!(calibration_->a < 0))
      throw Error(fmt::format("--calibrate: the fitted sigmoid does not rise with the decision value (a = {:.6g}); "
                              "the model does not separate held-out rows",
                              calibration_->a));
    fmt::format_to(std::back_inserter(out),
                   "calibration: Platt sigmoid a {:.6g}  b {:.6g}  (on {} out-of-fold decision values, {})\n",
                   calibration_->a, calibration_->b, cv.scores.size(), folds);
  }
  if (s_.threshold == ThresholdRule::none) return;
  choose_threshold(cv, positive, folds);
  const ChosenThreshold& t = *threshold_;
  fmt::format_to(std::back_inserter(out), "threshold: decision > {:.6g}", t.threshold);
  if (calibration_)
    fmt::format_to(std::back_inserter(out), " (probability > {:.4f})", apply_platt(*calibration_, t.threshold));
  fmt::format_to(std::back_inserter(out), ", {}", chosen_by_);
  if (!cv.scores.empty())
    fmt::format_to(std::back_inserter(out), ": out-of-fold precision {:.4f}  recall {:.4f}  F1 {:.4f}", t.precision,
                   t.recall, t.f1);
  out += '\n';
}

// The threshold of --threshold: the out-of-fold value with the best F1, or the value given
// with its out-of-fold figures when there was cross-validation.
void TrainWorker::choose_threshold(const CvResult& cv, const std::vector<bool>& positive, const std::string& folds) {
  ChosenThreshold t;
  if (s_.threshold == ThresholdRule::best_f1) {
    t = best_f1_threshold(cv.scores, positive);
    chosen_by_ = "best-f1 over " + folds;
  } else {
    t.threshold = s_.threshold_value;
    chosen_by_ = "given";
    if (!cv.scores.empty()) {
      std::size_t tp = 0, predicted = 0, pos = 0;
      for (std::size_t r = 0; r < positive.size(); ++r) {
        bool p = cv.scores[r] > t.threshold;
        predicted += p;
        pos += positive[r];
        tp += p && positive[r];
      }
      t.precision = predicted ? double(tp) / double(predicted) : 0;
      t.recall = pos ? double(tp) / double(pos) : 0;
      t.f1 = tp ? 2 * t.precision * t.recall / (t.precision + t.recall) : 0;
    }
  }
  threshold_ = t;
}

// --oof: one line per training row, in input order, with what the folds that held it out
// predicted: a second-stage model can be trained on these without the first one's optimism.
void TrainWorker::write_oof(const CvResult& cv) const {
  std::string text;
  JsonWriter w(text);
  const bool binary = classify() && data().classes() == 2;
  for (std::size_t r = 0; r < data().rows(); ++r) {
    w.begin_object();
    w.key("row").integer(std::int64_t(r));
    if (binary) {
      w.key("decision").number(cv.scores[r]);
      if (calibration_) w.key("probability").number(apply_platt(*calibration_, cv.scores[r]));
    } else if (classify()) {
      w.key("class").string(data().class_names[std::size_t(cv.predicted[r])]);
    } else {
      w.key("value").number(cv.predicted[r]);
    }
    w.end_object().end_record();
  }
  write_file_atomically(s_.oof, text);
}

// -o: the kept configuration trained on every row, with a progress line while it fits.
TrainedWithScaling TrainWorker::fit_final(Kept& kept) const {
  const std::size_t rows = data().rows();
  if (!s_.evaluate()) warn_slow_kernels({{kept.params}}, rows, 1);
  Progress progress("mltrain", s_.progress);
  progress.note(fmt::format("fitting {} on {} rows", fit_name(kept.params, rows), rows));
  Heartbeat heartbeat(progress);
  TrainedWithScaling fit = train_final_model(data(), kept.params);
  kept.solver_warnings += fit.trained.solver_warnings;
  ++kept.trainings;
  return fit;
}

// What the sidecar keeps of this training, but the CSV columns and the model file's digest.
SidecarFacts TrainWorker::sidecar_facts(const TrainedWithScaling& fit, const Kept& kept,
                                        const MetricChoice& metric) const {
  const Trained& t = fit.trained;
  const TrainParams& chosen = kept.params;
  SidecarFacts facts;
  facts.params = &chosen;
  facts.data = &data();
  if (classify()) facts.model_labels = t.model.labels();
  if (chosen.learner == Learner::svm) facts.support_vectors = t.model.support_vectors();
  if (s_.rows.format != InputFormat::libsvm && s_.rows.needs_label) facts.label_field = s_.rows.label;
  if (classify() && s_.rows.needs_label) facts.label_type = std::string(label_type_name(rows_.labels().type()));
  facts.spec_json = spec_.json;
  facts.intercepts = t.intercepts;
  facts.scaling = fit.scaling;
  facts.scale_method = fit.folded != ScaleMethod::none ? fit.folded : fit.scaling.method;
  if (chosen.learner == Learner::svm && chosen.kernel != KernelType::linear)
    facts.gamma = t.model.file().gamma;  // what training resolved, on the rows as scaled
  if (kept.cv) {
    facts.cv = kept.cv->metrics;
    facts.folds = s_.folds();
    facts.group = s_.rows.group;
    facts.metric = metric;
  }
  facts.calibration = calibration_;
  if (!calibration_ && traits(chosen.learner).probabilities && classify() && data().classes() == 2) {
    // A logistic regression's decision value (a binary tree model's margin) is the
    // log-odds of the first class.
    facts.calibration = PlattCalibration{-1, 0};
    facts.calibration_method = "logistic";
  }
  facts.threshold = threshold_;
  facts.threshold_chosen_by = chosen_by_;
  const std::optional<ColumnPrep>& prep = rows_.columns();
  facts.dimension = std::uint32_t(std::max({std::uint64_t(data().max_index), std::uint64_t(rows_.dense_width()),
                                            std::uint64_t(prep ? prep->dimension() : 0),
                                            spec_dimension(spec_.json)}));
  return facts;
}

// The model file, its sidecar (checked by loading both as every reader will) and MODEL.range.
void TrainWorker::write_model(const TrainedWithScaling& fit, const Kept& kept, const MetricChoice& metric) const {
  const Trained& t = fit.trained;
  SidecarFacts facts = sidecar_facts(fit, kept, metric);
  std::optional<ColumnPrep> prep = rows_.columns();
  if (prep) {
    // What a missing cell becomes at prediction: the mean fitted on every training row, or,
    // for trees, nothing (it stays missing).
    const bool trees = is_tree_learner(kept.params.learner);
    for (std::size_t j = 0; j < prep->columns.size(); ++j)
      if (PreparedColumn& c = prep->columns[j]; c.kind == ColumnKind::number)
        c.fill = trees ? std::nullopt : std::optional<double>(fit.imputation.fill[prep->first_index(j)]);
    facts.columns = &*prep;
  }
  facts.model_file = file_digest(t.text);
  const std::string side = format_sidecar(facts);
  // Validate what we wrote with the same parser every reader uses.
  load_model_from_text(t.text, side, s_.output);
  write_file_atomically(s_.output, t.text);
  write_file_atomically(sidecar_path(s_.output), side);
  write_range_file(s_.output, is_tree_learner(kept.params.learner) ? Scaling{} : fit.scaling, facts.dimension);
}

}  // namespace

TrainStage::TrainStage(MltrainSettings settings, std::string spec_json) : settings_(std::move(settings)) {
  spec_.json = std::move(spec_json);
  if (!spec_.json.empty()) spec_.digest = feature_spec_digest(spec_.json);
  if (settings_.rows.format == InputFormat::csv) {
    CsvLayout layout;
    layout.fields = {settings_.rows.label};
    if (!settings_.rows.group.empty()) layout.fields.push_back(settings_.rows.group);
    layout.ignore = settings_.rows.ignore;
    csv_ = std::make_shared<CsvTable>(std::move(layout));
  }
}

void TrainStage::header(const Record& line) const { csv_->header(line.data); }

std::unique_ptr<Worker> TrainStage::make_worker() const {
  return std::make_unique<TrainWorker>(settings_, spec_, csv_.get());
}

int TrainStage::follow(TrainRanks& ranks) const { return TrainWorker(settings_, spec_, csv_.get()).follow(ranks); }

}  // namespace mlpipe
