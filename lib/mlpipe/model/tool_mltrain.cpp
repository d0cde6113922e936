// See tool_mltrain.h.
#include "mlpipe/model/tool_mltrain.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/model/describe.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/stage_mltrain.h"

namespace mlpipe {

namespace {

// ---------------------------------------------------------------- settings

// The learner and the task: from --task, else from --type, else classification (the
// learner's only task when it has one). Sets the parameters' learner, type and kernel.
void settle_task(const MltrainOptions& o, MltrainSettings& s) {
  TrainParams& p = s.params;
  const LearnerTraits& lt = traits(o.learner);
  p.learner = o.learner;
  bool regression = o.task == Task::regression || (o.task == Task::automatic && is_regression(o.type));
  if (o.learner != Learner::svm && o.type_given)
    throw Error::usage(fmt::format("--type applies to --learner svm, not {} (use --task for regression)", lt.name));
  if (o.learner == Learner::svm && o.type_given && o.task != Task::automatic &&
      (o.task == Task::regression) != is_regression(o.type))
    throw Error::usage(fmt::format("--type {} and --task {} disagree", svm_type_option_name(o.type),
                                   o.task == Task::regression ? "regression" : "classification"));
  if (o.learner == Learner::linear_svr && o.task == Task::automatic) regression = true;
  if (regression && !lt.regression)
    throw Error::usage(fmt::format("--learner {} trains classifiers, not regression models", lt.name));
  if (!regression && !lt.classification)
    throw Error::usage(fmt::format("--learner {} trains regression models (--task regression)", lt.name));
  p.type = o.learner == Learner::svm ? o.type : regression ? SvmType::epsilon_svr : SvmType::c_svc;
  if (o.learner == Learner::svm && regression && !o.type_given) p.type = SvmType::epsilon_svr;
  p.kernel = o.learner == Learner::svm ? o.kernel : KernelType::linear;
  s.type_given = o.type_given;
  s.rows.classify = is_classification(p.type);
  s.rows.needs_label = !(o.learner == Learner::svm && p.type == SvmType::one_class);
  // Options that only classifiers take, or a metric, say the task as well as --task does.
  const bool task_said = !o.positive.empty() || !o.weights.empty() || o.balanced || o.calibrate ||
                         !o.threshold.empty() || o.probability || !o.metric.empty();
  s.rows.detect_task = o.task == Task::automatic && !o.type_given && !task_said && lt.classification && lt.regression;
}

// The learners' values as given; --gamma and --weight read. (--scale's word is one CLI11
// has checked.)
void read_values(const MltrainOptions& o, TrainParams& p) {
  p.cost = o.cost;
  if (o.gamma == "auto") {
    p.gamma_rule = GammaRule::features;
  } else if (!o.gamma.empty() && o.gamma != "scale") {
    const std::optional<double> g = parse_double(o.gamma);
    if (!g) throw Error::usage(fmt::format("--gamma '{}': expected a number, scale or auto", o.gamma));
    p.gamma = *g;
  }
  p.degree = o.degree;
  p.coef0 = o.coef0;
  p.nu = o.nu;
  p.epsilon = o.epsilon;
  p.tolerance = o.tolerance;
  p.cache_mb = o.cache_mb;
  p.balanced = o.balanced;
  p.probability = o.probability;
  p.seed = o.seed;
  p.compact = o.compact;
  p.solver = o.solver;
  p.trees = o.trees;
  p.depth = o.depth;
  p.eta = o.eta;
  p.threads = o.threads;
  if (o.scale == "standard") p.scale = ScaleMethod::standard;
  else if (o.scale == "minmax") p.scale = ScaleMethod::minmax;
  else if (o.scale == "none") p.scale = ScaleMethod::none;
  for (const std::string& wspec : o.weights) {
    std::size_t eq = wspec.rfind('=');
    if (eq == std::string::npos || eq == 0) throw Error::usage(fmt::format("--weight '{}': expected NAME=W", wspec));
    const std::optional<double> w = parse_double(std::string_view(wspec).substr(eq + 1));
    if (!w) throw Error::usage(fmt::format("--weight '{}': the weight is not a number", wspec));
    p.class_weights.emplace_back(wspec.substr(0, eq), *w);
  }
}

// What only classifiers take, what only libsvm gives, and what --compare needs.
void check_classifier_options(const MltrainOptions& o, const MltrainSettings& s) {
  const TrainParams& p = s.params;
  if (!s.rows.classify && (p.balanced || !p.class_weights.empty()))
    throw Error::usage("--weight and --balanced apply to classifiers");
  if (!o.positive.empty() && !s.rows.classify) throw Error::usage("--positive applies to classifiers");
  if (p.probability && o.learner != Learner::svm) {
    const LearnerTraits& lt = traits(o.learner);
    throw Error::usage(fmt::format("--probability is libsvm's (--learner svm); {}",
                                   lt.probabilities ? fmt::format("{} gives probabilities without it", lt.name)
                                                    : "use --calibrate for probabilities"));
  }
  if (p.probability && p.type == SvmType::one_class) throw Error::usage("--probability: not for one-class models");
  if (o.compare && p.type == SvmType::one_class) throw Error::usage("--compare needs labels: not for one-class");
  if (o.learner == Learner::svm) check_solver(p);
}

// What needs cross-validation, CSV or NDJSON input, or a binary classifier; --threshold read.
void check_evaluation_options(const MltrainOptions& o, MltrainSettings& s) {
  const bool evaluate = o.cv || o.grid || o.compare;
  if (o.calibrate && !evaluate)
    throw Error::usage("--calibrate fits on out-of-fold decision values: it needs cross-validation (--cv K)");
  if (o.threshold == "best-f1" && !evaluate)
    throw Error::usage("--threshold best-f1 chooses on out-of-fold decision values: it needs cross-validation (--cv K)");
  if (!o.oof.empty() && !evaluate) throw Error::usage("--oof writes out-of-fold predictions: it needs --cv K");
  if (!o.group.empty() && !evaluate)
    throw Error::usage("--group makes cross-validation folds: it needs --cv K (or --grid, --compare)");
  if (!o.group.empty() && o.format == InputFormat::libsvm)
    throw Error::usage("--group reads a field of NDJSON records: not with --format libsvm");
  if (!o.ignore.empty() && o.format != InputFormat::csv)
    throw Error::usage("--ignore names CSV columns: it needs --format csv");
  if ((o.calibrate || !o.threshold.empty()) && !s.rows.classify)
    throw Error::usage(fmt::format("{}: for binary classifiers only", o.calibrate ? "--calibrate" : "--threshold"));
  if (o.threshold == "best-f1") {
    s.threshold = ThresholdRule::best_f1;
  } else if (!o.threshold.empty()) {
    const std::optional<double> t = parse_double(o.threshold);
    if (!t) throw Error::usage(fmt::format("--threshold '{}': expected best-f1 or a decision value", o.threshold));
    s.threshold = ThresholdRule::given;
    s.threshold_value = *t;
  }
  if (evaluate && !s.rows.needs_label)
    throw Error::usage("--cv, --grid and --compare need labels: not for --type one-class");
}

// The options that pass as they are.
void copy_plain_options(const MltrainOptions& o, MltrainSettings& s) {
  s.rows.format = o.format;
  s.rows.label = o.label;
  s.rows.features_field = o.features_field;
  s.rows.ignore = o.ignore;
  s.rows.group = o.group;
  s.rows.spec = o.spec;
  s.rows.positive = o.positive;
  s.cv = o.cv;
  s.grid = o.grid;
  s.compare = o.compare;
  s.grid_c = o.grid_c;
  s.grid_gamma = o.grid_gamma;
  s.grid_depth = o.grid_depth;
  s.grid_eta = o.grid_eta;
  if (!o.metric.empty()) s.metric = metric_by_name(o.metric);  // a name CLI11 has checked
  s.calibrate = o.calibrate;
  s.oof = o.oof;
  s.output = o.output;
  s.threads = o.threads;
  s.progress = o.progress;
}

}  // namespace

MltrainSettings mltrain_settings(const MltrainOptions& o) {
  MltrainSettings s;
  if (!o.info.empty()) {
    s.action = MltrainSettings::Action::describe;
    s.model = o.info;
    s.json = o.json;
    return s;
  }
  if (o.json) throw Error::usage("--json prints the sidecar of a model: mltrain --info MODEL --json");
  if (!o.refresh_sidecar.empty()) {
    s.action = MltrainSettings::Action::refresh_sidecar;
    s.model = o.refresh_sidecar;
    return s;
  }
  if (o.output.empty() && !o.cv && !o.grid && !o.compare)
    throw Error::usage("nothing to do: give -o MODEL, or --cv K, --grid or --compare to evaluate");
  settle_task(o, s);
  read_values(o, s.params);
  check_classifier_options(o, s);
  check_evaluation_options(o, s);
  copy_plain_options(o, s);
  return s;
}

namespace {

// ---------------------------------------------------------------- the program

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

// --spec FILE's text, which must be one JSON object: it is stored as is in the sidecar.
std::string read_spec(const std::string& path, const FileSource& files) {
  if (path.empty()) return "";
  try {
    return std::string(JsonText(files.read(path), path).text());
  } catch (Error& e) {
    throw Error(path, 0, fmt::format("not a feature spec: {}", e.what()));
  }
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

// What mltrain makes: a model (-o), a description (--info), a refreshed sidecar.
void declare_outputs(CLI::App& app, MltrainOptions& o) {
  app.add_option("-o,--output", o.output, "Write the model to MODEL and its sidecar to MODEL.json, atomically (and a kernel "
                 "model's scaling for svm-scale to MODEL.range)")
      ->type_name("MODEL");
  app.add_option("--info", o.info,
                 "Describe MODEL and its sidecar for a person (learner and parameters, task and classes, features, "
                 "scaling, calibration, threshold, cross-validation figures) and exit")
      ->type_name("MODEL");
  app.add_flag("--json", o.json, "With --info: print the sidecar instead, as stored (one JSON line; jq . for more)");
  app.add_option("--refresh-sidecar", o.refresh_sidecar,
                 "Rewrite MODEL's sidecar for the model file as it is now (its size and checksum; the dimension an "
                 "older sidecar lacks), everything else kept, and exit")
      ->type_name("MODEL");
}

// What the input rows are.
void declare_input(CLI::App& app, MltrainOptions& o) {
  app.add_option("--label", o.label, "Field (or CSV column) holding the label or target (a dotted path reaches into "
                                      "objects)")
      ->type_name("FIELD")
      ->capture_default_str();
  app.add_option("--features-field", o.features_field, "Field holding the features (default: features, else x)")
      ->type_name("FIELD");
  one_of<InputFormat>(app.add_option("--format", o.format,
                                      "Input format: NDJSON records, libsvm's text format (LABEL idx:val …), or CSV "
                                      "with a header row, as it comes (every column but --label, --group and --ignore "
                                      "is a feature: numbers, or text as categories; missing cells filled per fold)"),
                      {{"ndjson", InputFormat::ndjson}, {"libsvm", InputFormat::libsvm}, {"csv", InputFormat::csv}})
      ->default_str("ndjson");
  app.add_option("--ignore", o.ignore, "CSV: leave COLUMN out (an identifier, a free-text column), repeatable")
      ->type_name("COLUMN")
      ->allow_extra_args(false);
}

// The learner, the task and the SVM's own options.
void declare_learner(CLI::App& app, MltrainOptions& o) {
  std::vector<std::pair<std::string, Learner>> learner_list;
  for (const LearnerTraits& t : all_learners()) learner_list.emplace_back(std::string(t.name), t.learner);
  one_of<Learner>(app.add_option("-l,--learner", o.learner, "The learner (the table in mltrain(1))"), learner_list)
      ->default_str("svm");
  one_of<Task>(app.add_option("--task", o.task,
                               "Classification (labels are classes) or regression (a numeric target); default: "
                               "from --type or the learner, else regression for numbers with more than 20 distinct "
                               "values and fewer than 20 rows per value (or not whole), classes otherwise"),
               {{"classification", Task::classification}, {"regression", Task::regression}});
  one_of<SvmType>(app.add_option("-s,--type", o.type, "SVM type (--learner svm)"),
                  {{"c-svc", SvmType::c_svc},
                   {"nu-svc", SvmType::nu_svc},
                   {"one-class", SvmType::one_class},
                   {"epsilon-svr", SvmType::epsilon_svr},
                   {"nu-svr", SvmType::nu_svr}})
      ->default_str("c-svc");
  one_of<KernelType>(app.add_option("-t,--kernel", o.kernel, "Kernel (--learner svm)"),
                     {{"linear", KernelType::linear},
                      {"poly", KernelType::poly},
                      {"rbf", KernelType::rbf},
                      {"sigmoid", KernelType::sigmoid}})
      ->default_str("rbf");
  app.add_option("-c,--cost", o.cost, "C: the cost of errors (SVMs and the linear learners)")->capture_default_str();
  app.add_option("-g,--gamma", o.gamma,
                 "Kernel gamma (rbf, poly, sigmoid): a value, scale (1 / (features × variance), the default) or "
                 "auto (1 / features, libsvm's)")
      ->type_name("G|scale|auto");
  app.add_option("-d,--degree", o.degree, "Degree of the poly kernel")->capture_default_str();
  app.add_option("-r,--coef0", o.coef0, "coef0 of the poly and sigmoid kernels")->capture_default_str();
  app.add_option("-n,--nu", o.nu, "nu (nu-svc, one-class, nu-svr)")->capture_default_str();
  app.add_option("-p,--epsilon", o.epsilon,
                 "epsilon of the SVR loss (default: 0.01 × the targets' standard deviation)")
      ->type_name("E");
  app.add_option("-e,--tolerance", o.tolerance, "Stopping tolerance of libsvm's solver")->capture_default_str();
  app.add_option("--cache-mb", o.cache_mb, "libsvm's kernel cache, in MB")->capture_default_str();
}

// Class weights, solvers, scaling, the trees' options, the positive class.
void declare_training(CLI::App& app, MltrainOptions& o) {
  app.add_option("-w,--weight", o.weights, "Weight of a class's errors, repeatable (C times W)")
      ->type_name("NAME=W")
      ->allow_extra_args(false);
  app.add_flag("--balanced", o.balanced, "Weight classes by rows / (classes × rows of the class)");
  app.add_flag("-b,--probability", o.probability, "Train probability estimates too (libsvm's internal 5-fold CV)");
  app.add_option("--seed", o.seed, "Seed for folds and solvers' random choices")->capture_default_str();
  one_of<Solver>(app.add_option("--solver", o.solver,
                                 fmt::format("--learner svm: libsvm, liblinear (linear c-svc only), or auto: "
                                             "liblinear for linear c-svc from {} rows",
                                             kLiblinearRows)),
                 {{"auto", Solver::automatic}, {"libsvm", Solver::libsvm}, {"liblinear", Solver::liblinear}})
      ->default_str("auto");
  app.add_flag("--compact", o.compact, "Store a linear libsvm model as collapsed weight vectors");
  app.add_option("--scale", o.scale,
                 fmt::format("Feature scaling fitted on the training rows and kept in the sidecar; auto: standard "
                             "for SVMs and linear learners on at most {} features, none for xgboost and wider data",
                             kAutoScaleMaxFeatures))
      ->check(CLI::IsMember({"auto", "standard", "minmax", "none"}))
      ->type_name("auto|standard|minmax|none")
      ->capture_default_str();
  app.add_option("--trees", o.trees, "xgboost: boosting rounds; forest: the trees of the forest")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--depth", o.depth,
                 fmt::format("xgboost, forest: maximum tree depth (default {} for xgboost, {} for forest)", kBoostDepth,
                             kForestDepth))
      ->check(CLI::Range(1, 30));
  app.add_option("--eta", o.eta, "xgboost: learning rate")->check(CLI::Range(1e-6, 1.0))->capture_default_str();
  app.add_option("--positive", o.positive, "Make class NAME the first (positive) class")->type_name("NAME");
}

// Cross-validation, grid search, comparison, and what ranks them.
void declare_evaluation(CLI::App& app, MltrainOptions& o) {
  app.add_option("--cv", o.cv, "K-fold cross-validation: print the metrics (and keep them in the sidecar)")
      ->check(CLI::Range(2, 100))
      ->type_name("K");
  app.add_flag("--grid", o.grid,
               "Grid search by cross-validation (K from --cv, default 5): C and gamma for SVMs, C for linear "
               "learners, --grid-depth × --grid-eta for xgboost");
  app.add_option("--grid-c", o.grid_c, "log2 C values for --grid")->type_name("LO:HI:STEP")->capture_default_str();
  app.add_option("--grid-gamma", o.grid_gamma, "log2 gamma values for --grid")
      ->type_name("LO:HI:STEP")
      ->capture_default_str();
  app.add_option("--grid-depth", o.grid_depth, "xgboost tree depths for --grid")
      ->delimiter(',')
      ->check(CLI::Range(1, 30))
      ->type_name("D,D,…")
      ->default_str("2,4,6,8");
  app.add_option("--grid-eta", o.grid_eta, "xgboost learning rates for --grid")
      ->delimiter(',')
      ->check(CLI::Range(1e-6, 1.0))
      ->type_name("E,E,…")
      ->default_str("0.05,0.1,0.3");
  app.add_flag("--compare", o.compare,
               "Cross-validate every learner suited to the task, print them best first, and keep the best with -o");
  app.add_option("--metric", o.metric,
                 fmt::format("What ranks --compare and --grid: default F1 of the rarer class (or of --positive) for "
                             "binary data whose smaller class has under {:.0f}% of the rows, accuracy for other "
                             "classes, r2 for regression",
                             100 * kImbalancedShare))
      ->check(CLI::IsMember({"accuracy", "f1", "macro-f1", "auc", "ap", "mse", "mae", "r2"}))
      ->type_name("accuracy|f1|macro-f1|auc|ap|mse|mae|r2");
}

// What the sidecar keeps besides the model (the spec, the decisions) and how the folds
// are made and their predictions written.
void declare_kept(CLI::App& app, MltrainOptions& o) {
  app.add_option("--spec", o.spec, "The feature spec the records were built with (mlfeat --write-spec); kept in "
                                    "the sidecar")
      ->type_name("FILE");
  app.add_option("--group", o.group,
                 "Cross-validation folds keep all records with one value of FIELD together (e.g. the document)")
      ->type_name("FIELD");
  app.add_flag("--calibrate", o.calibrate,
               "Fit Platt scaling on the out-of-fold decision values (binary classifiers; needs --cv) and keep it "
               "in the sidecar: mlclassify then writes probabilities");
  app.add_option("--threshold", o.threshold,
                 "Decision threshold kept in the sidecar: the out-of-fold value with the best F1 of the positive "
                 "class (needs --cv), or the decision value given")
      ->type_name("best-f1|VALUE");
  app.add_option("--oof", o.oof, "Write each row's out-of-fold prediction to FILE (NDJSON, input order; needs --cv)")
      ->type_name("FILE");
}

StageFactory declare_mltrain(CLI::App& app) {
  auto o = std::make_shared<MltrainOptions>();
  declare_outputs(app, *o);
  declare_input(app, *o);
  declare_learner(app, *o);
  declare_training(app, *o);
  declare_evaluation(app, *o);
  declare_kept(app, *o);
  CLI::Option* threads = app.get_option("--threads");
  CLI::Option* progress = app.get_option("--progress");
  CLI::Option* no_progress = app.get_option("--no-progress");
  CLI::Option* type_option = app.get_option("--type");
  return [o, threads, progress, no_progress, type_option](const FileSource& files) -> std::unique_ptr<Stage> {
    MltrainOptions given = *o;
    given.type_given = type_option->count() > 0;
    given.threads = threads->count() ? threads->as<int>() : default_threads();
    // Training progress shows on a terminal whatever the input: mltrain ends a pipeline, and
    // the stages before it are done when it trains.
    given.progress = show_progress(progress->count()      ? ProgressChoice::on
                                   : no_progress->count() ? ProgressChoice::off
                                                          : ProgressChoice::automatic);
    MltrainSettings s = mltrain_settings(given);
    switch (s.action) {
      case MltrainSettings::Action::describe:
        write_all(STDOUT_FILENO, s.json ? describe_sidecar_json(s.model, files) : describe_model(s.model, files),
                  "<stdout>");
        return nullptr;
      case MltrainSettings::Action::refresh_sidecar:
        refresh_sidecar_file(s.model);
        return nullptr;
      case MltrainSettings::Action::train: break;
    }
    std::string spec_json = read_spec(s.rows.spec, files);
    return std::make_unique<TrainStage>(std::move(s), std::move(spec_json));
  };
}

}  // namespace

int follow_mltrain(int argc, char** argv, TrainRanks& ranks) {
  // The command line rank 0 parsed without error, as run_tool parses it.
  CLI::App app;
  IoOptions io;
  add_io_options(app, io, false);
  StageFactory factory = declare_mltrain(app);
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
                            declare_mltrain, false};
  return tool;
}

}  // namespace mlpipe
