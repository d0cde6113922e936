// The tensor route's dense rows, scored directly (dense_scorer.h), answer as mlclassify's
// stage does for the same rows: the response to a request is the same text both ways, for
// every kind of model the direct way takes and for one it leaves to the stage.
#include "mlpipe/serve/dense_scorer.h"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/pipeline/pipeline.h"
#include "mlpipe/serve/mltrain_command.h"
#include "mlpipe/serve/oip_tensors.h"
#include "mlpipe/serve/request_error.h"
#include "mlpipe/serve/served_model.h"

using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::testing::TempDir;

namespace {

// Rows of three features around a plane, a few with a zero; the same for a seed.
struct Rows {
  std::vector<double> x;  // row-major, 3 a row
  std::vector<double> s;  // each row's side of the plane, with noise
};
Rows make_rows(std::size_t n, std::uint32_t seed) {
  Rows r;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return double(seed >> 8) / double(1u << 24);  // [0, 1)
  };
  for (std::size_t i = 0; i < n; ++i) {
    double a = std::round((next() * 4 - 2) * 1000) / 1000, b = std::round((next() * 4 - 2) * 1000) / 1000,
           c = std::round((next() * 4 - 2) * 1000) / 1000;
    if (i % 7 == 0) b = 0;
    r.x.insert(r.x.end(), {a, b, c});
    r.s.push_back(a - 0.5 * b + 0.25 * c + (next() - 0.5) * 0.6);
  }
  return r;
}

std::string number(double v) { return fmt::format("{}", v); }

enum class Labels { strings, numbers, booleans, values, three_classes };

// Training rows as CSV (a,b,c,y) or NDJSON ({"x":[a,b,c],"y":…}).
std::string training_rows(Labels labels, bool csv) {
  Rows r = make_rows(60, 7);
  std::string out = csv ? "a,b,c,y\n" : "";
  for (std::size_t i = 0; i < r.s.size(); ++i) {
    double s = r.s[i];
    std::string y = labels == Labels::strings    ? (s > 0 ? "pos" : "neg")
                    : labels == Labels::numbers  ? (s > 0 ? "1" : "0")
                    : labels == Labels::booleans ? (s > 0 ? "true" : "false")
                    : labels == Labels::values   ? number(std::round((3 * s + 1) * 1000) / 1000)
                                                 : (s > 0.7 ? "a" : s > -0.7 ? "b" : "c");
    if (csv)
      out += fmt::format("{},{},{},{}\n", number(r.x[3 * i]), number(r.x[3 * i + 1]), number(r.x[3 * i + 2]), y);
    else
      out += fmt::format("{{\"x\":[{},{},{}],\"y\":{}}}\n", number(r.x[3 * i]), number(r.x[3 * i + 1]),
                         number(r.x[3 * i + 2]), labels == Labels::strings || labels == Labels::three_classes
                                                     ? "\"" + y + "\""
                                                     : y);
  }
  return out;
}

// A request of other rows than the training ones, with a row of zeros and one of large values.
InferRequest request_of(std::size_t n) {
  Rows r = make_rows(n, 99);
  r.x.insert(r.x.end(), {0, 0, 0, 1e6, -3.5e5, 0.001});
  Tensor t;
  t.name = "x";
  t.datatype = "FP64";
  t.shape = {std::int64_t(n + 2), 3};
  t.numbers = r.x;
  InferRequest req;
  req.inputs.push_back(std::move(t));
  return req;
}

// The response as mlclassify's stage makes it: the request's rows as records, the stage,
// its records read back.
std::string stage_response(const std::string& path, const ServedModel& m, const InferRequest& req) {
  std::vector<std::string> words = {"mlclassify", "-m", "m=" + path, "--label-out", "label"};
  if (m.facts().classes.size() > 2) words.push_back("--per-class");
  std::unique_ptr<Stage> stage =
      pipeline::parse_pipeline({words}, pipeline::known_tools()).front().factory(local_files());
  StageRows rows = rows_for_model(req, m.facts().dimension, m.facts().columns);
  REQUIRE(rows.kind == StageRows::Kind::ndjson);
  return infer_response("m", "1", req, outputs_of_records("m", run_stage_over(*stage, rows.text, "request")));
}

struct Case {
  const char* what;
  Labels labels;
  bool csv;
  std::vector<std::string> options;
  bool direct;  // DenseScorer takes the model
};

}  // namespace

TEST_CASE("dense rows scored directly answer as mlclassify's stage does") {
  const std::vector<Case> cases = {
      {"linear SVM, string classes, no scaling", Labels::strings, true, {"-l", "linear-svm", "--scale", "none"}, true},
      {"linear SVM, standard scaling", Labels::strings, true, {"-l", "linear-svm", "--scale", "standard"}, true},
      {"logistic, calibrated, best-F1 threshold",
       Labels::strings,
       true,
       {"-l", "logistic", "--cv", "3", "--calibrate", "--threshold", "best-f1"},
       true},
      {"RBF SVM, number classes, a given threshold", Labels::numbers, false, {"-l", "svm", "--threshold", "0.3"}, true},
      {"gradient-boosted trees, boolean classes", Labels::booleans, false, {"-l", "xgboost", "--trees", "10"}, true},
      {"regression (epsilon-SVR)", Labels::values, true, {"--task", "regression", "-s", "epsilon-svr"}, true},
      {"one-class SVM", Labels::strings, true, {"-s", "one-class"}, true},
      {"three classes: through the stage", Labels::three_classes, true, {"-l", "linear-svm"}, false},
  };
  TempDir dir;
  int n = 0;
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::string name = fmt::format("m{}", n++);
    MltrainRun run;
    run.format = c.csv ? "csv" : "ndjson";
    run.options = c.options;
    run.options.insert(run.options.end(), {"--label", "y"});
    run.rows_path = dir.write(name + ".rows", training_rows(c.labels, c.csv));
    run.rows_name = "rows";
    run.model_path = dir.path + "/" + name + ".model";
    run.printed_path = dir.path + "/" + name + ".printed";
    run_mltrain(run);

    CHECK((DenseScorer::of(load_model(run.model_path, local_files())) != nullptr) == c.direct);
    ServedModel served(name, 1, run.model_path);
    InferRequest req = request_of(40);
    std::string direct = infer_response("m", "1", req, served.infer(req));
    CHECK(direct == stage_response(run.model_path, served, req));
    CHECK(direct.find("\"shape\":[42]") != std::string::npos);
  }
}

TEST_CASE("dense rows scored directly: no rows, and rows of another width") {
  TempDir dir;
  MltrainRun run;
  run.format = "ndjson";
  run.options = {"-l", "linear-svm", "--label", "y"};
  run.rows_path = dir.write("rows.ndjson", training_rows(Labels::strings, false));
  run.rows_name = "rows";
  run.model_path = dir.path + "/m.model";
  run.printed_path = dir.path + "/printed";
  run_mltrain(run);
  ServedModel served("m", 1, run.model_path);

  InferRequest none = request_of(0);
  none.inputs[0].shape = {0, 3};
  none.inputs[0].numbers.clear();
  CHECK(infer_response("m", "1", none, served.infer(none)) == stage_response(run.model_path, served, none));

  InferRequest wide = request_of(2);
  wide.inputs[0].shape = {3, 4};
  wide.inputs[0].numbers.resize(12);
  CHECK_THROWS_WITH_AS(served.infer(wide), doctest::Contains("where the model takes 3 features"), RequestError);
}
