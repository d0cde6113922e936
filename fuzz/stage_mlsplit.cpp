// mlsplit --ndjson: NDJSON documents split into sentence records (with an abbreviation file).
#include "harness.h"
#include "mlpipe/text/tool_mlsplit.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(mlsplit_tool(),
                                  {"mlsplit", "--ndjson", "--abbrev", "{src}/tests/data/mlsplit/abbrev.txt"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
