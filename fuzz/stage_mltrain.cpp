// mltrain's record handling (features or x, labels of every JSON type, --group); no training.
#include "harness.h"
#include "mlpipe/model/tool_mltrain.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mltrain_tool(), {"mltrain", "-t", "linear", "--cv", "3", "--group", "doc"});
  stage.run(fuzz::as_text(data, size), /*finish=*/false, /*json_output=*/true);
  return 0;
}
