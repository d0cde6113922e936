// mllink: pair records scored by a calibrated link model, every pair kept.
#include "harness.h"
#include "mlpipe/pairs/tool_mllink.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mllink_tool(),
                                  {"mllink", "-m", "{src}/tests/data/pairs/link-calibrated.model", "--all"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
