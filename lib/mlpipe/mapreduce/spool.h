// Node-local scratch files for what a rank holds between phases (shuffled records, output
// waiting for its turn). A spool is an unlinked temporary file: it takes page cache, not
// heap, and disappears with the process however that ends. MPI-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::mapreduce {

class Spool {
 public:
  explicit Spool(const std::string& dir);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  void write(std::string_view bytes);
  std::uint64_t size() const { return size_; }
  // A path that opens this (unlinked) file again: /proc/self/fd/N.
  std::string path() const;
  // Maps the whole spool read-only after writing, followed by at least kJsonPadding readable
  // bytes (spaces), so that records in it can be parsed in place. Valid until destruction.
  std::string_view map();
  // Reads [at, at + n) into `out`.
  void read(std::uint64_t at, std::size_t n, std::string& out) const;
  // Empties the spool for reuse (not after map()).
  void clear();

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  void* map_ = nullptr;
  std::size_t map_len_ = 0;
};

// The position of a record in the stream entering the keyed stage: partition number, then
// index within that partition's records. Tags order every record the same way whatever
// the number of ranks.
struct Tag {
  std::uint64_t part = 0, index = 0;
  friend auto operator<=>(const Tag&, const Tag&) = default;
};

// Entries of a shuffle buffer: [tag][u32 key length][key][u64 data length][data].
void put_entry(std::string& buf, const Tag& tag, std::string_view key, std::string_view data);
struct EntryView {
  Tag tag;
  std::string_view key, data;
};
// Reads the entry at `pos` of `buf` and advances `pos`; false at the end.
bool get_entry(std::string_view buf, std::size_t& pos, EntryView& e);

// FNV-1a, the same on every rank and every run.
std::uint64_t stable_hash(std::string_view bytes);

}  // namespace mlpipe::mapreduce
