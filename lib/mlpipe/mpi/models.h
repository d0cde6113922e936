// Model files, read once by rank 0 and broadcast (ParallelMARGOT's broadcast variable).
//
// Stages load their models themselves, from paths given in their options. So mlmr finds
// the words of each stage that name files (a word, or what follows '=' in it, naming an
// existing regular file and containing '/' or '.', e.g. `-m claim=models/claim.model`),
// rank 0 reads those files and their sidecars (files beside them whose names start with
// the file's name and a dot: claim.model.json), broadcasts the bytes, and one rank per node
// writes them into a node-local directory; ranks other than 0 then parse their stages with
// the words pointing at those copies. No rank but 0 opens the original files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/mpi/comm.h"

namespace mlpipe::mr {

struct FileWord {
  std::size_t stage = 0, word = 0;  // stages[stage][word]
  std::string prefix;               // the word's text before the path ("claim=", "--model=")
  std::string path;
};

// The words naming files, in order. MPI-free.
std::vector<FileWord> find_file_words(const std::vector<std::vector<std::string>>& stages);

class ModelBroadcast {
 public:
  // Collective. On return, ranks other than 0 have `stages` rewritten to the node-local
  // copies. Throws Error when rank 0 cannot read a file or a node cannot write its copies
  // (the same on every rank of the job for the first, on the node's ranks for the second).
  ModelBroadcast(const Comm& c, std::vector<std::vector<std::string>>& stages, const std::string& tmpdir);
  // Removes the node's copies (by the rank that wrote them): call once every rank of the
  // node has built its stages (the stages read their models when built).
  void remove_copies();
  ~ModelBroadcast();
  ModelBroadcast(const ModelBroadcast&) = delete;
  ModelBroadcast& operator=(const ModelBroadcast&) = delete;

  std::size_t files() const { return files_; }
  std::uint64_t bytes() const { return bytes_; }
  const std::string& directory() const { return dir_; }

 private:
  std::string dir_;  // the node-local copies; empty if none
  bool owner_ = false;
  std::size_t files_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace mlpipe::mr
