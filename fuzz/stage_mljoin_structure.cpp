// mljoin --thesis --sentences: each key's thesis and its sentence records before its pairs.
#include "harness.h"
#include "mlpipe/pairs/tool_mljoin.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mljoin_tool(), {"mljoin", "--thesis", "--sentences", "--max-distance", "4"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
