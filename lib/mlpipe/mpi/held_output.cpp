#include "mlpipe/mpi/held_output.h"

#include <algorithm>

#include "mlpipe/core/error.h"

namespace mlpipe::mr {

HeldOutput::HeldOutput(HeldOutput&& o) noexcept
    : budget_(o.budget_),
      spool_(o.spool_),
      begin_(o.begin_),
      spilled_(o.spilled_),
      read_(o.read_),
      memory_(std::move(o.memory_)) {
  o.memory_.clear();
  o.spilled_ = 0;
}

HeldOutput::~HeldOutput() {
  if (budget_) budget_->remove(memory_.size());
}

void HeldOutput::start(HoldBudget& budget, Spool& spool) {
  budget_ = &budget;
  spool_ = &spool;
}

void HeldOutput::spill() {
  if (spilled_ == 0) begin_ = spool_->size();
  if (read_ != 0) throw Error("internal: output appended after it was read");
  // Another group's bytes in the same spool would break the range: a thread runs one group at a time.
  if (begin_ + spilled_ != spool_->size()) throw Error("internal: a spilled output is not contiguous");
  spool_->write(memory_);
  spilled_ += memory_.size();
  budget_->remove(memory_.size());
  memory_ = std::string();
}

void HeldOutput::append(std::string_view bytes) {
  if (!budget_) throw Error("internal: output appended before start");
  memory_ += bytes;
  budget_->add(bytes.size());
  if (memory_.size() >= kMinSpill && budget_->over()) spill();
}

void HeldOutput::close() {
  if (budget_ && !memory_.empty() && budget_->over()) spill();
}

bool HeldOutput::next_block(std::string& block, std::size_t max) {
  if (read_ < spilled_) {
    spool_->read(begin_ + read_, std::size_t(std::min<std::uint64_t>(max, spilled_ - read_)), block);
    read_ += block.size();
    return true;
  }
  if (memory_.empty()) return false;
  if (memory_.size() <= max) {
    block.swap(memory_);
    memory_ = std::string();
  } else {
    block.assign(memory_, 0, max);
    memory_.erase(0, max);
  }
  if (budget_) budget_->remove(block.size());
  return true;
}

void HeldOutput::drain(const std::function<void(std::string_view)>& sink) {
  std::string block;
  while (next_block(block)) sink(block);
}

}  // namespace mlpipe::mr
