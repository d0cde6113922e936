// Where a stage's own files come from: the models, sidecars, specs, vocabularies and word
// lists it reads while it is built. A stage is handed a FileSource by whoever builds it and
// reads every such file through it, never from the file system directly. A program reads
// the local file system; mlmr reads the files once on rank 0 and serves the same bytes to the
// other ranks (mapreduce/shared_files.h), so every rank builds the same stage from the same files
// whether or not it could open them itself.
//
// Records are not read through it (inputs belong to the runner), nor files a stage writes.
#pragma once

#include <string>

namespace mlpipe {

class FileSource {
 public:
  virtual ~FileSource() = default;
  // The whole content of the file at `path` (as the stage names it). Throws Error(path, 0,
  // "cannot open: …") when there is none to read.
  virtual std::string read(const std::string& path) const = 0;
  // Whether something is at `path`: for files a stage reads only when present (a model's
  // sidecar). A present file that cannot be read is left to read() to report.
  virtual bool exists(const std::string& path) const = 0;
};

// The local file system. Stateless, shared by every stage built from it.
const FileSource& local_files();

}  // namespace mlpipe
