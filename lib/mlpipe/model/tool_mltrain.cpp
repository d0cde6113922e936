#include "mlpipe/model/tool_mltrain.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/model/calibration.h"
#include "mlpipe/model/class_labels.h"
#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/describe.h"
#include "mlpipe/model/libsvm_row.h"
#include "mlpipe/model/folds.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/scale_range.h"
#include "mlpipe/model/selection.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/threshold.h"
#include "mlpipe/model/train.h"
#include "mlpipe/model/training_columns.h"
#include "mlpipe/model/train_ranks.h"
#include "mlpipe/model/train_report.h"

namespace mlpipe {

namespace {

enum class InputFormat { ndjson, libsvm, csv };
enum class Task { automatic, classification, regression };

struct Options {
  std::string output;
  std::string info;
  bool json = false;  // --info --json
  std::string label = "label";
  std::string features_field;
  InputFormat format = InputFormat::ndjson;
  std::vector<std::string> ignore;  // --ignore COLUMN (CSV)
  Learner learner = Learner::svm;
  Task task = Task::automatic;
  SvmType type = SvmType::c_svc;
  bool type_given = false;
  KernelType kernel = KernelType::rbf;
  double cost = 1;
  std::string gamma;  // scale, auto or a value
  int degree = 3;
  double coef0 = 0;
  double nu = 0.5;
  std::optional<double> epsilon;
  double tolerance = 1e-3;
  double cache_mb = 200;
  std::vector<std::string> weights;
  bool balanced = false;
  bool probability = false;
  unsigned seed = 1;
  Solver solver = Solver::automatic;
  bool compact = false;
  std::string scale = "auto";
  int trees = 100;
  std::optional<int> depth;  // default: the learner's
  double eta = kBoostEta;
  std::string positive;
  int cv = 0;
  bool grid = false;
  std::string grid_c = "-5:15:2";
  std::string grid_gamma = "-15:3:2";
  std::vector<int> grid_depth{2, 4, 6, 8};
  std::vector<double> grid_eta{0.05, 0.1, 0.3};
  bool compare = false;
  std::string metric;  // "" = the default for the data
  std::string spec;
  std::string refresh_sidecar;  // --refresh-sidecar MODEL
  std::string group;      // --group FIELD: folds keep the records of one value together
  bool calibrate = false;  // --calibrate: Platt scaling on out-of-fold decision values
  std::string threshold;  // --threshold best-f1|VALUE
  std::string oof;        // --oof FILE: out-of-fold predictions
  int threads = 1;
  bool progress = false;
};

struct Settings {
  Options o;
  TrainParams params;
  bool classify = true;
  // Neither --task nor --type says, and the learner does both: numeric labels that look
  // like a quantity (targets_look_numeric) make it regression once all are read.
  bool detect_task = false;
  std::string spec_json;  // canonical spec text, "" when none
  std::string spec_digest;  // its digest (core/spec_digest.h), checked against the records'
};

// ---------------------------------------------------------------- collecting rows

// The indices a spec declares, whether or not the training rows hold them all: the whole
// vector of an mlfeat spec with groups (its "dimension"), else its word block (hashing: 2^bits;
// fitted: the terms), or the whole layout of mllink's pair spec. 0 for no spec.
std::uint64_t declared_dimension(const std::string& spec_json) {
  if (spec_json.empty()) return 0;
  JsonText json(spec_json, "spec");
  JsonReader& r = json.reader();
  if (std::optional<Field> d = r.find("dimension"); d && d->type == JsonType::number) {
    const double v = r.get_number(*d);
    return v >= 1 && v <= 4294967295.0 ? std::uint64_t(v) : 0;
  }
  if (std::optional<Field> pair = r.find("layout.pair"); pair && pair->type == JsonType::array) {
    std::vector<double> range;
    r.get_numbers(*pair, range);
    return range.size() == 2 && range[1] >= 1 && range[1] <= 4294967295.0 ? std::uint64_t(range[1]) : 0;
  }
  std::optional<Field> type = r.find("vocabulary.type");
  if (!type || type->type != JsonType::string) return 0;
  const bool hashing = r.get_string(*type) == "hashing";
  std::optional<Field> size = r.find(hashing ? "vocabulary.hash_bits" : "vocabulary.terms");
  if (!size || size->type != JsonType::number) return 0;
  const std::int64_t v = r.get_integer(*size);
  if (hashing) return v >= 1 && v <= 31 ? std::uint64_t(1) << v : 0;
  return v >= 1 && v <= 4294967295 ? std::uint64_t(v) : 0;
}

void write_range_file(const std::string& model, const Scaling& scaling, std::uint32_t dimension);

class TrainWorker : public Worker {
 public:
  TrainWorker(const Settings& s, const CsvTable* csv) : s_(s), params_(s.params), csv_(csv) {
    needs_label_ = !(s.params.learner == Learner::svm && s.params.type == SvmType::one_class);
    classify_ = s.classify;
    data_.classification = classify_;
  }

  void process(const Record& in, std::string& /*out*/) override {
    if (s_.o.format == InputFormat::libsvm) return process_libsvm(in);
    if (csv_) return process_csv(in);
    process_json(in);
  }

  void finish(std::string& out) override { out += train_and_report(); }

  // A rank other than 0 under an MPI launcher: the rows and folds from rank 0, then the
  // same model selection as rank 0, whose trainings it shares; nothing printed. An error
  // here is the one rank 0 meets and reports too: it only sets the exit status.
  int follow(TrainRanks& ranks);

 private:
  // A CSV row: its label and group read from the record it stands for, its feature cells
  // kept as they are until every row is in (training_columns.h). A row whose label is
  // missing is no training row: counted, and said once.
  void process_csv(const Record& in) {
    const Record record = csv_->to_record(in, row_json_, cells_);
    if (!columns_) {
      columns_.emplace(csv_->feature_columns());
      const std::vector<std::string>& names = csv_->columns();
      if (auto it = std::find(names.begin(), names.end(), s_.o.label); it != names.end())
        label_column_ = std::size_t(it - names.begin());
    }
    if (needs_label_ && label_column_ && is_missing_cell(cells_[*label_column_])) {
      ++unlabelled_rows_;
      return;
    }
    reader_.index(record);
    const double y = read_label_and_group();
    note_label(in, y);
    columns_->add(cells_, csv_->feature_positions(), fmt::format("{}:{}", in.source_name(), in.line));
    targets_.push_back(y);
    if (!s_.o.group.empty()) group_.push_back(group_value_);
  }

  void process_json(const Record& in) {
    reader_.index(in);
    std::optional<Field> f;
    if (!s_.o.features_field.empty()) {
      f = reader_.find(s_.o.features_field);
      if (!f) throw Error(fmt::format("no field '{}' (the features, --features-field)", s_.o.features_field));
    } else {
      f = reader_.find("features");
      if (!f) f = reader_.find("x");
      if (!f) throw Error("no 'features' or 'x' field (use --features-field to name another)");
    }
    const JsonReader::VectorFacts facts = reader_.get_sparse(*f, x_);
    if (!facts.spec.empty() && !s_.spec_digest.empty() && facts.spec != s_.spec_digest)
      throw Error(spec_digest_mismatch(facts.spec, s_.spec_digest, fmt::format("the spec of --spec {}", s_.o.spec)));
    // get_sparse validated the vector; its values are read again in double precision, as
    // libsvm text rows are: the same rows train the same model in either format.
    values_.clear();
    if (f->type == JsonType::array) {
      reader_.get_numbers(*f, dense_);
      dense_width_ = std::max(dense_width_, dense_.size());
      for (double v : dense_)
        if (v != 0) values_.push_back(v);
    } else {
      for (const Field& member : reader_.get_object(*f))
        if (member.key == "val") reader_.get_numbers(member, values_);
    }
    const double y = read_label_and_group();
    note_label(in, y);
    data_.add_row(x_.idx, values_, y);
    // Only now: a record skipped above (--on-error=skip) must not leave its group behind,
    // or every later row would fall in its neighbour's fold.
    if (!s_.o.group.empty()) group_.push_back(group_value_);
  }

  // The indexed record's label (a class index, the regression target, or while the task is
  // undecided a numeric label as it is), and its group into group_value_.
  double read_label_and_group() {
    if (!s_.o.group.empty()) {
      std::optional<Field> g = reader_.find(s_.o.group);
      if (!g) throw Error(fmt::format("no field '{}' (the group of --group)", s_.o.group));
      group_value_.assign(g->raw);
    }
    double y = 0;
    if (needs_label_) {
      std::optional<Field> l = reader_.find(s_.o.label);
      if (!l) throw Error(fmt::format("no label field '{}' (--label FIELD)", s_.o.label));
      if (s_.detect_task && l->type == JsonType::number) {
        y = reader_.get_number(*l);
        labels_.expect_number(y);
      } else if (classify_) {
        switch (l->type) {
          case JsonType::number: y = double(labels_.number(reader_.get_number(*l))); break;
          case JsonType::string: y = double(labels_.string(reader_.get_string(*l))); break;
          case JsonType::boolean: y = double(labels_.boolean(reader_.get_bool(*l))); break;
          default:
            throw Error(fmt::format("field '{}': expected a class label (a number, a string or a boolean), found {}",
                                    s_.o.label, type_name(l->type)));
        }
      } else {
        if (l->type != JsonType::number)
          throw Error(fmt::format("field '{}': expected a number (the regression target), found {}", s_.o.label,
                                  type_name(l->type)));
        y = reader_.get_number(*l);
      }
    }
    return y;
  }

  // "LABEL idx:val …" (libsvm's text format); a line that is only a comment is no row.
  void process_libsvm(const Record& in) {
    double y = 0;
    if (!parse_libsvm_row(in.data, y, idx_, val_)) return;
    if (needs_label_ && s_.detect_task) {
      labels_.expect_number(y);
      note_label(in, y);
    } else if (needs_label_ && classify_) {
      y = double(labels_.number(y));
    }
    data_.add_row(idx_, val_, needs_label_ ? y : 0);
  }

  // While the task is undecided: where the first numeric label that cannot be a class is,
  // for the error should the labels turn out to be classes.
  void note_label(const Record& in, double y) {
    if (!s_.detect_task || !needs_label_ || labels_.size() > 0 || not_a_class_) return;
    try {
      ClassLabels::check_class_number(y);
    } catch (const Error& e) {
      not_a_class_ = Error(in.source_name(), in.line, e.what());
    }
  }

  std::string train_and_report();
  void decide_task();
  void set_task(bool classify);
  void prepare_columns();
  void decide(const CvResult& cv, int k, std::string& out);
  void write_oof(const CvResult& cv) const;
  std::vector<TrainParams> points_of(const TrainParams& p) const;
  std::vector<std::vector<TrainParams>> candidates() const;

  const Settings& s_;
  TrainParams params_;  // s_.params, with the task decided from the labels when detect_task
  const CsvTable* csv_;
  bool needs_label_ = true;
  bool classify_ = true;
  JsonReader reader_;
  SparseVector x_;
  std::vector<double> values_;  // x_'s values in double precision
  std::vector<double> dense_;   // a dense "x" array as read
  std::size_t dense_width_ = 0;  // the longest dense array: the dimension even if its last values are 0
  std::string row_json_;
  std::vector<std::string> cells_;
  // CSV: the rows' feature cells and targets until every row is in, then the columns'
  // layout (kept in the sidecar); the label's column; the rows left out for want of a label.
  std::optional<TrainingColumns> columns_;
  std::vector<double> targets_;
  std::optional<ColumnPrep> prep_;
  std::optional<std::size_t> label_column_;
  std::size_t unlabelled_rows_ = 0;
  std::optional<Error> not_a_class_;  // see note_label
  std::vector<std::uint32_t> idx_;
  std::vector<double> val_;
  Dataset data_;
  ClassLabels labels_;
  std::vector<std::string> group_;  // --group: each row's group value (JSON text)
  std::string group_value_;         // the current record's, until it is a row
  // --calibrate and --threshold, once cross-validation has given out-of-fold scores.
  std::optional<PlattCalibration> calibration_;
  std::optional<ChosenThreshold> threshold_;
  std::string chosen_by_;
};

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

// ---------------------------------------------------------------- training

std::vector<TrainParams> TrainWorker::points_of(const TrainParams& p) const {
  if (!s_.o.grid) return {p};
  GridSpec grid;
  grid.costs = grid_exponents(s_.o.grid_c, "--grid-c");
  grid.gammas = grid_exponents(s_.o.grid_gamma, "--grid-gamma");
  grid.depths = s_.o.grid_depth;
  grid.etas = s_.o.grid_eta;
  return expand_grid(p, grid);
}

// What --compare, --grid or --cv evaluate: each candidate's grid points.
std::vector<std::vector<TrainParams>> TrainWorker::candidates() const {
  std::vector<std::vector<TrainParams>> grids;
  if (s_.o.compare) {
    for (const TrainParams& c : compare_candidates(params_, classify_)) grids.push_back(points_of(c));
  } else {
    grids.push_back(points_of(params_));
  }
  return grids;
}

int TrainWorker::follow(TrainRanks& ranks) {
  SelectionSetup setup;
  ranks.take(data_, setup.folds);
  set_task(data_.classification);  // as rank 0 decided it from the labels
  setup.k = s_.o.cv ? s_.o.cv : 5;
  const bool positive_given = !s_.o.positive.empty();
  setup.metric = s_.o.metric.empty() ? default_metric(data_, positive_given).metric : *metric_by_name(s_.o.metric);
  setup.f1_class = f1_class_of(data_, positive_given);
  TaskFarm farm(s_.o.threads, &ranks.peers());
  setup.farm = &farm;
  try {
    select_model(data_, candidates(), setup);
  } catch (const Error& e) {
    return int(e.is_usage() ? Exit::usage : Exit::failure);
  }
  return int(Exit::ok);
}

// The task of numeric labels read while it was undecided: regression when they look like a
// quantity (targets_look_numeric), said on stderr; classes otherwise, numbered now in the
// order the rows came in, as they would have been while reading.
void TrainWorker::decide_task() {
  if (!s_.detect_task || !needs_label_ || labels_.size() > 0) return;  // classes already (strings, booleans)
  std::vector<double>& targets = csv_ ? targets_ : data_.target;
  if (targets.empty()) return;
  if (targets_look_numeric(targets)) {
    const std::size_t distinct = std::set<double>(targets.begin(), targets.end()).size();
    fmt::print(stderr,
               "mltrain: the target '{}' holds {} distinct numbers in {} rows: trained as regression (--task "
               "classification learns them as classes)\n",
               s_.o.label, distinct, targets.size());
    set_task(false);
    return;
  }
  if (not_a_class_) throw *not_a_class_;
  for (double& y : targets) y = double(labels_.number(y));
}

// Classification or regression: what the worker, its data and its parameters say.
void TrainWorker::set_task(bool classify) {
  classify_ = classify;
  data_.classification = classify;
  // An SVM type given is kept (the labels did not decide the task then).
  if (params_.learner != Learner::svm || !s_.o.type_given)
    params_.type = classify ? SvmType::c_svc : SvmType::epsilon_svr;
}

// CSV: each column's kind and levels from every row's cells, said where it deserves a
// word, and the rows made from them.
void TrainWorker::prepare_columns() {
  if (!csv_ || !columns_) return;  // no rows: check_params says so
  std::vector<std::string> notes;
  prep_ = columns_->decide(notes);
  for (const std::string& n : notes) fmt::print(stderr, "mltrain: warning: {}\n", n);
  std::vector<IgnoredColumn> ignored;
  for (const std::string& name : s_.o.ignore)
    if (std::find(csv_->columns().begin(), csv_->columns().end(), name) != csv_->columns().end())
      ignored.push_back({name, "--ignore"});
  ignored.insert(ignored.end(), prep_->ignored.begin(), prep_->ignored.end());
  prep_->ignored = std::move(ignored);
  columns_->fill_dataset(*prep_, targets_, data_);
  columns_.reset();
  targets_.clear();
}

std::string TrainWorker::train_and_report() {
  const Options& o = s_.o;
  std::string out;
  if (unlabelled_rows_)
    fmt::print(stderr, "mltrain: warning: {} row{} without a label (a missing '{}' cell) left out\n", unlabelled_rows_,
               unlabelled_rows_ == 1 ? "" : "s", s_.o.label);
  decide_task();
  prepare_columns();
  if (classify_) labels_.order(data_, o.positive);
  TrainParams chosen = params_;
  check_params(chosen, data_);
  const int k = o.cv ? o.cv : 5;
  const bool evaluate = o.cv || o.grid || o.compare;
  if (evaluate && !needs_label_) throw Error::usage("--cv, --grid and --compare need labels: not for --type one-class");
  if (evaluate && data_.rows() < std::size_t(k))
    throw Error(fmt::format("{} rows are too few for {}-fold cross-validation", data_.rows(), k));
  if ((o.calibrate || !o.threshold.empty()) && !(classify_ && data_.classes() == 2))
    throw Error::usage(fmt::format("{}: for binary classifiers only (the data have {} classes)",
                                   o.calibrate ? "--calibrate" : "--threshold", data_.classes()));
  const bool positive_given = !o.positive.empty();
  MetricChoice metric = default_metric(data_, positive_given);
  if (!o.metric.empty()) {
    metric = {*metric_by_name(o.metric), "", f1_class_of(data_, positive_given)};
    check_metric(metric.metric, data_);
  }

  std::optional<CvResult> chosen_cv;  // the cross-validation of the configuration kept
  std::size_t solver_warnings = 0, trainings = 0;
  if (evaluate) {
    SelectionSetup setup;
    setup.k = k;
    setup.folds = o.group.empty() ? assign_folds(data_, k, chosen.seed) : assign_group_folds(group_, k, chosen.seed);
    setup.threads = o.threads;
    setup.metric = metric.metric;
    setup.f1_class = metric.f1_class;
    const std::vector<std::vector<TrainParams>> grids = candidates();
    for (const auto& g : grids) trainings += g.size() * std::size_t(k);
    warn_slow_kernels(grids, data_.rows(), k);
    // The line names the fit that just ended: its learner, parameters and fold.
    std::vector<std::string> names;
    for (const auto& g : grids)
      for (const TrainParams& p : g) names.push_back(fit_name(p, data_.rows()));
    Progress progress(o.compare ? "mltrain compare" : o.grid ? "mltrain grid" : "mltrain cross-validation", o.progress);
    const std::size_t fits = progress.counter("fits", trainings);
    Heartbeat heartbeat(progress);  // the time and ETA move while a long fit runs
    setup.progress = [&](std::size_t done, std::size_t, std::size_t job) {
      progress.set(fits, done);
      if (job < names.size() * std::size_t(k))
        progress.note(fmt::format("{} fold {}/{}", names[job / std::size_t(k)], job % std::size_t(k) + 1, k));
      progress.poll();
    };
    // Under an MPI launcher the other ranks wait for the rows, and share the trainings.
    std::optional<TaskFarm> farm;
    if (TrainRanks* ranks = train_ranks()) {
      ranks->start(data_, setup.folds);
      setup.farm = &farm.emplace(o.threads, &ranks->peers());
    }
    Selection sel = select_model(data_, grids, setup);
    heartbeat.stop();
    progress.finish();
    for (const Evaluated& e : sel.best) solver_warnings += e.cv.solver_warnings;
    if (o.compare) out += compare_table(sel, data_, k, o.grid, metric);
    else if (o.grid) out += grid_table(sel, data_, k, metric);
    chosen = sel.best.front().params;
    chosen.probability = params_.probability;
    chosen_cv = std::move(sel.best.front().cv);
    fmt::format_to(std::back_inserter(out), "{}-fold cross-validation{} of {} {} on {} rows:\n", k,
                   o.group.empty() ? "" : fmt::format(" (folds by {})", o.group), algorithm_name(chosen, data_.rows()),
                   params_text(chosen, data_), data_.rows());
    report_metrics(out, chosen_cv->metrics, data_);
    decide(*chosen_cv, k, out);
    if (!o.oof.empty()) write_oof(*chosen_cv);
  } else if (!o.threshold.empty()) {
    decide(CvResult{}, 0, out);  // a given threshold needs no cross-validation
  }

  std::optional<TrainedWithScaling> final_model;
  if (!o.output.empty()) {
    if (!evaluate) warn_slow_kernels({{chosen}}, data_.rows(), 1);
    Progress progress("mltrain", o.progress);
    progress.note(fmt::format("fitting {} on {} rows", fit_name(chosen, data_.rows()), data_.rows()));
    Heartbeat heartbeat(progress);
    final_model = train_final_model(data_, chosen);
    solver_warnings += final_model->trained.solver_warnings;
    ++trainings;
  }
  if (solver_warnings)
    fmt::print(stderr,
               "mltrain: warning: the solver stopped at its iteration limit in {} of {} trainings; the model may be "
               "poor (scale the features with --scale standard, or lower --cost)\n",
               solver_warnings, trainings);
  if (!final_model) return out;

  const Trained& t = final_model->trained;
  SidecarFacts facts;
  facts.params = &chosen;
  facts.data = &data_;
  if (classify_) facts.model_labels = t.model.labels();
  if (chosen.learner == Learner::svm) facts.support_vectors = t.model.support_vectors();
  if (o.format != InputFormat::libsvm && needs_label_) facts.label_field = o.label;
  if (classify_ && needs_label_) facts.label_type = std::string(label_type_name(labels_.type()));
  facts.spec_json = s_.spec_json;
  if (prep_) {
    // What a missing cell becomes at prediction: the mean fitted on every training row, or,
    // for trees, nothing (it stays missing).
    const bool trees = is_tree_learner(chosen.learner);
    for (std::size_t j = 0; j < prep_->columns.size(); ++j)
      if (PreparedColumn& c = prep_->columns[j]; c.kind == ColumnKind::number)
        c.fill = trees ? std::nullopt : std::optional<double>(final_model->imputation.fill[prep_->first_index(j)]);
    facts.columns = &*prep_;
  }
  facts.intercepts = t.intercepts;
  facts.scaling = final_model->scaling;
  facts.scale_method =
      final_model->folded != ScaleMethod::none ? final_model->folded : final_model->scaling.method;
  if (chosen.learner == Learner::svm && chosen.kernel != KernelType::linear)
    facts.gamma = t.model.file().gamma;  // what training resolved, on the rows as scaled
  if (chosen_cv) {
    facts.cv = chosen_cv->metrics;
    facts.folds = k;
    facts.group = o.group;
    facts.metric = metric;
  }
  facts.calibration = calibration_;
  if (!calibration_ && traits(chosen.learner).probabilities && classify_ && data_.classes() == 2) {
    // A logistic regression's decision value (a binary tree model's margin) is the
    // log-odds of the first class.
    facts.calibration = PlattCalibration{-1, 0};
    facts.calibration_method = "logistic";
  }
  facts.threshold = threshold_;
  facts.threshold_chosen_by = chosen_by_;
  facts.dimension = std::uint32_t(std::max({std::uint64_t(data_.max_index), std::uint64_t(dense_width_),
                                            std::uint64_t(prep_ ? prep_->dimension() : 0),
                                            declared_dimension(s_.spec_json)}));
  facts.model_file = file_digest(t.text);
  std::string side = format_sidecar(facts);
  // Validate what we wrote with the same parser every reader uses.
  load_model_from_text(t.text, side, o.output);
  write_file_atomically(o.output, t.text);
  write_file_atomically(sidecar_path(o.output), side);
  write_range_file(o.output, is_tree_learner(chosen.learner) ? Scaling{} : final_model->scaling, facts.dimension);
  return out;
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

// --calibrate and --threshold from the kept configuration's out-of-fold decision values
// (`k` folds; an empty `cv` when there was no cross-validation).
void TrainWorker::decide(const CvResult& cv, int k, std::string& out) {
  const Options& o = s_.o;
  if (!o.calibrate && o.threshold.empty()) return;
  std::vector<bool> positive(data_.rows());
  for (std::size_t r = 0; r < data_.rows(); ++r) positive[r] = data_.target[r] == 0;
  std::string folds = fmt::format("{} {}folds", k, o.group.empty() ? "" : "grouped ");
  if (o.calibrate) {
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
  if (o.threshold.empty()) return;
  ChosenThreshold t;
  if (o.threshold == "best-f1") {
    t = best_f1_threshold(cv.scores, positive);
    chosen_by_ = "best-f1 over " + folds;
  } else {
    t.threshold = parse_double(o.threshold).value();  // checked when the options were read
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
  fmt::format_to(std::back_inserter(out), "threshold: decision > {:.6g}", t.threshold);
  if (calibration_)
    fmt::format_to(std::back_inserter(out), " (probability > {:.4f})", apply_platt(*calibration_, t.threshold));
  fmt::format_to(std::back_inserter(out), ", {}", chosen_by_);
  if (!cv.scores.empty())
    fmt::format_to(std::back_inserter(out), ": out-of-fold precision {:.4f}  recall {:.4f}  F1 {:.4f}", t.precision,
                   t.recall, t.f1);
  out += '\n';
}

// --oof: one line per training row, in input order, with what the folds that held it out
// predicted: a second-stage model can be trained on these without the first one's optimism.
void TrainWorker::write_oof(const CvResult& cv) const {
  std::string text;
  JsonWriter w(text);
  const bool binary = classify_ && data_.classes() == 2;
  for (std::size_t r = 0; r < data_.rows(); ++r) {
    w.begin_object();
    w.key("row").integer(std::int64_t(r));
    if (binary) {
      w.key("decision").number(cv.scores[r]);
      if (calibration_) w.key("probability").number(apply_platt(*calibration_, cv.scores[r]));
    } else if (classify_) {
      w.key("class").string(data_.class_names[std::size_t(cv.predicted[r])]);
    } else {
      w.key("value").number(cv.predicted[r]);
    }
    w.end_object().end_record();
  }
  write_file_atomically(s_.o.oof, text);
}

class TrainStage : public Stage {
 public:
  explicit TrainStage(Settings s) : s_(std::move(s)) {
    if (s_.o.format == InputFormat::csv) {
      CsvLayout layout;
      layout.fields = {s_.o.label};
      if (!s_.o.group.empty()) layout.fields.push_back(s_.o.group);
      layout.ignore = s_.o.ignore;
      csv_ = std::make_shared<CsvTable>(std::move(layout));
    }
  }
  bool concurrent() const override { return false; }
  bool reads_header() const override { return csv_ != nullptr; }
  std::string_view input_unit() const override { return "rows"; }
  void header(const Record& line) const override { csv_->header(line.data); }
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<TrainWorker>(s_, csv_.get()); }
  int follow(TrainRanks& ranks) const { return TrainWorker(s_, csv_.get()).follow(ranks); }

 private:
  Settings s_;
  std::shared_ptr<CsvTable> csv_;  // filled by header(), then read by the worker
};

// ---------------------------------------------------------------- options

// --refresh-sidecar MODEL: the sidecar rewritten for the model file beside it. The model
// file is read, never written: it stays byte for byte what training wrote.
void refresh_sidecar_file(const std::string& model_path) {
  const std::string side_path = sidecar_path(model_path);
  std::string model_text = read_model_text(model_path);
  struct stat st;
  if (::stat(side_path.c_str(), &st) != 0)
    throw Error(side_path, 0, "no sidecar to refresh (a model without one loads as it is)");
  std::string side = refresh_sidecar(read_whole_file(side_path), model_text, side_path);
  // What is written must load: the model parses, and the sidecar fits it.
  load_model_from_text(model_text, side, model_path);
  write_file_atomically(side_path, side);
}

// An option whose words name enum values: refused with the list of words when unknown,
// then read as the value (CLI11's CheckedTransformer prints the enum's integers instead).
template <typename E>
CLI::Option* one_of(CLI::Option* opt, std::vector<std::pair<std::string, E>> list) {
  std::string words;
  for (const auto& [name, value] : list) words += (words.empty() ? "" : ",") + name;
  auto map = [list, words](std::string& in) -> std::string {
    for (const auto& [name, value] : list)
      if (in == name) {
        in = std::to_string(static_cast<int>(value));
        return {};
      }
    return fmt::format("{} not in {{{}}}", in, words);
  };
  std::string type = words;
  std::replace(type.begin(), type.end(), ',', '|');
  return opt->transform(CLI::Validator(map, "", ""))->type_name(type);
}

StageFactory declare(CLI::App& app) {
  auto o = std::make_shared<Options>();
  app.add_option("-o,--output", o->output, "Write the model to MODEL and its sidecar to MODEL.json, atomically (and a kernel "
                 "model's scaling for svm-scale to MODEL.range)")
      ->type_name("MODEL");
  app.add_option("--info", o->info,
                 "Describe MODEL and its sidecar for a person (learner and parameters, task and classes, features, "
                 "scaling, calibration, threshold, cross-validation figures) and exit")
      ->type_name("MODEL");
  app.add_flag("--json", o->json, "With --info: print the sidecar instead, as stored (one JSON line; jq . for more)");
  app.add_option("--refresh-sidecar", o->refresh_sidecar,
                 "Rewrite MODEL's sidecar for the model file as it is now (its size and checksum; the dimension an "
                 "older sidecar lacks), everything else kept, and exit")
      ->type_name("MODEL");
  app.add_option("--label", o->label, "Field (or CSV column) holding the label or target (a dotted path reaches into "
                                      "objects)")
      ->type_name("FIELD")
      ->capture_default_str();
  app.add_option("--features-field", o->features_field, "Field holding the features (default: features, else x)")
      ->type_name("FIELD");
  one_of<InputFormat>(app.add_option("--format", o->format,
                                      "Input format: NDJSON records, libsvm's text format (LABEL idx:val …), or CSV "
                                      "with a header row, as it comes (every column but --label, --group and --ignore "
                                      "is a feature: numbers, or text as categories; missing cells filled per fold)"),
                      {{"ndjson", InputFormat::ndjson}, {"libsvm", InputFormat::libsvm}, {"csv", InputFormat::csv}})
      ->default_str("ndjson");
  app.add_option("--ignore", o->ignore, "CSV: leave COLUMN out (an identifier, a free-text column), repeatable")
      ->type_name("COLUMN")
      ->allow_extra_args(false);
  std::vector<std::pair<std::string, Learner>> learner_list;
  for (const LearnerTraits& t : all_learners()) learner_list.emplace_back(std::string(t.name), t.learner);
  one_of<Learner>(app.add_option("-l,--learner", o->learner, "The learner (the table in mltrain(1))"), learner_list)
      ->default_str("svm");
  one_of<Task>(app.add_option("--task", o->task,
                               "Classification (labels are classes) or regression (a numeric target); default: "
                               "from --type or the learner, else regression for numbers with more than 20 distinct "
                               "values and fewer than 20 rows per value (or not whole), classes otherwise"),
               {{"classification", Task::classification}, {"regression", Task::regression}});
  one_of<SvmType>(app.add_option("-s,--type", o->type, "SVM type (--learner svm)"),
                  {{"c-svc", SvmType::c_svc},
                   {"nu-svc", SvmType::nu_svc},
                   {"one-class", SvmType::one_class},
                   {"epsilon-svr", SvmType::epsilon_svr},
                   {"nu-svr", SvmType::nu_svr}})
      ->default_str("c-svc");
  one_of<KernelType>(app.add_option("-t,--kernel", o->kernel, "Kernel (--learner svm)"),
                     {{"linear", KernelType::linear},
                      {"poly", KernelType::poly},
                      {"rbf", KernelType::rbf},
                      {"sigmoid", KernelType::sigmoid}})
      ->default_str("rbf");
  app.add_option("-c,--cost", o->cost, "C: the cost of errors (SVMs and the linear learners)")->capture_default_str();
  app.add_option("-g,--gamma", o->gamma,
                 "Kernel gamma (rbf, poly, sigmoid): a value, scale (1 / (features × variance), the default) or "
                 "auto (1 / features, libsvm's)")
      ->type_name("G|scale|auto");
  app.add_option("-d,--degree", o->degree, "Degree of the poly kernel")->capture_default_str();
  app.add_option("-r,--coef0", o->coef0, "coef0 of the poly and sigmoid kernels")->capture_default_str();
  app.add_option("-n,--nu", o->nu, "nu (nu-svc, one-class, nu-svr)")->capture_default_str();
  app.add_option("-p,--epsilon", o->epsilon,
                 "epsilon of the SVR loss (default: 0.01 × the targets' standard deviation)")
      ->type_name("E");
  app.add_option("-e,--tolerance", o->tolerance, "Stopping tolerance of libsvm's solver")->capture_default_str();
  app.add_option("--cache-mb", o->cache_mb, "libsvm's kernel cache, in MB")->capture_default_str();
  app.add_option("-w,--weight", o->weights, "Weight of a class's errors, repeatable (C times W)")
      ->type_name("NAME=W")
      ->allow_extra_args(false);
  app.add_flag("--balanced", o->balanced, "Weight classes by rows / (classes × rows of the class)");
  app.add_flag("-b,--probability", o->probability, "Train probability estimates too (libsvm's internal 5-fold CV)");
  app.add_option("--seed", o->seed, "Seed for folds and solvers' random choices")->capture_default_str();
  one_of<Solver>(app.add_option("--solver", o->solver,
                                 fmt::format("--learner svm: libsvm, liblinear (linear c-svc only), or auto: "
                                             "liblinear for linear c-svc from {} rows",
                                             kLiblinearRows)),
                 {{"auto", Solver::automatic}, {"libsvm", Solver::libsvm}, {"liblinear", Solver::liblinear}})
      ->default_str("auto");
  app.add_flag("--compact", o->compact, "Store a linear libsvm model as collapsed weight vectors");
  app.add_option("--scale", o->scale,
                 fmt::format("Feature scaling fitted on the training rows and kept in the sidecar; auto: standard "
                             "for SVMs and linear learners on at most {} features, none for xgboost and wider data",
                             kAutoScaleMaxFeatures))
      ->check(CLI::IsMember({"auto", "standard", "minmax", "none"}))
      ->type_name("auto|standard|minmax|none")
      ->capture_default_str();
  app.add_option("--trees", o->trees, "xgboost: boosting rounds; forest: the trees of the forest")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--depth", o->depth,
                 fmt::format("xgboost, forest: maximum tree depth (default {} for xgboost, {} for forest)", kBoostDepth,
                             kForestDepth))
      ->check(CLI::Range(1, 30));
  app.add_option("--eta", o->eta, "xgboost: learning rate")->check(CLI::Range(1e-6, 1.0))->capture_default_str();
  app.add_option("--positive", o->positive, "Make class NAME the first (positive) class")->type_name("NAME");
  app.add_option("--cv", o->cv, "K-fold cross-validation: print the metrics (and keep them in the sidecar)")
      ->check(CLI::Range(2, 100))
      ->type_name("K");
  app.add_flag("--grid", o->grid,
               "Grid search by cross-validation (K from --cv, default 5): C and gamma for SVMs, C for linear "
               "learners, --grid-depth × --grid-eta for xgboost");
  app.add_option("--grid-c", o->grid_c, "log2 C values for --grid")->type_name("LO:HI:STEP")->capture_default_str();
  app.add_option("--grid-gamma", o->grid_gamma, "log2 gamma values for --grid")
      ->type_name("LO:HI:STEP")
      ->capture_default_str();
  app.add_option("--grid-depth", o->grid_depth, "xgboost tree depths for --grid")
      ->delimiter(',')
      ->check(CLI::Range(1, 30))
      ->type_name("D,D,…")
      ->default_str("2,4,6,8");
  app.add_option("--grid-eta", o->grid_eta, "xgboost learning rates for --grid")
      ->delimiter(',')
      ->check(CLI::Range(1e-6, 1.0))
      ->type_name("E,E,…")
      ->default_str("0.05,0.1,0.3");
  app.add_flag("--compare", o->compare,
               "Cross-validate every learner suited to the task, print them best first, and keep the best with -o");
  app.add_option("--metric", o->metric,
                 fmt::format("What ranks --compare and --grid: default F1 of the rarer class (or of --positive) for "
                             "binary data whose smaller class has under {:.0f}% of the rows, accuracy for other "
                             "classes, r2 for regression",
                             100 * kImbalancedShare))
      ->check(CLI::IsMember({"accuracy", "f1", "macro-f1", "auc", "ap", "mse", "mae", "r2"}))
      ->type_name("accuracy|f1|macro-f1|auc|ap|mse|mae|r2");
  app.add_option("--spec", o->spec, "The feature spec the records were built with (mlfeat --write-spec); kept in "
                                    "the sidecar")
      ->type_name("FILE");
  app.add_option("--group", o->group,
                 "Cross-validation folds keep all records with one value of FIELD together (e.g. the document)")
      ->type_name("FIELD");
  app.add_flag("--calibrate", o->calibrate,
               "Fit Platt scaling on the out-of-fold decision values (binary classifiers; needs --cv) and keep it "
               "in the sidecar: mlclassify then writes probabilities");
  app.add_option("--threshold", o->threshold,
                 "Decision threshold kept in the sidecar: the out-of-fold value with the best F1 of the positive "
                 "class (needs --cv), or the decision value given")
      ->type_name("best-f1|VALUE");
  app.add_option("--oof", o->oof, "Write each row's out-of-fold prediction to FILE (NDJSON, input order; needs --cv)")
      ->type_name("FILE");
  CLI::Option* threads = app.get_option("--threads");
  CLI::Option* progress = app.get_option("--progress");
  CLI::Option* no_progress = app.get_option("--no-progress");
  CLI::Option* type_option = app.get_option("--type");
  return [o, threads, progress, no_progress, type_option](const FileSource& files) -> std::unique_ptr<Stage> {
    if (!o->info.empty()) {
      write_all(STDOUT_FILENO, o->json ? describe_sidecar_json(o->info, files) : describe_model(o->info, files),
                "<stdout>");
      return nullptr;
    }
    if (o->json) throw Error::usage("--json prints the sidecar of a model: mltrain --info MODEL --json");
    if (!o->refresh_sidecar.empty()) {
      refresh_sidecar_file(o->refresh_sidecar);
      return nullptr;
    }
    Options& opt = *o;
    opt.threads = threads->count() ? threads->as<int>() : default_threads();
    // Training progress shows on a terminal whatever the input: mltrain ends a pipeline, and
    // the stages before it are done when it trains.
    opt.progress = show_progress(progress->count()      ? ProgressChoice::on
                                 : no_progress->count() ? ProgressChoice::off
                                                        : ProgressChoice::automatic);
    opt.type_given = type_option->count() > 0;
    if (opt.output.empty() && !opt.cv && !opt.grid && !opt.compare)
      throw Error::usage("nothing to do: give -o MODEL, or --cv K, --grid or --compare to evaluate");
    Settings s;
    s.o = opt;
    TrainParams& p = s.params;
    const LearnerTraits& lt = traits(opt.learner);
    p.learner = opt.learner;
    // The task: from --task, else from --type, else classification.
    bool regression = opt.task == Task::regression || (opt.task == Task::automatic && is_regression(opt.type));
    if (opt.learner != Learner::svm && opt.type_given)
      throw Error::usage(fmt::format("--type applies to --learner svm, not {} (use --task for regression)", lt.name));
    if (opt.learner == Learner::svm && opt.type_given && opt.task != Task::automatic &&
        (opt.task == Task::regression) != is_regression(opt.type))
      throw Error::usage(fmt::format("--type {} and --task {} disagree", svm_type_option_name(opt.type),
                                     opt.task == Task::regression ? "regression" : "classification"));
    if (opt.learner == Learner::linear_svr && opt.task == Task::automatic) regression = true;
    if (regression && !lt.regression)
      throw Error::usage(fmt::format("--learner {} trains classifiers, not regression models", lt.name));
    if (!regression && !lt.classification)
      throw Error::usage(fmt::format("--learner {} trains regression models (--task regression)", lt.name));
    p.type = opt.learner == Learner::svm ? opt.type : regression ? SvmType::epsilon_svr : SvmType::c_svc;
    if (opt.learner == Learner::svm && regression && !opt.type_given) p.type = SvmType::epsilon_svr;
    s.classify = is_classification(p.type);
    p.kernel = opt.learner == Learner::svm ? opt.kernel : KernelType::linear;
    p.cost = opt.cost;
    if (opt.gamma == "auto") {
      p.gamma_rule = GammaRule::features;
    } else if (!opt.gamma.empty() && opt.gamma != "scale") {
      const std::optional<double> g = parse_double(opt.gamma);
      if (!g) throw Error::usage(fmt::format("--gamma '{}': expected a number, scale or auto", opt.gamma));
      p.gamma = *g;
    }
    p.degree = opt.degree;
    p.coef0 = opt.coef0;
    p.nu = opt.nu;
    p.epsilon = opt.epsilon;
    p.tolerance = opt.tolerance;
    p.cache_mb = opt.cache_mb;
    p.balanced = opt.balanced;
    p.probability = opt.probability;
    p.seed = opt.seed;
    p.compact = opt.compact;
    p.solver = opt.solver;
    p.trees = opt.trees;
    p.depth = opt.depth;
    p.eta = opt.eta;
    // Options that only classifiers take, or a metric, say the task as well as --task does.
    const bool task_said = !opt.positive.empty() || !opt.weights.empty() || opt.balanced || opt.calibrate ||
                           !opt.threshold.empty() || opt.probability || !opt.metric.empty();
    s.detect_task = opt.task == Task::automatic && !opt.type_given && !task_said && lt.classification && lt.regression;
    p.threads = opt.threads;
    if (opt.scale == "standard") p.scale = ScaleMethod::standard;
    else if (opt.scale == "minmax") p.scale = ScaleMethod::minmax;
    else if (opt.scale == "none") p.scale = ScaleMethod::none;
    for (const std::string& wspec : opt.weights) {
      std::size_t eq = wspec.rfind('=');
      if (eq == std::string::npos || eq == 0) throw Error::usage(fmt::format("--weight '{}': expected NAME=W", wspec));
      const std::optional<double> w = parse_double(std::string_view(wspec).substr(eq + 1));
      if (!w) throw Error::usage(fmt::format("--weight '{}': the weight is not a number", wspec));
      p.class_weights.emplace_back(wspec.substr(0, eq), *w);
    }
    if (!s.classify && (p.balanced || !p.class_weights.empty()))
      throw Error::usage("--weight and --balanced apply to classifiers");
    if (!opt.positive.empty() && !s.classify) throw Error::usage("--positive applies to classifiers");
    if (p.probability && opt.learner != Learner::svm)
      throw Error::usage(fmt::format("--probability is libsvm's (--learner svm); {}",
                                     lt.probabilities ? fmt::format("{} gives probabilities without it", lt.name)
                                                      : "use --calibrate for probabilities"));
    if (p.probability && p.type == SvmType::one_class) throw Error::usage("--probability: not for one-class models");
    if (opt.compare && p.type == SvmType::one_class) throw Error::usage("--compare needs labels: not for one-class");
    if (p.solver == Solver::liblinear && opt.learner == Learner::svm &&
        (p.type != SvmType::c_svc || p.kernel != KernelType::linear))
      throw Error::usage("--solver liblinear trains linear C-SVC only (--type c-svc --kernel linear)");
    if (p.solver == Solver::liblinear && p.probability)
      throw Error::usage("--probability needs --solver libsvm (liblinear gives no probability model)");
    const bool evaluate = opt.cv || opt.grid || opt.compare;
    if (opt.calibrate && !evaluate)
      throw Error::usage("--calibrate fits on out-of-fold decision values: it needs cross-validation (--cv K)");
    if (opt.threshold == "best-f1" && !evaluate)
      throw Error::usage("--threshold best-f1 chooses on out-of-fold decision values: it needs cross-validation (--cv K)");
    if (!opt.oof.empty() && !evaluate) throw Error::usage("--oof writes out-of-fold predictions: it needs --cv K");
    if (!opt.group.empty() && !evaluate)
      throw Error::usage("--group makes cross-validation folds: it needs --cv K (or --grid, --compare)");
    if (!opt.group.empty() && opt.format == InputFormat::libsvm)
      throw Error::usage("--group reads a field of NDJSON records: not with --format libsvm");
    if (!opt.ignore.empty() && opt.format != InputFormat::csv) throw Error::usage("--ignore names CSV columns: it needs --format csv");
    if ((opt.calibrate || !opt.threshold.empty()) && !s.classify)
      throw Error::usage(fmt::format("{}: for binary classifiers only", opt.calibrate ? "--calibrate" : "--threshold"));
    if (!opt.threshold.empty() && opt.threshold != "best-f1" && !parse_double(opt.threshold))
      throw Error::usage(fmt::format("--threshold '{}': expected best-f1 or a decision value", opt.threshold));
    if (!opt.spec.empty()) {
      // It must be one JSON object: it is stored as is in the sidecar.
      try {
        s.spec_json = std::string(JsonText(files.read(opt.spec), opt.spec).text());
      } catch (Error& e) {
        throw Error(opt.spec, 0, fmt::format("not a feature spec: {}", e.what()));
      }
      s.spec_digest = feature_spec_digest(s.spec_json);
    }
    return std::make_unique<TrainStage>(std::move(s));
  };
}

}  // namespace

int follow_mltrain(int argc, char** argv, TrainRanks& ranks) {
  // The command line rank 0 parsed without error, as run_tool parses it.
  CLI::App app;
  IoOptions io;
  add_io_options(app, io, false);
  StageFactory factory = declare(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    throw Error::usage(e.what());
  }
  std::unique_ptr<Stage> stage = factory(local_files());
  auto* train = dynamic_cast<TrainStage*>(stage.get());
  return train ? train->follow(ranks) : int(Exit::ok);
}

const ToolDef& mltrain_tool() {
  static const ToolDef tool{"mltrain",
                            "Train models (SVMs, linear learners, gradient-boosted trees, random forests) on "
                            "labelled NDJSON, CSV or libsvm rows; cross-validate, compare, search",
                            declare, false};
  return tool;
}

}  // namespace mlpipe
