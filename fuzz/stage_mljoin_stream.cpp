// mljoin --stream: per-key state with a window and an idle limit, pairs written as they form.
#include "harness.h"
#include "mlpipe/pairs/tool_mljoin.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mljoin_tool(), {"mljoin", "--stream", "--key", "meta.topic", "--window", "6",
                                                  "--idle", "3", "--max-keys", "4", "--slim", "--keep", "id"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
