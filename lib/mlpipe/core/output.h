// Where a program's records go: stdout, or a file that appears atomically.
//
// A file given with -o is written to a temporary name beside it and renamed over
// the target by commit(); a run that fails or is killed leaves the old file (or
// none), never half of one. Writing to a pipe whose reader has gone throws BrokenPipe.
#pragma once

#include <string>
#include <string_view>

namespace mlpipe {

class Output {
 public:
  // "" or "-" is stdout.
  explicit Output(const std::string& path);
  ~Output();  // removes the temporary file unless committed
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view bytes);
  // Makes the output complete: flushes, fsyncs and renames a file into place.
  void commit();

  bool is_stdout() const { return path_.empty(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;     // empty for stdout
  std::string tmp_path_;  // empty when writing in place (below)
  int fd_ = -1;
  bool committed_ = false;
};

// Writes all of `bytes` to `fd`, retrying short writes; throws BrokenPipe on EPIPE
// and Error (naming `name`) on other failures.
void write_all(int fd, std::string_view bytes, const std::string& name);

// Writes `contents` to `path` atomically (temporary file, fsync, rename).
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace mlpipe
