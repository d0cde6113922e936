// A fixed set of threads that run the parts of one job at a time.
//
// Why not an OpenMP parallel loop: between batches, OpenMP's idle threads spin,
// and in a shell pipeline the other stages need those cycles (measured: mllink
// --threads 2 ran 4x slower than one thread next to busy neighbours). Here idle
// threads sleep on a condition variable.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mlpipe {

class ThreadPool {
 public:
  // `threads` workers in all: the calling thread is one of them.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(helpers_.size()) + 1; }

  // Runs body(task, worker) for every task in [0, tasks), handing tasks out one at a
  // time to whichever worker is free; worker is in [0, size()). Returns when all are
  // done; rethrows the first exception a task threw.
  void run(std::size_t tasks, const std::function<void(std::size_t task, int worker)>& body);

 private:
  void helper_loop(int worker);
  void work(int worker);

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::size_t, int)>* body_ = nullptr;
  std::size_t tasks_ = 0;
  std::size_t next_ = 0;        // next task to hand out
  std::size_t generation_ = 0;  // bumped for every job, so helpers see new work
  int busy_ = 0;                // helpers still on the current job
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace mlpipe
