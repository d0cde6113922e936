#include "mlpipe/model/tool_mltrain.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/model/calibration.h"
#include "mlpipe/model/folds.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/threshold.h"
#include "mlpipe/model/train.h"

namespace mlpipe {

namespace {

struct Options {
  std::string output;
  std::string info;
  std::string label = "label";
  std::string features_field;
  std::string format = "ndjson";
  std::string type = "c-svc";
  std::string kernel = "rbf";
  double cost = 1;
  std::optional<double> gamma;
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
  std::string solver = "auto";
  bool compact = false;
  std::string positive;
  int cv = 0;
  bool grid = false;
  std::string grid_c = "-5:15:2";
  std::string grid_gamma = "-15:3:2";
  bool compare = false;
  std::string spec;
  std::string group;      // --group FIELD: folds keep the records of one value together
  bool calibrate = false;  // --calibrate: Platt scaling on out-of-fold decision values
  std::string threshold;  // --threshold best-f1|VALUE
  std::string oof;        // --oof FILE: out-of-fold predictions
  int threads = 1;
  bool progress = false;
};

// ---------------------------------------------------------------- collecting rows

enum class LabelKind { number, string, boolean };

struct Settings {
  Options o;
  TrainParams params;
  std::string spec_json;  // canonical spec text, "" when none
};

class TrainWorker : public Worker {
 public:
  explicit TrainWorker(const Settings& s) : s_(s) {
    needs_label_ = s.params.type != SvmType::one_class;
    classify_ = is_classification(s.params.type);
    data_.classification = classify_;
  }

  void process(const Record& in, std::string& /*out*/) override {
    if (s_.o.format == "libsvm") return process_libsvm(in);
    reader_.index(in);
    const Field* f = nullptr;
    if (!s_.o.features_field.empty()) {
      f = reader_.find(s_.o.features_field);
      if (!f) throw Error(fmt::format("no field '{}' (the features, --features-field)", s_.o.features_field));
    } else {
      f = reader_.find("features");
      if (!f) f = reader_.find("x");
      if (!f) throw Error("no 'features' or 'x' field (use --features-field to name another)");
    }
    reader_.get_sparse(*f, x_);
    if (!s_.o.group.empty()) {
      // Read before the label: a dotted path's Field is only valid until the next find.
      const Field* g = reader_.find(s_.o.group);
      if (!g) throw Error(fmt::format("no field '{}' (the group of --group)", s_.o.group));
      group_value_.assign(g->raw);
    }
    double y = 0;
    if (needs_label_) {
      const Field* l = reader_.find(s_.o.label);
      if (!l) throw Error(fmt::format("no label field '{}' (--label FIELD)", s_.o.label));
      if (classify_) {
        switch (l->type) {
          case JsonType::number: y = class_of(LabelKind::number, reader_.get_number(*l), {}); break;
          case JsonType::string: y = class_of(LabelKind::string, 0, reader_.get_string(*l)); break;
          case JsonType::boolean: y = class_of(LabelKind::boolean, reader_.get_bool(*l) ? 1 : 0, {}); break;
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
    data_.add_row(x_.idx, x_.val, y);
    // Only now: a record skipped above (--on-error=skip) must not leave its group behind,
    // or every later row would fall in its neighbour's fold.
    if (!s_.o.group.empty()) group_.push_back(group_value_);
  }

  void finish(std::string& out) override;

 private:
  // "LABEL idx:val …" (libsvm's text format); '#' starts a comment.
  void process_libsvm(const Record& in) {
    std::string_view line = in.data;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::size_t i = 0;
    auto token = [&]() -> std::string_view {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
      std::string_view t = line.substr(i, j - i);
      i = j;
      return t;
    };
    std::string_view label = token();
    if (label.empty()) throw Error("empty line (expected 'LABEL index:value …')");
    double y = 0;
    // libsvm's files write positive labels as "+1"; from_chars takes no '+'.
    std::string_view digits = label.size() > 1 && label[0] == '+' ? label.substr(1) : label;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), y);
    if (ec != std::errc() || p != digits.data() + digits.size() || !std::isfinite(y))
      throw Error(fmt::format("label '{}' is not a number (libsvm format: 'LABEL index:value …')", label));
    idx_.clear();
    val_.clear();
    for (std::string_view t = token(); !t.empty(); t = token()) {
      std::size_t colon = t.find(':');
      std::uint64_t index = 0;
      double v = 0;
      auto r1 = std::from_chars(t.data(), t.data() + (colon == std::string_view::npos ? 0 : colon), index);
      if (colon == std::string_view::npos || r1.ec != std::errc() || r1.ptr != t.data() + colon || index == 0 ||
          index > 2147483647u)
        throw Error(fmt::format("'{}': expected index:value with an index from 1 to 2147483647", t));
      auto r2 = std::from_chars(t.data() + colon + 1, t.data() + t.size(), v);
      if (r2.ec != std::errc() || r2.ptr != t.data() + t.size() || !std::isfinite(v))
        throw Error(fmt::format("'{}': the value is not a finite number", t));
      if (!idx_.empty() && index <= idx_.back())
        throw Error(fmt::format("index {} after {}: indices must be strictly increasing", index, idx_.back()));
      idx_.push_back(std::uint32_t(index));
      val_.push_back(v);
    }
    if (needs_label_ && classify_) y = class_of(LabelKind::number, y, {});
    data_.add_row(idx_, val_, needs_label_ ? y : 0);
  }

  // The class index of a label, numbering classes by first appearance.
  double class_of(LabelKind kind, double number, std::string_view text) {
    std::string key = kind == LabelKind::string ? std::string(text)
                      : kind == LabelKind::boolean ? (number != 0 ? "true" : "false")
                                                   : fmt::format("{}", number);
    auto it = classes_.find({kind, key});
    if (it != classes_.end()) return double(it->second);
    if (!seen_kinds_.empty() && seen_kinds_[0] != kind)
      throw Error(fmt::format("label '{}' is {}, but earlier labels are {}: labels must all be numbers, all "
                              "strings or all booleans",
                              key, kind_name(kind), kind_name(seen_kinds_[0])));
    seen_kinds_.push_back(kind);
    std::size_t id = names_.size();
    classes_.emplace(std::make_pair(kind, key), id);
    names_.push_back(key);
    numbers_.push_back(number);
    return double(id);
  }
  static std::string_view kind_name(LabelKind k) {
    return k == LabelKind::number ? "a number" : k == LabelKind::string ? "a string" : "a boolean";
  }

  void order_classes();
  std::string train_and_report();
  void decide(const CvResult& cv, int k, std::string& out);
  void write_oof(const CvResult& cv) const;

  const Settings& s_;
  bool needs_label_ = true;
  bool classify_ = true;
  JsonReader reader_;
  SparseVector x_;
  std::vector<std::uint32_t> idx_;
  std::vector<double> val_;
  Dataset data_;
  std::map<std::pair<LabelKind, std::string>, std::size_t> classes_;
  std::vector<LabelKind> seen_kinds_;
  std::vector<std::string> names_;  // by first appearance
  std::vector<double> numbers_;
  std::vector<std::string> group_;  // --group: each row's group value (JSON text)
  std::string group_value_;         // the current record's, until it is a row
  // --calibrate and --threshold, once cross-validation has given out-of-fold scores.
  std::optional<PlattCalibration> calibration_;
  std::optional<ChosenThreshold> threshold_;
  std::string chosen_by_;
};

// Model order of the classes (documented in mltrain(1)): numbers from the largest down,
// true before false, strings in order of first appearance; --positive NAME first.
void TrainWorker::order_classes() {
  const std::size_t k = names_.size();
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  LabelKind kind = seen_kinds_.empty() ? LabelKind::string : seen_kinds_[0];
  if (kind == LabelKind::number)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return numbers_[a] > numbers_[b]; });
  else if (kind == LabelKind::boolean)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return numbers_[a] > numbers_[b]; });
  if (!s_.o.positive.empty()) {
    auto it = std::find_if(order.begin(), order.end(), [&](std::size_t c) { return names_[c] == s_.o.positive; });
    if (it == order.end()) throw Error::usage(fmt::format("--positive {}: no such class in the data", s_.o.positive));
    std::rotate(order.begin(), it, it + 1);
  }
  std::vector<std::size_t> rank(k);
  for (std::size_t i = 0; i < k; ++i) rank[order[i]] = i;
  for (double& t : data_.target) t = double(rank[std::size_t(t)]);
  data_.class_names.clear();
  data_.class_labels.clear();
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t c = order[i];
    data_.class_names.push_back(names_[c]);
    int label;
    if (kind == LabelKind::number) {
      double v = numbers_[c];
      if (v != std::floor(v) || std::fabs(v) > 2147483647.0)
        throw Error(fmt::format("class label {} is not an integer: classifiers need integer, string or boolean "
                                "labels (use --type epsilon-svr or nu-svr for numeric targets)",
                                names_[c]));
      label = int(v);
    } else {
      label = k == 2 ? (i == 0 ? 1 : -1) : int(i + 1);
    }
    data_.class_labels.push_back(label);
  }
  if (k == 2 && data_.class_labels[0] == -1 && data_.class_labels[1] == 1)
    throw Error::usage("--positive -1: with the labels 1 and -1, libsvm always makes 1 the first (positive) class");
}

// ---------------------------------------------------------------- reporting

std::string fmt4(double v) { return fmt::format("{:.4f}", v); }

std::string params_text(const TrainParams& p, const Dataset& d) {
  std::string s = fmt::format("C={}", p.cost);
  if (p.kernel != KernelType::linear) s += fmt::format(" gamma={:.6g}", effective_gamma(p, d));
  if (p.kernel == KernelType::poly) s += fmt::format(" degree={}", p.degree);
  if (p.kernel == KernelType::poly || p.kernel == KernelType::sigmoid) s += fmt::format(" coef0={}", p.coef0);
  if (p.type == SvmType::nu_svc || p.type == SvmType::nu_svr || p.type == SvmType::one_class)
    s += fmt::format(" nu={}", p.nu);
  if (p.type == SvmType::epsilon_svr) s += fmt::format(" epsilon={:.6g}", effective_epsilon(p, d));
  return s;
}

std::string algorithm_text(const TrainParams& p, std::size_t rows) {
  std::string s = fmt::format("{} {}", svm_type_option_name(p.type), p.kernel == KernelType::poly ? "poly"
                                                                                                   : kernel_name(p.kernel));
  if (p.kernel == KernelType::linear && p.type == SvmType::c_svc) s += fmt::format(" ({})", solver_name(resolve_solver(p, rows)));
  return s;
}

// The metric that ranks configurations: accuracy (then macro F1) or R² (higher is better).
std::pair<double, double> rank_key(const Metrics& m) {
  if (m.regression) return {m.r2, -m.mse};
  return {m.accuracy, m.macro_f1};
}

void report_metrics(std::string& out, const Metrics& m, const Dataset& d) {
  if (m.regression) {
    fmt::format_to(std::back_inserter(out), "MSE {:.6g}  MAE {:.6g}  R2 {}\n", m.mse, m.mae, fmt4(m.r2));
    return;
  }
  fmt::format_to(std::back_inserter(out), "accuracy {}  macro F1 {}", fmt4(m.accuracy), fmt4(m.macro_f1));
  if (m.roc_auc) fmt::format_to(std::back_inserter(out), "  ROC AUC {}", fmt4(*m.roc_auc));
  if (m.average_precision)
    fmt::format_to(std::back_inserter(out), "  average precision {}", fmt4(*m.average_precision));
  out += '\n';
  std::size_t width = 5;
  for (const auto& n : d.class_names) width = std::max(width, n.size());
  fmt::format_to(std::back_inserter(out), "{:<{}}  precision  recall  f1      support\n", "class", width);
  for (std::size_t c = 0; c < m.per_class.size(); ++c) {
    const ClassMetrics& cm = m.per_class[c];
    fmt::format_to(std::back_inserter(out), "{:<{}}  {}     {}  {}  {}\n", d.class_names[c], width, fmt4(cm.precision),
                   fmt4(cm.recall), fmt4(cm.f1), cm.support);
  }
}

void metrics_json(JsonWriter& w, const Metrics& m, const Dataset& d, int folds, const std::string& group) {
  w.begin_object();
  w.key("folds").integer(folds);
  if (!group.empty()) w.key("group").string(group);
  if (m.regression) {
    w.key("mse").number(m.mse).key("mae").number(m.mae).key("r2").number(m.r2);
  } else {
    w.key("accuracy").number(m.accuracy).key("macro_f1").number(m.macro_f1);
    if (m.roc_auc) w.key("roc_auc").number(*m.roc_auc);
    if (m.average_precision) w.key("average_precision").number(*m.average_precision);
    w.key("per_class").begin_object();
    for (std::size_t c = 0; c < m.per_class.size(); ++c) {
      const ClassMetrics& cm = m.per_class[c];
      w.key(d.class_names[c]).begin_object();
      w.key("precision").number(cm.precision).key("recall").number(cm.recall).key("f1").number(cm.f1);
      w.key("support").integer(std::int64_t(cm.support)).end_object();
    }
    w.end_object();
  }
  w.end_object();
}

// Exponents LO:HI:STEP (log2) as values.
std::vector<double> grid_values(const std::string& spec, const char* option) {
  double lo = 0, hi = 0, step = 0;
  auto bad = [&]() {
    return Error::usage(fmt::format("{} '{}': expected LO:HI:STEP, exponents of 2 (e.g. -5:15:2)", option, spec));
  };
  std::size_t a = spec.find(':'), b = a == std::string::npos ? a : spec.find(':', a + 1);
  if (b == std::string::npos) throw bad();
  auto num = [&](std::string_view t, double& v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) throw bad();
  };
  num(std::string_view(spec).substr(0, a), lo);
  num(std::string_view(spec).substr(a + 1, b - a - 1), hi);
  num(std::string_view(spec).substr(b + 1), step);
  if (step == 0 || (hi - lo) / step < 0 || (hi - lo) / step > 1000) throw bad();
  std::vector<double> v;
  for (double e = lo; step > 0 ? e <= hi + 1e-9 : e >= hi - 1e-9; e += step) v.push_back(std::exp2(e));
  return v;
}

// The grid points around `base`: every --grid-c cost, times every --grid-gamma gamma for
// kernels that have a gamma.
std::vector<TrainParams> expand_grid(const TrainParams& base, const std::string& grid_c, const std::string& grid_gamma) {
  std::vector<TrainParams> points;
  for (double cost : grid_values(grid_c, "--grid-c")) {
    TrainParams p = base;
    p.cost = cost;
    if (base.kernel == KernelType::linear) {
      points.push_back(p);
      continue;
    }
    for (double gamma : grid_values(grid_gamma, "--grid-gamma")) {
      p.gamma = gamma;
      points.push_back(p);
    }
  }
  return points;
}

class Progress {
 public:
  Progress(bool enabled, std::string what) : enabled_(enabled), what_(std::move(what)) {}
  ~Progress() {
    if (shown_) fmt::print(stderr, "\r{:60}\r", "");
  }
  void operator()(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(300)) return;
    last_ = now;
    fmt::print(stderr, "\rmltrain: {} {}/{}   ", what_, done, total);
    shown_ = true;
  }

 private:
  bool enabled_;
  std::string what_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// ---------------------------------------------------------------- training

struct Evaluated {
  TrainParams params;
  CvResult cv;
  double seconds = 0;
};

std::string TrainWorker::train_and_report() {
  const Options& o = s_.o;
  std::string out;
  if (classify_) order_classes();
  TrainParams chosen = s_.params;
  check_params(chosen, data_);
  const int k = o.cv ? o.cv : 5;
  const bool evaluate = o.cv || o.grid || o.compare;
  if (evaluate && chosen.type == SvmType::one_class)
    throw Error::usage("--cv, --grid and --compare need labels: not for --type one-class");
  if (evaluate && data_.rows() < std::size_t(k))
    throw Error(fmt::format("{} rows are too few for {}-fold cross-validation", data_.rows(), k));
  std::optional<Metrics> metrics;
  std::optional<CvResult> chosen_cv;  // the cross-validation of the configuration kept
  std::vector<int> folds;
  if (evaluate) folds = o.group.empty() ? assign_folds(data_, k, chosen.seed) : assign_group_folds(group_, k, chosen.seed);
  if ((o.calibrate || !o.threshold.empty()) && !(classify_ && data_.classes() == 2))
    throw Error::usage(fmt::format("{}: for binary classifiers only (the data have {} classes)",
                                   o.calibrate ? "--calibrate" : "--threshold", data_.classes()));

  if (o.compare) {
    // Several algorithms, each at its defaults (or its best grid point with --grid).
    std::vector<TrainParams> candidates;
    auto with = [&](SvmType t, KernelType kern) {
      TrainParams p = s_.params;
      p.type = t;
      p.kernel = kern;
      p.probability = false;
      p.compact = s_.params.compact;
      candidates.push_back(p);
    };
    if (classify_) {
      with(SvmType::c_svc, KernelType::linear);
      with(SvmType::c_svc, KernelType::rbf);
      with(SvmType::c_svc, KernelType::poly);
      with(SvmType::c_svc, KernelType::sigmoid);
      with(SvmType::nu_svc, KernelType::rbf);
    } else {
      with(SvmType::epsilon_svr, KernelType::linear);
      with(SvmType::epsilon_svr, KernelType::rbf);
      with(SvmType::epsilon_svr, KernelType::poly);
      with(SvmType::nu_svr, KernelType::rbf);
      with(SvmType::nu_svr, KernelType::linear);
    }
    std::vector<Evaluated> results;
    Progress progress(o.progress, "compare");
    std::size_t done_before = 0, total = 0;
    std::vector<std::vector<TrainParams>> grids;
    for (const TrainParams& c : candidates) {
      std::vector<TrainParams> g = o.grid ? expand_grid(c, o.grid_c, o.grid_gamma) : std::vector<TrainParams>{c};
      total += g.size() * std::size_t(k);
      grids.push_back(std::move(g));
    }
    // An algorithm that cannot be trained on these data (nu-SVC with a nu the class balance
    // makes infeasible) is left out of the table and named below it; the others still compete.
    std::vector<std::string> not_trained;
    for (const auto& g : grids) {
      auto t0 = std::chrono::steady_clock::now();
      std::vector<CvResult> cvs;
      try {
        cvs = cross_validate_many(data_, g, folds, k, o.threads,
                                  [&](std::size_t d, std::size_t) { progress(done_before + d, total); });
      } catch (const Error& e) {
        if (e.is_usage()) throw;
        not_trained.push_back(fmt::format("{}: {}", algorithm_text(g[0], data_.rows()), e.what()));
        done_before += g.size() * std::size_t(k);
        continue;
      }
      done_before += g.size() * std::size_t(k);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::size_t best = 0;
      for (std::size_t i = 1; i < cvs.size(); ++i)
        if (rank_key(cvs[i].metrics) > rank_key(cvs[best].metrics)) best = i;
      results.push_back({g[best], cvs[best], secs});
    }
    if (results.empty()) throw Error(fmt::format("--compare: no algorithm could be trained ({})", not_trained.front()));
    std::stable_sort(results.begin(), results.end(), [](const Evaluated& a, const Evaluated& b) {
      return rank_key(a.cv.metrics) > rank_key(b.cv.metrics);
    });
    fmt::format_to(std::back_inserter(out), "{}-fold cross-validation of {} algorithms on {} rows{}\n", k,
                   results.size(), data_.rows(), o.grid ? " (each at its best grid point)" : "");
    std::size_t aw = 9, pw = 6;
    for (const Evaluated& e : results) {
      aw = std::max(aw, algorithm_text(e.params, data_.rows()).size());
      pw = std::max(pw, params_text(e.params, data_).size());
    }
    if (classify_) {
      fmt::format_to(std::back_inserter(out), "rank  {:<{}}  {:<{}}  accuracy  macro-F1{}  seconds\n", "algorithm", aw,
                     "params", pw, data_.classes() == 2 ? "  ROC-AUC  avg-prec" : "");
    } else {
      fmt::format_to(std::back_inserter(out), "rank  {:<{}}  {:<{}}  R2       MSE          MAE          seconds\n",
                     "algorithm", aw, "params", pw);
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Evaluated& e = results[i];
      const Metrics& m = e.cv.metrics;
      fmt::format_to(std::back_inserter(out), "{:<4}  {:<{}}  {:<{}}  ", i + 1, algorithm_text(e.params, data_.rows()),
                     aw, params_text(e.params, data_), pw);
      if (classify_) {
        fmt::format_to(std::back_inserter(out), "{}    {}  ", fmt4(m.accuracy), fmt4(m.macro_f1));
        if (data_.classes() == 2)
          fmt::format_to(std::back_inserter(out), "{}   {}    ", m.roc_auc ? fmt4(*m.roc_auc) : "-     ",
                         m.average_precision ? fmt4(*m.average_precision) : "-     ");
      } else {
        fmt::format_to(std::back_inserter(out), "{:<7}  {:<11.6g}  {:<11.6g}  ", fmt4(m.r2), m.mse, m.mae);
      }
      fmt::format_to(std::back_inserter(out), "{:.2f}\n", e.seconds);
    }
    for (const std::string& n : not_trained) fmt::format_to(std::back_inserter(out), "not trained: {}\n", n);
    chosen = results[0].params;
    chosen.probability = s_.params.probability;
    metrics = results[0].cv.metrics;
    chosen_cv = results[0].cv;
  } else if (o.grid) {
    std::vector<TrainParams> g = expand_grid(chosen, o.grid_c, o.grid_gamma);
    Progress progress(o.progress, "grid");
    std::vector<CvResult> cvs = cross_validate_many(data_, g, folds, k, o.threads, std::ref(progress));
    std::vector<std::size_t> order(g.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return rank_key(cvs[a].metrics) > rank_key(cvs[b].metrics);
    });
    fmt::format_to(std::back_inserter(out), "grid search: {} points, {}-fold cross-validation, {} rows; best 5:\n",
                   g.size(), k, data_.rows());
    for (std::size_t i = 0; i < std::min<std::size_t>(5, order.size()); ++i) {
      const Metrics& m = cvs[order[i]].metrics;
      fmt::format_to(std::back_inserter(out), "  {:<32}  {}\n", params_text(g[order[i]], data_),
                     m.regression ? fmt::format("R2 {}  MSE {:.6g}", fmt4(m.r2), m.mse)
                                  : fmt::format("accuracy {}  macro F1 {}", fmt4(m.accuracy), fmt4(m.macro_f1)));
    }
    chosen = g[order[0]];
    metrics = cvs[order[0]].metrics;
    chosen_cv = std::move(cvs[order[0]]);
  } else if (o.cv) {
    Progress progress(o.progress, "cross-validation");
    chosen_cv = std::move(cross_validate_many(data_, {chosen}, folds, k, o.threads, std::ref(progress))[0]);
    metrics = chosen_cv->metrics;
  }
  if (metrics) {
    fmt::format_to(std::back_inserter(out), "{}-fold cross-validation{} of {} {} on {} rows:\n", k,
                   o.group.empty() ? "" : fmt::format(" (folds by {})", o.group), algorithm_text(chosen, data_.rows()),
                   params_text(chosen, data_), data_.rows());
    report_metrics(out, *metrics, data_);
  }
  if (chosen_cv) {
    decide(*chosen_cv, k, out);
    if (!o.oof.empty()) write_oof(*chosen_cv);
  } else if (!o.threshold.empty()) {
    decide(CvResult{}, 0, out);  // a given threshold needs no cross-validation
  }

  if (o.output.empty()) return out;
  SvmFile model = train_model(data_, chosen, {});
  std::string text = format_svm_file(model);
  // The sidecar: what the model file cannot say.
  std::string side;
  JsonWriter w(side);
  w.begin_object();
  w.key("mlpipe_model").integer(1);
  w.key("mlpipe_version").string(version());
  w.key("type").string(svm_type_option_name(chosen.type));
  w.key("kernel").string(chosen.kernel == KernelType::poly ? "poly" : kernel_name(chosen.kernel));
  w.key("solver").string(solver_name(resolve_solver(chosen, data_.rows())));
  w.key("params").begin_object();
  w.key("cost").number(chosen.cost);
  if (chosen.kernel != KernelType::linear) w.key("gamma").number(effective_gamma(chosen, data_));
  if (chosen.kernel == KernelType::poly) w.key("degree").integer(chosen.degree);
  if (chosen.kernel == KernelType::poly || chosen.kernel == KernelType::sigmoid) w.key("coef0").number(chosen.coef0);
  if (chosen.type == SvmType::nu_svc || chosen.type == SvmType::nu_svr || chosen.type == SvmType::one_class)
    w.key("nu").number(chosen.nu);
  if (chosen.type == SvmType::epsilon_svr) w.key("epsilon").number(effective_epsilon(chosen, data_));
  w.key("probability").boolean(chosen.probability);
  w.key("balanced").boolean(chosen.balanced);
  w.key("compact").boolean(chosen.compact);
  w.key("seed").integer(chosen.seed);
  w.end_object();
  w.key("label_field");
  if (o.format == "libsvm" || chosen.type == SvmType::one_class) w.null();
  else w.string(o.label);
  w.key("classes");
  if (classify_) {
    w.begin_object();
    for (std::size_t c = 0; c < model.label.size(); ++c) {
      auto it = std::find(data_.class_labels.begin(), data_.class_labels.end(), model.label[c]);
      w.key(std::to_string(model.label[c])).string(data_.class_names[std::size_t(it - data_.class_labels.begin())]);
    }
    w.end_object();
  } else {
    w.null();
  }
  w.key("spec");
  if (s_.spec_json.empty()) w.null();
  else w.raw(s_.spec_json);
  w.key("training").begin_object();
  w.key("rows").integer(std::int64_t(data_.rows()));
  w.key("features").integer(data_.max_index);
  w.key("support_vectors").integer(std::int64_t(model.total_sv()));
  if (classify_) {
    std::vector<std::int64_t> count(data_.classes(), 0);
    for (double t : data_.target) ++count[std::size_t(t)];
    w.key("class_counts").begin_object();
    for (std::size_t c = 0; c < data_.classes(); ++c) w.key(data_.class_names[c]).integer(count[c]);
    w.end_object();
  }
  w.end_object();
  w.key("cv");
  if (metrics) metrics_json(w, *metrics, data_, k, o.group);
  else w.null();
  if (calibration_) {
    w.key("calibration").begin_object();
    w.key("method").string("platt").key("a").number(calibration_->a).key("b").number(calibration_->b);
    w.end_object();
  }
  if (threshold_) {
    w.key("threshold").begin_object();
    w.key("decision").number(threshold_->threshold);
    if (calibration_) w.key("probability").number(apply_platt(*calibration_, threshold_->threshold));
    w.key("chosen_by").string(chosen_by_);
    if (chosen_cv) w.key("f1").number(threshold_->f1);
    w.end_object();
  }
  w.end_object().end_record();
  // Validate what we wrote with the same parser every reader uses.
  Model check(parse_svm_file(text, o.output), parse_sidecar(side, sidecar_path(o.output)), o.output);
  write_file_atomically(o.output, text);
  write_file_atomically(sidecar_path(o.output), side);
  return out;
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
    fmt::format_to(std::back_inserter(out), "calibration: Platt sigmoid a {:.6g}  b {:.6g}  (on {} out-of-fold "
                   "decision values, {})\n", calibration_->a, calibration_->b, cv.scores.size(), folds);
  }
  if (o.threshold.empty()) return;
  ChosenThreshold t;
  if (o.threshold == "best-f1") {
    t = best_f1_threshold(cv.scores, positive);
    chosen_by_ = "best-f1 over " + folds;
  } else {
    std::from_chars(o.threshold.data(), o.threshold.data() + o.threshold.size(), t.threshold);  // checked already
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
  if (calibration_) fmt::format_to(std::back_inserter(out), " (probability > {})", fmt4(apply_platt(*calibration_, t.threshold)));
  fmt::format_to(std::back_inserter(out), ", {}", chosen_by_);
  if (!cv.scores.empty())
    fmt::format_to(std::back_inserter(out), ": out-of-fold precision {}  recall {}  F1 {}", fmt4(t.precision),
                   fmt4(t.recall), fmt4(t.f1));
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

void TrainWorker::finish(std::string& out) { out += train_and_report(); }

class TrainStage : public Stage {
 public:
  explicit TrainStage(Settings s) : s_(std::move(s)) {}
  bool concurrent() const override { return false; }
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<TrainWorker>(s_); }

 private:
  Settings s_;
};

// ---------------------------------------------------------------- --info

std::string info_text(const std::string& path) {
  Model m = load_model(path);
  const SvmFile& f = m.file();
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) {
    fmt::format_to(std::back_inserter(out), "{:<20}{}\n", fmt::format("{}:", key), value);
  };
  line("model", path);
  line("type", std::string(svm_type_option_name(f.type)));
  std::string kern(f.kernel == KernelType::poly ? "poly" : kernel_name(f.kernel));
  if (f.kernel == KernelType::poly) kern += fmt::format(" (degree {}, gamma {}, coef0 {})", f.degree, f.gamma, f.coef0);
  if (f.kernel == KernelType::rbf) kern += fmt::format(" (gamma {})", f.gamma);
  if (f.kernel == KernelType::sigmoid) kern += fmt::format(" (gamma {}, coef0 {})", f.gamma, f.coef0);
  line("kernel", kern);
  if (m.is_classifier()) {
    std::string cls;
    for (std::size_t c = 0; c < f.label.size(); ++c) {
      if (c) cls += ", ";
      cls += m.class_names()[c];
      if (m.class_names()[c] != std::to_string(f.label[c])) cls += fmt::format(" ({})", f.label[c]);
      cls += fmt::format(": {} SV", f.nr_sv[c]);
    }
    line("classes", fmt::format("{} — {}", f.label.size(), cls));
    if (f.label.size() == 2) line("positive class", m.class_names()[0] + " (decision value > 0)");
  }
  line("support vectors", std::to_string(f.total_sv()));
  line("max feature index", std::to_string(f.max_index));
  line("decision functions", std::to_string(m.decision_functions()));
  line("probability", m.is_classifier() ? (m.has_probability() ? "yes" : "no")
                                        : (f.has_probability() ? fmt::format("Laplace scale {}", f.probA[0]) : "no"));
  const bool collapsed = f.kernel == KernelType::linear && f.total_sv() == m.decision_functions() &&
                         std::all_of(f.sv_coef.begin(), f.sv_coef.end(), [](double c) { return c == 0 || c == 1; });
  if (f.kernel == KernelType::linear) line("stored", collapsed ? "collapsed weight vectors" : "support vectors");
  const ModelInfo& info = m.info();
  if (!info.has_sidecar) {
    line("sidecar", "none");
  } else {
    line("sidecar", sidecar_path(path));
    if (info.calibration)
      line("calibration", fmt::format("Platt: P({}) = 1 / (1 + exp({:.6g} × decision {} {:.6g}))", m.class_names()[0],
                                      info.calibration->a, info.calibration->b < 0 ? '-' : '+',
                                      std::fabs(info.calibration->b)));
    if (info.threshold) {
      std::string t = fmt::format("decision > {:.6g}", *info.threshold);
      if (info.calibration) t += fmt::format(" (probability > {:.4f})", apply_platt(*info.calibration, *info.threshold));
      line("threshold", t);
    }
    if (!info.label_field.empty()) line("label field", info.label_field);
    line("feature spec", info.spec.empty() ? "none" : info.spec);
    std::string side = info.sidecar_json;
    while (!side.empty() && side.back() == '\n') side.pop_back();
    line("sidecar contents", side);
  }
  return out;
}

StageFactory declare(CLI::App& app) {
  auto o = std::make_shared<Options>();
  app.add_option("-o,--output", o->output, "Write the model to MODEL and its sidecar to MODEL.json, atomically")
      ->type_name("MODEL");
  app.add_option("--info", o->info, "Describe MODEL (and its sidecar) and exit")->type_name("MODEL");
  app.add_option("--label", o->label, "Field holding the label or target (a dotted path reaches into objects)")
      ->type_name("FIELD")
      ->capture_default_str();
  app.add_option("--features-field", o->features_field, "Field holding the features (default: features, else x)")
      ->type_name("FIELD");
  app.add_option("--format", o->format, "Input format: NDJSON records, or libsvm's text format (LABEL idx:val …)")
      ->check(CLI::IsMember({"ndjson", "libsvm"}))
      ->type_name("ndjson|libsvm")
      ->capture_default_str();
  app.add_option("-s,--type", o->type, "SVM type")
      ->check(CLI::IsMember({"c-svc", "nu-svc", "one-class", "epsilon-svr", "nu-svr"}))
      ->type_name("c-svc|nu-svc|one-class|epsilon-svr|nu-svr")
      ->capture_default_str();
  app.add_option("-t,--kernel", o->kernel, "Kernel")
      ->check(CLI::IsMember({"linear", "poly", "rbf", "sigmoid"}))
      ->type_name("linear|poly|rbf|sigmoid")
      ->capture_default_str();
  app.add_option("-c,--cost", o->cost, "C: the cost of errors (c-svc, epsilon-svr, nu-svr)")->capture_default_str();
  app.add_option("-g,--gamma", o->gamma, "Kernel gamma (rbf, poly, sigmoid; default 1/features)")->type_name("G");
  app.add_option("-d,--degree", o->degree, "Degree of the poly kernel")->capture_default_str();
  app.add_option("-r,--coef0", o->coef0, "coef0 of the poly and sigmoid kernels")->capture_default_str();
  app.add_option("-n,--nu", o->nu, "nu (nu-svc, one-class, nu-svr)")->capture_default_str();
  app.add_option("-p,--epsilon", o->epsilon,
                 "epsilon of the epsilon-svr loss (default: 0.01 × the targets' standard deviation)")
      ->type_name("E");
  app.add_option("-e,--tolerance", o->tolerance, "Stopping tolerance of libsvm's solver")->capture_default_str();
  app.add_option("--cache-mb", o->cache_mb, "libsvm's kernel cache, in MB")->capture_default_str();
  app.add_option("-w,--weight", o->weights, "Weight of a class's errors, repeatable (C times W)")
      ->type_name("NAME=W")
      ->allow_extra_args(false);
  app.add_flag("--balanced", o->balanced, "Weight classes by rows / (classes × rows of the class)");
  app.add_flag("-b,--probability", o->probability, "Train probability estimates too (libsvm's internal 5-fold CV)");
  app.add_option("--seed", o->seed, "Seed for folds and solvers' random choices")->capture_default_str();
  app.add_option("--solver", o->solver,
                 fmt::format("libsvm, liblinear (linear c-svc only), or auto: liblinear for linear c-svc from {} rows",
                             kLiblinearRows))
      ->check(CLI::IsMember({"auto", "libsvm", "liblinear"}))
      ->type_name("auto|libsvm|liblinear")
      ->capture_default_str();
  app.add_flag("--compact", o->compact, "Store a linear libsvm model as collapsed weight vectors");
  app.add_option("--positive", o->positive, "Make class NAME the first (positive) class")->type_name("NAME");
  app.add_option("--cv", o->cv, "K-fold cross-validation: print the metrics (and keep them in the sidecar)")
      ->check(CLI::Range(2, 100))
      ->type_name("K");
  app.add_flag("--grid", o->grid, "Grid search over C (and gamma) by cross-validation (K from --cv, default 5)");
  app.add_option("--grid-c", o->grid_c, "log2 C values for --grid")->type_name("LO:HI:STEP")->capture_default_str();
  app.add_option("--grid-gamma", o->grid_gamma, "log2 gamma values for --grid")
      ->type_name("LO:HI:STEP")
      ->capture_default_str();
  app.add_flag("--compare", o->compare, "Cross-validate several algorithms and print them best first");
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
  app.add_option("--oof", o->oof,
                 "Write each row's out-of-fold prediction to FILE (NDJSON, input order; needs --cv)")
      ->type_name("FILE");
  CLI::Option* threads = app.get_option("--threads");
  CLI::Option* progress = app.get_option("--progress");
  return [o, threads, progress]() -> std::unique_ptr<Stage> {
    if (!o->info.empty()) {
      std::string text = info_text(o->info);
      write_all(STDOUT_FILENO, text, "<stdout>");
      return nullptr;
    }
    Options& opt = *o;
    opt.threads = threads->count() ? threads->as<int>() : default_threads();
    opt.progress = progress->count() > 0 || isatty(STDERR_FILENO);
    if (opt.output.empty() && !opt.cv && !opt.grid && !opt.compare)
      throw Error::usage("nothing to do: give -o MODEL, or --cv K, --grid or --compare to evaluate");
    Settings s;
    s.o = opt;
    TrainParams& p = s.params;
    for (SvmType t : {SvmType::c_svc, SvmType::nu_svc, SvmType::one_class, SvmType::epsilon_svr, SvmType::nu_svr})
      if (svm_type_option_name(t) == opt.type) p.type = t;
    for (KernelType k : {KernelType::linear, KernelType::poly, KernelType::rbf, KernelType::sigmoid})
      if ((k == KernelType::poly ? "poly" : kernel_name(k)) == opt.kernel) p.kernel = k;
    p.cost = opt.cost;
    p.gamma = opt.gamma;
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
    p.solver = opt.solver == "libsvm" ? Solver::libsvm : opt.solver == "liblinear" ? Solver::liblinear
                                                                                     : Solver::automatic;
    for (const std::string& wspec : opt.weights) {
      std::size_t eq = wspec.rfind('=');
      double w = 0;
      if (eq == std::string::npos || eq == 0)
        throw Error::usage(fmt::format("--weight '{}': expected NAME=W", wspec));
      std::string_view v = std::string_view(wspec).substr(eq + 1);
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), w);
      if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(w))
        throw Error::usage(fmt::format("--weight '{}': the weight is not a number", wspec));
      p.class_weights.emplace_back(wspec.substr(0, eq), w);
    }
    if (!is_classification(p.type) && (p.balanced || !p.class_weights.empty()))
      throw Error::usage("--weight and --balanced apply to classifiers (c-svc, nu-svc)");
    if (!opt.positive.empty() && !is_classification(p.type))
      throw Error::usage("--positive applies to classifiers (c-svc, nu-svc)");
    if (p.probability && !(is_classification(p.type) || is_regression(p.type)))
      throw Error::usage("--probability: not for one-class models");
    if (opt.compare && opt.type != "c-svc" && opt.type != "epsilon-svr" && opt.type != "nu-svc" && opt.type != "nu-svr")
      throw Error::usage("--compare: give --type c-svc (classification) or epsilon-svr (regression)");
    if (p.solver == Solver::liblinear && (p.type != SvmType::c_svc || p.kernel != KernelType::linear))
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
    if (!opt.group.empty() && opt.format == "libsvm")
      throw Error::usage("--group reads a field of NDJSON records: not with --format libsvm");
    if ((opt.calibrate || !opt.threshold.empty()) && p.type != SvmType::c_svc && p.type != SvmType::nu_svc)
      throw Error::usage(fmt::format("{}: for binary classifiers only (--type c-svc or nu-svc)",
                                     opt.calibrate ? "--calibrate" : "--threshold"));
    if (!opt.threshold.empty() && opt.threshold != "best-f1") {
      double v = 0;
      auto [ptr, ec] = std::from_chars(opt.threshold.data(), opt.threshold.data() + opt.threshold.size(), v);
      if (ec != std::errc() || ptr != opt.threshold.data() + opt.threshold.size() || !std::isfinite(v))
        throw Error::usage(fmt::format("--threshold '{}': expected best-f1 or a decision value", opt.threshold));
    }
    if (!opt.spec.empty()) {
      // It must be one JSON object: it is stored as is in the sidecar.
      std::string spec;
      try {
        spec = std::string(JsonText(read_whole_file(opt.spec), opt.spec).text());
      } catch (Error& e) {
        throw Error(opt.spec, 0, fmt::format("not a feature spec: {}", e.what()));
      }
      s.spec_json = spec;
    }
    return std::make_unique<TrainStage>(std::move(s));
  };
}

}  // namespace

const ToolDef& mltrain_tool() {
  static const ToolDef tool{"mltrain", "Train libsvm models on labelled NDJSON records; cross-validate, compare",
                            declare, false};
  return tool;
}

}  // namespace mlpipe
