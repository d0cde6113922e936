// mltrain_settings: every usage error mltrain finds across its options, with the message
// it prints, and what the options come to when they go together.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/tool_mltrain.h"

using namespace mlpipe;

namespace {

// Options with something to do (-o m.model), changed by `set`.
MltrainOptions options(const std::function<void(MltrainOptions&)>& set) {
  MltrainOptions o;
  o.output = "m.model";
  set(o);
  return o;
}

// The usage error mltrain_settings throws for `o`; "" when it throws none.
std::string usage_error(const MltrainOptions& o) {
  try {
    mltrain_settings(o);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "";
}

struct MltrainUsageCase {
  const char* name;
  std::function<void(MltrainOptions&)> set;
  const char* message;
};

void one_class(MltrainOptions& o) {
  o.type = SvmType::one_class;
  o.type_given = true;
}

}  // namespace

TEST_CASE("mltrain_settings: each usage error, with mltrain's message") {
  const std::vector<MltrainUsageCase> cases = {
      {"nothing to do", [](MltrainOptions& o) { o.output.clear(); },
       "nothing to do: give -o MODEL, or --cv K, --grid or --compare to evaluate"},
      {"--json without --info", [](MltrainOptions& o) { o.json = true; },
       "--json prints the sidecar of a model: mltrain --info MODEL --json"},
      {"--type for another learner",
       [](MltrainOptions& o) {
         o.learner = Learner::logistic;
         o.type_given = true;
       },
       "--type applies to --learner svm, not logistic (use --task for regression)"},
      {"--type and --task",
       [](MltrainOptions& o) {
         o.type = SvmType::epsilon_svr;
         o.type_given = true;
         o.task = Task::classification;
       },
       "--type epsilon-svr and --task classification disagree"},
      {"a classifier asked for regression",
       [](MltrainOptions& o) {
         o.learner = Learner::logistic;
         o.task = Task::regression;
       },
       "--learner logistic trains classifiers, not regression models"},
      {"a regression learner asked for classes",
       [](MltrainOptions& o) {
         o.learner = Learner::linear_svr;
         o.task = Task::classification;
       },
       "--learner linear-svr trains regression models (--task regression)"},
      {"--gamma", [](MltrainOptions& o) { o.gamma = "wide"; }, "--gamma 'wide': expected a number, scale or auto"},
      {"--weight without =", [](MltrainOptions& o) { o.weights = {"yes"}; }, "--weight 'yes': expected NAME=W"},
      {"--weight without a name", [](MltrainOptions& o) { o.weights = {"=2"}; }, "--weight '=2': expected NAME=W"},
      {"--weight not a number", [](MltrainOptions& o) { o.weights = {"yes=x"}; },
       "--weight 'yes=x': the weight is not a number"},
      {"--balanced for regression",
       [](MltrainOptions& o) {
         o.task = Task::regression;
         o.balanced = true;
       },
       "--weight and --balanced apply to classifiers"},
      {"--positive for regression",
       [](MltrainOptions& o) {
         o.task = Task::regression;
         o.positive = "yes";
       },
       "--positive applies to classifiers"},
      {"--probability for a learner with probabilities",
       [](MltrainOptions& o) {
         o.learner = Learner::logistic;
         o.probability = true;
       },
       "--probability is libsvm's (--learner svm); logistic gives probabilities without it"},
      {"--probability for a learner without",
       [](MltrainOptions& o) {
         o.learner = Learner::linear_svm;
         o.probability = true;
       },
       "--probability is libsvm's (--learner svm); use --calibrate for probabilities"},
      {"--probability for one-class",
       [](MltrainOptions& o) {
         one_class(o);
         o.probability = true;
       },
       "--probability: not for one-class models"},
      {"--compare for one-class",
       [](MltrainOptions& o) {
         one_class(o);
         o.compare = true;
       },
       "--compare needs labels: not for one-class"},
      {"--solver liblinear with a kernel", [](MltrainOptions& o) { o.solver = Solver::liblinear; },
       "--solver liblinear trains linear C-SVC only (--type c-svc --kernel linear)"},
      {"--solver liblinear with --probability",
       [](MltrainOptions& o) {
         o.solver = Solver::liblinear;
         o.kernel = KernelType::linear;
         o.probability = true;
       },
       "--probability needs --solver libsvm (liblinear gives no probability model)"},
      {"--calibrate without folds", [](MltrainOptions& o) { o.calibrate = true; },
       "--calibrate fits on out-of-fold decision values: it needs cross-validation (--cv K)"},
      {"--threshold best-f1 without folds", [](MltrainOptions& o) { o.threshold = "best-f1"; },
       "--threshold best-f1 chooses on out-of-fold decision values: it needs cross-validation (--cv K)"},
      {"--oof without folds", [](MltrainOptions& o) { o.oof = "oof.ndjson"; },
       "--oof writes out-of-fold predictions: it needs --cv K"},
      {"--group without folds", [](MltrainOptions& o) { o.group = "doc"; },
       "--group makes cross-validation folds: it needs --cv K (or --grid, --compare)"},
      {"--group of libsvm lines",
       [](MltrainOptions& o) {
         o.cv = 3;
         o.group = "doc";
         o.format = InputFormat::libsvm;
       },
       "--group reads a field of NDJSON records: not with --format libsvm"},
      {"--ignore without CSV", [](MltrainOptions& o) { o.ignore = {"id"}; },
       "--ignore names CSV columns: it needs --format csv"},
      {"--calibrate for regression",
       [](MltrainOptions& o) {
         o.cv = 3;
         o.task = Task::regression;
         o.calibrate = true;
       },
       "--calibrate: for binary classifiers only"},
      {"--threshold for regression",
       [](MltrainOptions& o) {
         o.task = Task::regression;
         o.threshold = "0.5";
       },
       "--threshold: for binary classifiers only"},
      {"--threshold not a value", [](MltrainOptions& o) { o.threshold = "high"; },
       "--threshold 'high': expected best-f1 or a decision value"},
      {"--cv for one-class",
       [](MltrainOptions& o) {
         one_class(o);
         o.cv = 3;
       },
       "--cv, --grid and --compare need labels: not for --type one-class"},
  };
  for (const MltrainUsageCase& c : cases) {
    CAPTURE(c.name);
    CHECK(usage_error(options(c.set)) == c.message);
  }
}

TEST_CASE("mltrain_settings: the first error in mltrain's order wins") {
  // --json is refused before anything else is looked at; --info looks at nothing else.
  CHECK(usage_error(options([](MltrainOptions& o) {
          o.json = true;
          o.gamma = "wide";
        })) == "--json prints the sidecar of a model: mltrain --info MODEL --json");
  CHECK(usage_error(options([](MltrainOptions& o) {
          o.info = "m.model";
          o.json = true;
          o.gamma = "wide";
        })) == "");
  // The task's errors come before the values', the classifiers' before the folds'.
  CHECK(usage_error(options([](MltrainOptions& o) {
          o.learner = Learner::logistic;
          o.task = Task::regression;
          o.gamma = "wide";
        })) == "--learner logistic trains classifiers, not regression models");
  CHECK(usage_error(options([](MltrainOptions& o) {
          one_class(o);
          o.cv = 3;
          o.calibrate = true;
        })) == "--calibrate: for binary classifiers only");
}

TEST_CASE("mltrain_settings: the defaults") {
  const MltrainSettings s = mltrain_settings(options([](MltrainOptions&) {}));
  CHECK(s.action == MltrainSettings::Action::train);
  CHECK(s.output == "m.model");
  CHECK(s.rows.format == InputFormat::ndjson);
  CHECK(s.rows.label == "label");
  CHECK(s.rows.features_field.empty());
  CHECK(s.rows.group.empty());
  CHECK(s.rows.spec.empty());
  CHECK(s.rows.needs_label);
  CHECK(s.rows.classify);
  CHECK(s.rows.detect_task);  // svm trains both: numeric labels may decide
  CHECK_FALSE(s.type_given);
  const TrainParams& p = s.params;
  CHECK(p.learner == Learner::svm);
  CHECK(p.type == SvmType::c_svc);
  CHECK(p.kernel == KernelType::rbf);
  CHECK(p.cost == 1);
  CHECK_FALSE(p.gamma);
  CHECK(p.gamma_rule == GammaRule::scale);
  CHECK(p.degree == 3);
  CHECK(p.nu == 0.5);
  CHECK_FALSE(p.epsilon);
  CHECK(p.tolerance == 1e-3);
  CHECK(p.cache_mb == 200);
  CHECK(p.class_weights.empty());
  CHECK_FALSE(p.balanced);
  CHECK_FALSE(p.probability);
  CHECK(p.seed == 1);
  CHECK(p.solver == Solver::automatic);
  CHECK_FALSE(p.scale);  // auto
  CHECK(p.trees == 100);
  CHECK_FALSE(p.depth);
  CHECK(p.eta == kBoostEta);
  CHECK_FALSE(s.evaluate());
  CHECK(s.folds() == 5);
  CHECK(s.grid_c == "-5:15:2");
  CHECK(s.grid_gamma == "-15:3:2");
  CHECK(s.grid_depth == std::vector<int>{2, 4, 6, 8});
  CHECK(s.grid_eta == std::vector<double>{0.05, 0.1, 0.3});
  CHECK_FALSE(s.metric);
  CHECK_FALSE(s.calibrate);
  CHECK(s.threshold == ThresholdRule::none);
  CHECK(s.oof.empty());
}

TEST_CASE("mltrain_settings: --info and --refresh-sidecar are actions of their own") {
  const MltrainSettings info = mltrain_settings(options([](MltrainOptions& o) {
    o.output.clear();
    o.info = "m.model";
    o.json = true;
  }));
  CHECK(info.action == MltrainSettings::Action::describe);
  CHECK(info.model == "m.model");
  CHECK(info.json);
  const MltrainSettings refresh = mltrain_settings(options([](MltrainOptions& o) {
    o.output.clear();
    o.refresh_sidecar = "m.model";
  }));
  CHECK(refresh.action == MltrainSettings::Action::refresh_sidecar);
  CHECK(refresh.model == "m.model");
}

TEST_CASE("mltrain_settings: the task from --task, --type or the learner") {
  const MltrainSettings svr = mltrain_settings(options([](MltrainOptions& o) { o.task = Task::regression; }));
  CHECK(svr.params.type == SvmType::epsilon_svr);
  CHECK_FALSE(svr.rows.classify);
  CHECK_FALSE(svr.rows.detect_task);
  const MltrainSettings nu = mltrain_settings(options([](MltrainOptions& o) {
    o.type = SvmType::nu_svr;
    o.type_given = true;
  }));
  CHECK(nu.params.type == SvmType::nu_svr);
  CHECK(nu.type_given);
  CHECK_FALSE(nu.rows.classify);
  const MltrainSettings linear = mltrain_settings(options([](MltrainOptions& o) { o.learner = Learner::linear_svr; }));
  CHECK(linear.params.type == SvmType::epsilon_svr);
  CHECK(linear.params.kernel == KernelType::linear);
  CHECK_FALSE(linear.rows.classify);
  const MltrainSettings logistic = mltrain_settings(options([](MltrainOptions& o) { o.learner = Learner::logistic; }));
  CHECK(logistic.params.type == SvmType::c_svc);
  CHECK(logistic.rows.classify);
  CHECK_FALSE(logistic.rows.detect_task);  // it trains classifiers only
  const MltrainSettings oc = mltrain_settings(options(one_class));
  CHECK_FALSE(oc.rows.needs_label);
  CHECK_FALSE(oc.rows.classify);
}

TEST_CASE("mltrain_settings: an option only classifiers take says the task") {
  const std::vector<std::function<void(MltrainOptions&)>> said = {
      [](MltrainOptions& o) { o.positive = "yes"; },
      [](MltrainOptions& o) { o.weights = {"yes=2"}; },
      [](MltrainOptions& o) { o.balanced = true; },
      [](MltrainOptions& o) { o.probability = true; },
      [](MltrainOptions& o) { o.metric = "accuracy"; },
      [](MltrainOptions& o) {
        o.cv = 3;
        o.calibrate = true;
      },
      [](MltrainOptions& o) { o.threshold = "0"; },
  };
  for (std::size_t i = 0; i < said.size(); ++i) {
    CAPTURE(i);
    const MltrainSettings s = mltrain_settings(options(said[i]));
    CHECK_FALSE(s.rows.detect_task);
    CHECK(s.rows.classify);
  }
}

TEST_CASE("mltrain_settings: values read from their words") {
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.gamma = "auto"; })).params.gamma_rule ==
        GammaRule::features);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.gamma = "scale"; })).params.gamma_rule == GammaRule::scale);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.gamma = "0.5"; })).params.gamma == 0.5);
  const MltrainSettings w = mltrain_settings(options([](MltrainOptions& o) { o.weights = {"yes=2", "a=b=0.5"}; }));
  REQUIRE(w.params.class_weights.size() == 2);
  CHECK(w.params.class_weights[0].first == "yes");
  CHECK(w.params.class_weights[0].second == 2);
  CHECK(w.params.class_weights[1].first == "a=b");  // the last '=' splits: a class name may hold one
  CHECK(w.params.class_weights[1].second == 0.5);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.scale = "standard"; })).params.scale ==
        ScaleMethod::standard);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.scale = "minmax"; })).params.scale == ScaleMethod::minmax);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.scale = "none"; })).params.scale == ScaleMethod::none);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.metric = "f1"; })).metric == Metric::f1);
  const MltrainSettings best = mltrain_settings(options([](MltrainOptions& o) {
    o.cv = 4;
    o.threshold = "best-f1";
  }));
  CHECK(best.threshold == ThresholdRule::best_f1);
  CHECK(best.evaluate());
  CHECK(best.folds() == 4);
  const MltrainSettings given = mltrain_settings(options([](MltrainOptions& o) { o.threshold = "-0.25"; }));
  CHECK(given.threshold == ThresholdRule::given);
  CHECK(given.threshold_value == -0.25);
  CHECK(mltrain_settings(options([](MltrainOptions& o) { o.grid = true; })).folds() == 5);
}
