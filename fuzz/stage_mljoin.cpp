// mljoin in batch: scored records paired by key, with a distance limit (state emitted at the end).
#include "harness.h"
#include "mlpipe/pairs/tool_mljoin.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mljoin_tool(),
                                  {"mljoin", "--left-min", "-1", "--right-min", "-1", "--max-distance", "4"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
