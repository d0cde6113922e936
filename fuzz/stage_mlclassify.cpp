// mlclassify: records scored by a multi-class model with class names, a calibrated binary
// model and gradient-boosted trees.
#include "harness.h"
#include "mlpipe/model/tool_mlclassify.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(
      mlclassify_tool(),
      {"mlclassify", "-m", "iris={src}/tests/data/model/iris-named.model", "-m",
       "c={src}/tests/data/model/cancer-calibrated.model", "-m", "t={src}/fuzz/data/cancer-trees.model", "--per-class",
       "--label-out", "label", "--keep", "any"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
