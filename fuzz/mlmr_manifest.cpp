// mlmr's resume manifest (DIR/_manifest): the input is what follows the header of a fixed
// run of two inputs. A manifest that is accepted describes pieces inside those inputs.
#include "harness.h"
#include "mlpipe/mapreduce/manifest.h"

using namespace mlpipe;
using namespace mlpipe::mapreduce;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<InputFile> files = {{"a.ndjson", 1000, 1700000000000000000}, {"b d.txt", 20, 0}};
  static const std::string header = manifest_header("mlsplit | mlfeat", files);
  Plan plan;
  plan.files = files;
  if (!read_manifest(header + std::string(fuzz::as_text(data, size)), header, plan)) return 0;
  fuzz::expect(!plan.parts.empty(), "an accepted manifest has partitions");
  for (const Partition& p : plan.parts) {
    std::uint64_t bytes = 0;
    for (const Piece& pc : p.pieces) {
      fuzz::expect(pc.file < files.size() && pc.begin <= pc.end && pc.end <= files[pc.file].size,
                   "every piece lies inside its input");
      bytes += pc.end - pc.begin;
    }
    fuzz::expect(bytes == p.bytes, "a partition's size is its pieces'");
  }
  std::string text = manifest_text("mlsplit | mlfeat", plan);
  Plan again;
  again.files = files;
  fuzz::expect(read_manifest(text, header, again) && again.parts.size() == plan.parts.size(),
               "a manifest written reads back");
  return 0;
}
