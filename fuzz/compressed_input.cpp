// Compressed input: the bytes as a file, read by content (gzip, zstd or plain). Beyond not
// crashing: the frame starts found are increasing and inside the file, and reading the
// file's lines range by range between them gives exactly the lines of the whole file.
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/frame_scan.h"
#include "mlpipe/core/input.h"

using namespace mlpipe;

namespace {

// The lines of a range (whole lines only; numbers from the range's start), or false on an
// Error. Stops after about `budget` bytes of text: a small input may decompress to a lot.
bool lines_of(const std::string& path, ByteRange range, std::vector<std::string>& out, std::size_t& budget) {
  static const std::string display = "fuzz";
  InputLimits limits;
  limits.batch_bytes = 64;
  limits.max_record_bytes = 256;
  try {
    LineReader reader(path, &display, range, limits);
    Batch batch;
    while (reader.next(batch)) {
      for (const Record& r : batch.records) {
        out.push_back(r.too_long ? "<long>" : std::string(r.data));
        if (budget < r.data.size() + 1) return false;
        budget -= r.data.size() + 1;
      }
    }
  } catch (const Error&) {
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("fuzz", 0);
  if (fd < 0) return 0;
  if (size > 0 && ::write(fd, data, size) != ssize_t(size)) {
    ::close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const Compression format = compression_of_file(fd);
  const std::vector<std::uint64_t> starts = frame_starts(fd, size, format);
  for (std::size_t i = 0; i < starts.size(); ++i)
    if (starts[i] == 0 || starts[i] >= size || (i > 0 && starts[i] <= starts[i - 1]))
      fuzz::violated("frame starts not increasing inside the file");

  std::size_t budget = std::size_t(1) << 20;
  std::vector<std::string> whole;
  if (lines_of(path, ByteRange{}, whole, budget)) {
    // Cut at every frame start: the ranges hold the same lines, in order.
    std::vector<std::uint64_t> bounds{0};
    bounds.insert(bounds.end(), starts.begin(), starts.end());
    bounds.push_back(size);
    std::vector<std::string> pieces;
    bool ok = true;
    budget = std::size_t(4) << 20;
    for (std::size_t i = 0; ok && i + 1 < bounds.size(); ++i)
      ok = lines_of(path, ByteRange{bounds[i], bounds[i + 1]}, pieces, budget);
    if (ok && pieces != whole) fuzz::violated("lines read by frame ranges differ from the whole file's");
  }
  ::close(fd);
  return 0;
}
