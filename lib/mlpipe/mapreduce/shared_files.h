// The files of mlmr's stages, read once on rank 0 and served to the other ranks
// (ParallelMARGOT's broadcast variable), without guessing which words of a stage name files.
//
// Rank 0 builds its stages with a RecordingFileSource: the stages read the local file
// system, and the source remembers every answer (a path's bytes, that nothing is at a path,
// or why a read failed). The recording is packed and broadcast; every other rank builds its
// stages with a ServingFileSource over it, which gives the same answers to the same questions
// and refuses any other. So a stage is built alike on every rank whatever it reads (a model
// named without '/' or '.', a sidecar, the vocabulary a spec names), the files need not be
// readable anywhere but on rank 0, and nothing is copied to disk. MPI-free: the driver moves
// the packed bytes.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "mlpipe/core/file_source.h"

namespace mlpipe::mapreduce {

// The answers rank 0's stages got from the file system.
struct FileAnswers {
  struct Read {
    bool ok = false;
    std::string bytes;  // ok: the file's content; otherwise why it could not be read
  };
  std::map<std::string, Read, std::less<>> reads;
  std::map<std::string, bool, std::less<>> exists;

  // Files read and their bytes in all, for --stats.
  std::size_t files() const;
  std::uint64_t bytes() const;

  std::string pack() const;
  // Throws Error on bytes that pack() did not make.
  static FileAnswers unpack(std::string_view packed);
};

// Reads through `inner` (the local file system) and remembers each answer. A path asked
// again gets the remembered answer, so that the stages of rank 0 see what the other ranks
// will see even if a file changes meanwhile.
class RecordingFileSource : public FileSource {
 public:
  explicit RecordingFileSource(const FileSource& inner) : inner_(inner) {}
  std::string read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  // What was asked so far (read it once the stages are built: no lock held).
  const FileAnswers& answers() const { return answers_; }

 private:
  const FileSource& inner_;
  mutable std::mutex mutex_;
  mutable FileAnswers answers_;  // a record of what was read, not a cache that changes answers
};

// Answers from a recording: the same bytes, the same absences, the same errors. A path the
// recording does not know is refused (the stage asked rank 0 something else: a stage whose
// reads depend on the rank would be built differently on each).
class ServingFileSource : public FileSource {
 public:
  explicit ServingFileSource(FileAnswers answers) : answers_(std::move(answers)) {}
  std::string read(const std::string& path) const override;
  bool exists(const std::string& path) const override;

 private:
  FileAnswers answers_;
};

}  // namespace mlpipe::mapreduce
