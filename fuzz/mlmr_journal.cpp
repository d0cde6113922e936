// mlmr's part-file journal (DIR/_work/journal-R): "PARTITION END" lines, a torn last line
// ignored.
#include "harness.h"
#include "mlpipe/mapreduce/part_file.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto parts = mapreduce::parse_journal(text);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  fuzz::expect(parts.size() <= lines, "at most one partition per complete line");
  return 0;
}
