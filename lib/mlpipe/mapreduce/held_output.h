// The output of a key group (or slice) waiting for its turn to be written, held in memory
// while the rank's budget allows and otherwise spilled to a node-local spool, so that the
// memory a rank needs does not grow with the output one key makes. MPI-free.
//
// A group runs on one thread from start to end, and each thread spills into its own spool:
// the spilled bytes of a group are one contiguous range of that spool, followed by what is
// still in memory.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "mlpipe/mapreduce/spool.h"

namespace mlpipe::mapreduce {

// mlmr --max-memory's default: the output one rank holds in memory before it spills.
inline constexpr std::uint64_t kDefaultMaxMemory = std::uint64_t(256) << 20;

// Bytes held in memory by every HeldOutput sharing it, against --max-memory.
class HoldBudget {
 public:
  explicit HoldBudget(std::uint64_t max_memory) : max_memory_(max_memory) {}
  bool over() const { return held_.load(std::memory_order_relaxed) > max_memory_; }
  void add(std::uint64_t n) { held_.fetch_add(n, std::memory_order_relaxed); }
  void remove(std::uint64_t n) { held_.fetch_sub(n, std::memory_order_relaxed); }
  std::uint64_t held() const { return held_.load(std::memory_order_relaxed); }
  std::uint64_t max_memory() const { return max_memory_; }

 private:
  std::atomic<std::uint64_t> held_{0};
  std::uint64_t max_memory_;
};

class HeldOutput {
 public:
  // Below this, what is held stays in memory even over budget: a spill costs a system call.
  static constexpr std::size_t kMinSpill = std::size_t(64) << 10;
  // Held bytes live in blocks of this size, allocated once each: one growing string would
  // need twice its size while it grows.
  static constexpr std::size_t kBlock = std::size_t(1) << 20;

  HeldOutput() = default;
  HeldOutput(const HeldOutput&) = delete;
  HeldOutput& operator=(const HeldOutput&) = delete;
  HeldOutput(HeldOutput&& o) noexcept;
  HeldOutput& operator=(HeldOutput&&) = delete;
  ~HeldOutput();

  // Binds the output to the budget and the spool of the thread that fills it.
  void start(HoldBudget& budget, Spool& spool);
  void append(std::string_view bytes);
  // The group is done: what is in memory goes to the spool if the budget is exceeded.
  void close();

  std::uint64_t size() const { return spilled_ + held_; }
  std::uint64_t spilled() const { return spilled_; }
  // Moves the next block of at most `max` bytes, in order, into `block`; false when none
  // is left. What was read is freed.
  bool next_block(std::string& block, std::size_t max = std::size_t(4) << 20);
  // Passes every byte, in order, in blocks, to `sink`.
  void drain(const std::function<void(std::string_view)>& sink);

 private:
  void spill();

  HoldBudget* budget_ = nullptr;
  Spool* spool_ = nullptr;
  std::uint64_t begin_ = 0, spilled_ = 0;  // spool_[begin_, begin_ + spilled_)
  std::uint64_t read_ = 0;                 // bytes of the spilled range already read
  std::deque<std::string> memory_;         // what follows, in blocks of at most kBlock
  std::uint64_t held_ = 0;                 // bytes in memory_
};

}  // namespace mlpipe::mapreduce
