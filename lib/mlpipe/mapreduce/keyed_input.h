// The records a rank passes to the keyed stage: what the stages before it wrote for each
// partition the rank owns, kept in files (a spool, or DIR/_work/pre-P under -o) between
// the phases, and read back in order with each record's tag. MPI-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/input.h"
#include "mlpipe/core/record.h"
#include "mlpipe/mapreduce/spool.h"

namespace mlpipe::mapreduce {

// Partition `part`'s records: bytes [begin, end) of the file at `path`.
struct KeyedInputRange {
  std::size_t part = 0;
  std::string path;
  std::uint64_t begin = 0, end = 0;
};

// Reads the ranges' records in order, tagging each (partition, index in the partition).
class KeyedInputScanner {
 public:
  explicit KeyedInputScanner(const std::vector<KeyedInputRange>& ranges);
  KeyedInputScanner(const KeyedInputScanner&) = delete;
  KeyedInputScanner& operator=(const KeyedInputScanner&) = delete;

  // The next record (valid until the next call), or nullptr at the end.
  const Record* next(Tag& tag);

 private:
  const std::vector<KeyedInputRange>& ranges_;
  const std::string name_ = "records before the keyed stage";
  InputLimits limits_;
  std::size_t range_ = 0, at_ = 0;
  std::uint64_t index_ = 0;
  std::optional<LineReader> in_;
  Batch batch_;
};

}  // namespace mlpipe::mapreduce
