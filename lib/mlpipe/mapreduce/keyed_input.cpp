#include "mlpipe/mapreduce/keyed_input.h"

#include <limits>

namespace mlpipe::mapreduce {

KeyedInputScanner::KeyedInputScanner(const std::vector<KeyedInputRange>& ranges) : ranges_(ranges) {
  // The stages before wrote these lines: the limit was applied to their input.
  limits_.max_record_bytes = std::numeric_limits<std::size_t>::max() / 2;
}

const Record* KeyedInputScanner::next(Tag& tag) {
  while (at_ == batch_.records.size()) {
    at_ = 0;
    batch_.clear();
    if (!in_) {
      if (range_ == ranges_.size()) return nullptr;
      const KeyedInputRange& r = ranges_[range_];
      in_.emplace(r.path, &name_, ByteRange{r.begin, r.end}, limits_);
      index_ = 0;
    }
    if (!in_->next(batch_)) {
      in_.reset();
      ++range_;
    }
  }
  tag = Tag{ranges_[range_].part, index_++};
  return &batch_.records[at_++];
}

}  // namespace mlpipe::mapreduce
