// mltrain --info: the model and its sidecar described for a person, and --json's sidecar.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/model/describe.h"

using namespace mlpipe;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kClaim = std::string(MLPIPE_SAMPLES) + "/models/claim.model";

}  // namespace

TEST_CASE("describe: every value starts in one column, continuations under it, no JSON dumped") {
  const std::string text = describe_model(kClaim, local_files());
  for (const std::string& l : lines_of(text)) {
    INFO(l);
    REQUIRE(l.size() > 20);
    // "key:" padded to 20 columns, or 20 spaces for a further line of the entry above.
    const std::string head = l.substr(0, 20);
    CHECK((head.find(": ") != std::string::npos || head == std::string(20, ' ')));
    CHECK(l[20] != ' ');
    CHECK(l.find("{\"") == std::string::npos);
  }
}

TEST_CASE("describe: what the sidecar keeps, in words") {
  const std::string text = describe_model(kClaim, local_files());
  CHECK(text.find("task:               classification, 2 classes\n") != std::string::npos);
  CHECK(text.find("parameters:         cost 0.00390625, probability no, compact yes") != std::string::npos);
  CHECK(text.find("training:           76479 rows (1: 23732, 0: 52747)") != std::string::npos);
  CHECK(text.find("calibration:        platt: P(1)") != std::string::npos);
  CHECK(text.find("threshold:          decision value > -0.303513 (probability > 0.3469), best-f1 over 5 grouped "
                  "folds") != std::string::npos);
  CHECK(text.find("cross-validation:   5 folds by group, ranked by f1: 0.6654\n") != std::string::npos);
  CHECK(text.find("                    class  precision  recall  f1      support\n"
                  "                    1      0.7756     0.5825  0.6654  23732\n") != std::string::npos);
  CHECK(text.find("feature spec:       words from a fitted vocabulary of 20000 terms (vocab.tsv)") != std::string::npos);
}

TEST_CASE("describe: a model trained with scaling, and one without a sidecar") {
  const std::string iris = std::string(MLPIPE_TEST_DATA) + "/model/iris-named.model";
  const std::string text = describe_model(iris, local_files());
  CHECK(text.find("cross-validation:   none kept") != std::string::npos);
  CHECK(text.find("calibration:        none\n") != std::string::npos);
  const std::string bare = describe_model(std::string(MLPIPE_TEST_DATA) + "/model/iris-rbf.model", local_files());
  CHECK(bare.find("sidecar:            none\n") != std::string::npos);
  CHECK(bare.find("parameters:") == std::string::npos);
}

TEST_CASE("describe --json: the sidecar as stored; none is an error") {
  CHECK(describe_sidecar_json(kClaim, local_files()) == file_text(kClaim + ".json"));
  CHECK_THROWS_WITH_AS(describe_sidecar_json(std::string(MLPIPE_TEST_DATA) + "/model/iris-rbf.model", local_files()),
                       doctest::Contains("no sidecar"), Error);
}
