#include "mlpipe/core/thread_pool.h"

namespace mlpipe {

ThreadPool::ThreadPool(int threads) {
  for (int w = 1; w < threads; ++w) helpers_.emplace_back([this, w] { helper_loop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : helpers_) t.join();
}

void ThreadPool::work(int worker) {
  while (true) {
    std::size_t task;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_ >= tasks_ || error_) return;
      task = next_++;
    }
    try {
      (*body_)(task, worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::helper_loop(int worker) {
  std::size_t seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    work(worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_;
    }
    done_.notify_one();
  }
}

void ThreadPool::run(std::size_t tasks, const std::function<void(std::size_t, int)>& body) {
  if (helpers_.empty() || tasks <= 1) {
    for (std::size_t t = 0; t < tasks; ++t) body(t, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    body_ = &body;
    tasks_ = tasks;
    next_ = 0;
    error_ = nullptr;
    busy_ = int(helpers_.size());
    ++generation_;
  }
  wake_.notify_all();
  work(0);
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0; });
    body_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace mlpipe
