// The plan of an mlmr run (inputs and partitions), kept in DIR/_manifest under -o DIR so
// that --resume redoes exactly the same partitions. MPI-free:
//
//   mlmr-manifest 1
//   pipeline "PIPELINE"          (JSON string)
//   input SIZE MTIME_NS "PATH"   (one line per input file)
//   ranks N
//   partition FILE BEGIN END …   (one line per partition: its pieces)
#pragma once

#include <string>
#include <vector>

#include "mlpipe/mapreduce/partition.h"

namespace mlpipe::mapreduce {

struct Plan {
  std::vector<InputFile> files;
  std::vector<Partition> parts;
  std::vector<int> owner;
  int ranks = 0;          // the ranks writing the part files
  bool complete = false;  // --resume found a finished run
};

// The lines naming the run: the pipeline and its inputs (with their sizes and times).
std::string manifest_header(const std::string& pipeline, const std::vector<InputFile>& files);
// The whole manifest of `plan`.
std::string manifest_text(const std::string& pipeline, const Plan& plan);
// Reads the ranks and partitions of a manifest into `plan`, whose files are the run's
// inputs; `header` is manifest_header() of them. False when the manifest is another run's
// (another header) or is not one this run can trust: a line it does not know, no
// partition, or a piece outside the input it names.
bool read_manifest(const std::string& text, const std::string& header, Plan& plan);

// The plan as rank 0 sends it to the other ranks: its manifest, and whether the run is
// already complete. decode_plan reads it back with the job's own input paths (in the same
// order) and assigns partitions to `ranks`; Error when the text is not such a plan.
std::string encode_plan(const std::string& pipeline, const Plan& plan);
Plan decode_plan(const std::string& text, const std::string& pipeline, const std::vector<std::string>& inputs,
                 int ranks);

}  // namespace mlpipe::mapreduce
