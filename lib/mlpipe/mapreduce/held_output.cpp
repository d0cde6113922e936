#include "mlpipe/mapreduce/held_output.h"

#include <algorithm>

#include "mlpipe/core/error.h"

namespace mlpipe::mapreduce {

HeldOutput::HeldOutput(HeldOutput&& o) noexcept
    : budget_(o.budget_),
      spool_(o.spool_),
      begin_(o.begin_),
      spilled_(o.spilled_),
      read_(o.read_),
      memory_(std::move(o.memory_)),
      held_(o.held_) {
  o.memory_.clear();
  o.held_ = 0;
  o.spilled_ = 0;
}

HeldOutput::~HeldOutput() {
  if (budget_) budget_->remove(held_);
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
  for (const std::string& b : memory_) spool_->write(b);
  spilled_ += held_;
  budget_->remove(held_);
  memory_.clear();
  held_ = 0;
}

void HeldOutput::append(std::string_view bytes) {
  if (!budget_) throw Error("internal: output appended before start");
  budget_->add(bytes.size());
  held_ += bytes.size();
  while (!bytes.empty()) {
    if (memory_.empty() || memory_.back().size() == kBlock) {
      memory_.emplace_back();
      if (memory_.size() > 1) memory_.back().reserve(kBlock);  // the first grows: most groups write little
    }
    std::string& last = memory_.back();
    std::size_t n = std::min(bytes.size(), kBlock - last.size());
    last.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  if (held_ >= kMinSpill && budget_->over()) spill();
}

void HeldOutput::close() {
  if (budget_ && held_ > 0 && budget_->over()) spill();
}

bool HeldOutput::next_block(std::string& block, std::size_t max) {
  if (read_ < spilled_) {
    spool_->read(begin_ + read_, std::size_t(std::min<std::uint64_t>(max, spilled_ - read_)), block);
    read_ += block.size();
    return true;
  }
  if (memory_.empty()) return false;
  std::string& first = memory_.front();
  if (first.size() <= max) {
    block = std::move(first);
    memory_.pop_front();
  } else {
    block.assign(first, 0, max);
    first.erase(0, max);
  }
  held_ -= block.size();
  if (budget_) budget_->remove(block.size());
  return true;
}

void HeldOutput::drain(const std::function<void(std::string_view)>& sink) {
  std::string block;
  while (next_block(block)) sink(block);
}

}  // namespace mlpipe::mapreduce
