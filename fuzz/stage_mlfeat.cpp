// mlfeat: word and character n-grams, stop words, and every cheap feature group, on records.
#include "harness.h"
#include "mlpipe/features/tool_mlfeat.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::StageHarness stage(
      mlfeat_tool(),
      {"mlfeat",       "--ngrams", "2",       "--char-ngrams", "2-4",     "--hash-bits",   "12",
       "--stop-words", "english",  "--group", "claim-cues",    "--group", "evidence-cues", "--group",
       "shape",        "--group",  "opinion", "--group",       "topic",   "--group",       "syntax:pos=2"});
  stage.run(fuzz::as_text(data, size), /*finish=*/true, /*json_output=*/true);
  return 0;
}
