// Where mlmr's output goes (-o), and the files it keeps there while it runs. MPI-free.
//
//   (no -o)   standard output: rank 0 writes, the others' output reaches it in rank order;
//   -o DIR/   part files DIR/part-RRRRR, one per rank, whose concatenation in name order is
//             the output (a trailing '/' or an existing directory says DIR);
//   -o FILE   one file, written by every rank at its offset (MPI-IO) from its part file,
//             which is kept in FILE.mlmr/ until FILE is in place.
// Either way with -o, the parts directory holds _manifest, _work/ and, once done, _SUCCESS.
#pragma once

#include <cstdint>
#include <string>

#include "mlpipe/mapreduce/manifest.h"

namespace mlpipe::mapreduce {

struct OutputTarget {
  enum class Kind { standard_output, directory, file };
  Kind kind = Kind::standard_output;
  std::string path;  // the directory (without a trailing '/') or the file

  bool to_stdout() const { return kind == Kind::standard_output; }
  // The directory of part files, manifest and work files; empty for standard output.
  std::string parts_dir() const;
  std::string part_path(int rank) const;
  std::string journal_path(int rank) const;
  std::string work_dir() const { return parts_dir() + "/_work"; }
};

// Reads -o's argument ("" for none).
OutputTarget parse_output_target(const std::string& arg);

// What rank 0 needs to plan a run.
struct PlanRequest {
  std::string pipeline;
  std::vector<std::string> inputs;
  bool whole_files = false;           // text input: documents are never cut
  bool parts_per_rank = false;        // no keyed stage: part files are written per rank as partitions end
  int ranks = 1;
  std::uint64_t partition_bytes = 0;  // 0: auto_partition_bytes
  bool resume = false;
};

// Plans the run on rank 0: stats the inputs and cuts them into partitions, or, with
// --resume and a manifest of the same pipeline and inputs in the parts directory, takes the
// plan of the interrupted run (`complete` when it had finished). Prepares the parts
// directory: clears what an earlier run of mlmr left there (only the names mlmr writes), or
// the half-written temporaries of the run resumed, makes _work and writes the manifest.
// Throws Error naming the directory when it cannot.
Plan prepare_run(const OutputTarget& target, const PlanRequest& request);

// After every rank's part is in place: removes _work and the part files of an interrupted
// run on more ranks, and writes _SUCCESS.
void commit_parts(const OutputTarget& target, int ranks);

// -o FILE, after FILE is in place: removes the parts directory.
void remove_parts(const OutputTarget& target);

}  // namespace mlpipe::mapreduce
