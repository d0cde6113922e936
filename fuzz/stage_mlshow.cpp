// mlshow: sentence and link records in any order, held until the end and written as a page.
// Beyond not crashing: the page is written whole (finish) for any input it accepted.
#include "harness.h"
#include "mlpipe/show/tool_mlshow.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness html(mlshow_tool(), {"mlshow"});
  static fuzz::StageHarness text(mlshow_tool(), {"mlshow", "--format", "text", "--claims", "0"});
  static fuzz::StageHarness aif(mlshow_tool(), {"mlshow", "--format", "aif"});
  const std::string_view input = fuzz::as_text(data, size);
  html.run(input, /*finish=*/true, /*json_output=*/false);
  text.run(input, /*finish=*/true, /*json_output=*/false);
  aif.run(input, /*finish=*/true, /*json_output=*/false);
  return 0;
}
