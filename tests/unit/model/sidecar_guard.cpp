// What ties a sidecar to its model file and to the vectors the model may score: the file's
// size and checksum, the training dimension, and refreshing an older sidecar.
#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/model/class_labels.h"
#include "mlpipe/model/file_digest.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/svm_file.h"

using namespace mlpipe;

namespace {

const std::string kModel =
    "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho 0.5\nlabel 1 -1\nnr_sv 1 0\nSV\n"
    "1 1:0.25 2:-0.5 30:1 \n";
const std::string kOldSidecar = R"({"learner":"svm","classes":{"1":"yes","-1":"no"},"training":{"rows":4,"features":30}})";

std::string sidecar_error_of(const std::string& model, const std::string& side) {
  try {
    load_model_from_text(model, side, "m.model");
  } catch (const Error& e) {
    return e.file() + ":" + std::to_string(e.line()) + ": " + e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the checksum is fixed: sidecars on disk hold its values") {
  CHECK(file_digest("").bytes == 0);
  CHECK(file_digest("").checksum == "43c301c273923ec6");
  CHECK(file_digest(kModel).checksum == "54a879760244d8bd");
  CHECK(file_digest(kModel).bytes == kModel.size());
  // Every byte counts, wherever it is (the 32-byte stripes, the 8-byte blocks, the tail).
  for (std::size_t at : {std::size_t(0), std::size_t(40), kModel.size() - 3}) {
    std::string changed = kModel;
    changed[at] ^= 1;
    CHECK(file_digest(changed).checksum != file_digest(kModel).checksum);
  }
}

TEST_CASE("a refreshed sidecar keeps every member and adds the dimension and the model file") {
  const std::string side = refresh_sidecar(kOldSidecar, kModel, "m.model.json");
  const FileDigest digest = file_digest(kModel);
  CHECK(side == R"({"learner":"svm","classes":{"1":"yes","-1":"no"},"training":{"rows":4,"features":30},)"
                R"("dimension":30,"model_file":{"bytes":)" +
                    std::to_string(kModel.size()) + R"(,"checksum":")" + digest.checksum + "\"}}\n");
  CHECK(refresh_sidecar(side, kModel, "m.model.json") == side);
  Model m = load_model_from_text(kModel, side, "m.model");
  CHECK(m.dimension() == 30);
  REQUIRE(m.info().model_file);
  CHECK(*m.info().model_file == digest);
}

TEST_CASE("a model file that is not the sidecar's is refused before it is parsed") {
  const std::string side = refresh_sidecar(kOldSidecar, kModel, "m.model.json");
  CHECK(sidecar_error_of(kModel, side) == "no error");
  // Cut inside the weight line: still a model the parser would read, with a weight less.
  const std::string cut = kModel.substr(0, kModel.size() - 7) + "\n";
  CHECK(sidecar_error_of(cut, side) == "m.model:0: the file has " + std::to_string(cut.size()) + " bytes but its sidecar says " +
                                   std::to_string(kModel.size()) + ": truncated or replaced?");
  std::string edited = kModel;
  edited[edited.find("0.25")] = '9';
  CHECK(sidecar_error_of(edited, side).starts_with("m.model:0: the file's checksum is "));
  CHECK(sidecar_error_of(edited, side).ends_with("changed or replaced since training (or the sidecar is another model's)?"));
  // Without the sidecar's model_file (an older sidecar) only the parser checks.
  CHECK(sidecar_error_of(edited, kOldSidecar) == "no error");
}

TEST_CASE("a sidecar's model_file and dimension are validated") {
  CHECK(sidecar_error_of(kModel, R"({"model_file":{"bytes":3}})") ==
        "m.model.json:0: 'model_file': expected the string \"checksum\"");
  CHECK(sidecar_error_of(kModel, R"({"model_file":{"bytes":3,"checksum":"xyz\u0000"}})") ==
        "m.model.json:0: 'model_file.checksum': expected 16 hex digits, found \"xyz\\x00\"");
  CHECK(sidecar_error_of(kModel, R"({"model_file":[]})") == "m.model.json:0: 'model_file': expected an object, found an array");
  CHECK(sidecar_error_of(kModel, R"({"dimension":-1})") ==
        "m.model.json:0: 'dimension': expected a whole number from 0 to 4294967295, found -1");
  // "dimension" wins over the older "training.features".
  CHECK(load_model_from_text(kModel, R"({"dimension":40,"training":{"features":30}})", "m.model").dimension() == 40);
  CHECK(load_model_from_text(kModel, "", "m.model").dimension() == 0);
}

TEST_CASE("a libsvm model whose last line has no newline was cut short") {
  try {
    parse_svm_file(kModel.substr(0, kModel.size() - 1), "m.model");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.line() == 9);
    CHECK(std::string(e.what()) ==
          "the file ends in the middle of a line (no newline after the last support vector): truncated?");
  }
}

TEST_CASE("a class label that is not an integer is refused with its row") {
  ClassLabels labels;
  CHECK(labels.number(1) == 0);
  CHECK_THROWS_WITH(labels.number(1.5), doctest::Contains("class label 1.5 is not an integer"));
  CHECK(labels.number(-1) == 1);  // the refused label left nothing behind
  CHECK_THROWS_WITH(labels.string(std::string("a\0b", 3)), doctest::Contains("label 'a\\x00b' is a string"));
}
