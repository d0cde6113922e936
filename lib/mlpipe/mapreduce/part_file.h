// One rank's part file under `mlmr -o DIR`, written a partition at a time.
//
// DIR/part-RRRRR holds rank R's output; DIR/_work/journal-RRRRR lists the partitions
// committed in it, one "P END" line each: the file's length once partition P was complete
// and on disk. A rerun with --resume truncates the file to its last committed END (what a
// crash left past it is a partition in progress) and skips the partitions listed. MPI-free.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace mlpipe::mapreduce {

class PartFile {
 public:
  // Opens `path` for writing (created if missing). With `resume` it keeps what `journal`
  // says is committed and cuts the rest; without, it starts both files empty.
  PartFile(std::string path, std::string journal, bool resume);
  ~PartFile();
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  bool committed(std::size_t part) const { return committed_.count(part) != 0; }
  std::size_t committed_count() const { return committed_.size(); }
  void write(std::string_view bytes);
  // Partition `part` is complete: its bytes reach the disk, then the journal says so.
  void commit(std::size_t part);

 private:
  void flush();

  std::string path_, journal_;
  int fd_ = -1, journal_fd_ = -1;
  std::uint64_t size_ = 0;
  std::string buffer_;
  std::map<std::size_t, std::uint64_t> committed_;  // partition -> file length after it
};

// The committed partitions of a journal (a torn last line is ignored).
std::map<std::size_t, std::uint64_t> read_journal(const std::string& journal);
// The same from a journal's text.
std::map<std::size_t, std::uint64_t> parse_journal(std::string_view text);

}  // namespace mlpipe::mapreduce
