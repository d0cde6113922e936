// mlclassify's options made settings: each default, each argument's reading, and each check
// between options with the message mlclassify prints for it.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/tool_mlclassify.h"

using namespace mlpipe;

namespace {

using Keep = ClassifySettings::Keep;
using Input = ClassifySettings::Input;

MlclassifyOptions one_model() {
  MlclassifyOptions o;
  o.models = {"claim=m/claim.model"};
  return o;
}

struct MlclassifyUsageCase {
  std::string why;
  std::function<void(MlclassifyOptions&)> change;
  std::string message;
};

}  // namespace

TEST_CASE("mlclassify's defaults: every record, NDJSON in and out, the sidecar's thresholds") {
  const ClassifySettings s = mlclassify_settings(one_model());
  REQUIRE(s.models.size() == 1);
  CHECK(s.models[0].name == "claim");
  CHECK(s.models[0].path == "m/claim.model");
  CHECK_FALSE(s.models[0].min);
  CHECK(s.keep == Keep::every);
  CHECK(s.input == Input::ndjson);
  CHECK_FALSE(s.probability);
  CHECK_FALSE(s.decision);
  CHECK_FALSE(s.per_class);
  CHECK_FALSE(s.drop_features);
  CHECK(s.features_field.empty());
  CHECK_FALSE(s.ignore_extra_features);
  CHECK(s.spec_file.empty());
  CHECK_FALSE(s.csv_output);
  CHECK_FALSE(s.accuracy);
  CHECK(s.label_out.empty());
  CHECK_FALSE(s.reload);
}

TEST_CASE("mlclassify's options as settings") {
  MlclassifyOptions o;
  o.models = {"m/claim.model", "support=s.model", "dir/x.model.v2"};
  o.mins = {"claim=0.5", "support=-1", "claim=0.25"};
  o.keep = "all";
  o.format = "csv";
  o.output_format = "csv";
  o.extra_features = "ignore";
  o.probability = o.per_class = o.drop_features = o.reload = true;
  o.label_out = "label";
  o.spec = "features.spec";
  const ClassifySettings s = mlclassify_settings(o);
  REQUIRE(s.models.size() == 3);
  CHECK(s.models[0].name == "claim");  // named after its file
  CHECK(s.models[0].path == "m/claim.model");
  CHECK(s.models[0].min == 0.25);  // the last --min for a name holds
  CHECK(s.models[0].min_given == "claim=0.25");
  CHECK(s.models[1].name == "support");
  CHECK(s.models[1].min == -1);
  CHECK(s.models[2].name == "x.model.v2");
  CHECK_FALSE(s.models[2].min);
  CHECK(s.keep == Keep::all);
  CHECK(s.input == Input::csv);
  CHECK(s.csv_output);
  CHECK(s.ignore_extra_features);
  CHECK(s.probability);
  CHECK(s.per_class);
  CHECK(s.drop_features);
  CHECK(s.reload);
  CHECK(s.label_out == "label");
  CHECK(s.spec_file == "features.spec");

  o = one_model();
  o.keep = "any";
  o.format = "libsvm";
  o.accuracy = true;
  const ClassifySettings libsvm = mlclassify_settings(o);
  CHECK(libsvm.keep == Keep::any);
  CHECK(libsvm.input == Input::libsvm);
  CHECK(libsvm.accuracy);
}

TEST_CASE("options that do not go together, and arguments that do not read, are usage errors") {
  const std::vector<MlclassifyUsageCase> cases{
      {"probability and decision", [](auto& o) { o.probability = o.decision = true; },
       "--probability and --decision exclude each other"},
      {"a features field of libsvm rows",
       [](auto& o) {
         o.format = "libsvm";
         o.features_field = "vector";
       },
       "--features-field: libsvm rows have no fields (their features become \"features\")"},
      {"accuracy without libsvm rows", [](auto& o) { o.accuracy = true; },
       "--accuracy measures the models against the labels of libsvm rows: it needs --format libsvm"},
      {"label-out scores", [](auto& o) { o.label_out = "scores"; },
       "--label-out scores: mlclassify writes that field itself"},
      {"label-out passed", [](auto& o) { o.label_out = "passed"; },
       "--label-out passed: mlclassify writes that field itself"},
      {"label-out scores_detail", [](auto& o) { o.label_out = "scores_detail"; },
       "--label-out scores_detail: mlclassify writes that field itself"},
      {"a model without a name", [](auto& o) { o.models = {"=m.model"}; },
       "-m '=m.model': expected NAME=MODEL (or MODEL)"},
      {"a name without a model", [](auto& o) { o.models = {"claim="}; }, "-m 'claim=': expected NAME=MODEL (or MODEL)"},
      {"a directory", [](auto& o) { o.models = {"models/"}; }, "-m 'models/': expected NAME=MODEL (or MODEL)"},
      {"a name twice", [](auto& o) { o.models = {"claim=a.model", "m/claim.model"}; },
       "-m: the name 'claim' is given twice"},
      {"a min without a name", [](auto& o) { o.mins = {"0.5"}; }, "--min '0.5': expected NAME=THRESHOLD"},
      {"a min that is not a number", [](auto& o) { o.mins = {"claim=high"}; },
       "--min 'claim=high': the threshold 'high' is not a number"},
      {"an infinite min", [](auto& o) { o.mins = {"claim=inf"}; },
       "--min 'claim=inf': the threshold 'inf' is not a number"},
      {"a min for no model", [](auto& o) { o.mins = {"support=1"}; },
       "--min 'support=1': no model is named 'support' (-m NAME=MODEL)"},
      {"CSV output of NDJSON", [](auto& o) { o.output_format = "csv"; },
       "--output-format csv writes each CSV input row with its predictions: it needs --format csv"},
      {"a features field of CSV rows",
       [](auto& o) {
         o.format = "csv";
         o.features_field = "vector";
       },
       "--features-field: CSV rows have no feature field (the model's columns are the features)"},
  };
  for (const MlclassifyUsageCase& c : cases) {
    CAPTURE(c.why);
    MlclassifyOptions o = one_model();
    c.change(o);
    try {
      mlclassify_settings(o);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.is_usage());
      CHECK(std::string(e.what()) == c.message);
    }
  }
}
