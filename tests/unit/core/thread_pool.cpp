#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <vector>

#include "mlpipe/core/thread_pool.h"

using namespace mlpipe;

TEST_CASE("every task runs exactly once, on a valid worker, job after job") {
  ThreadPool pool(3);
  CHECK(pool.size() == 3);
  for (int job = 0; job < 200; ++job) {
    std::vector<std::atomic<int>> runs(97);
    std::atomic<bool> bad_worker{false};
    pool.run(runs.size(), [&](std::size_t t, int w) {
      if (w < 0 || w >= 3) bad_worker = true;
      ++runs[t];
    });
    for (auto& r : runs) REQUIRE(r.load() == 1);
    CHECK_FALSE(bad_worker.load());
  }
}

TEST_CASE("an exception in a task reaches the caller, and the pool stays usable") {
  ThreadPool pool(2);
  CHECK_THROWS_WITH(pool.run(50, [](std::size_t t, int) {
    if (t == 7) throw std::runtime_error("task 7 failed");
  }),
                    "task 7 failed");
  std::atomic<int> n{0};
  pool.run(10, [&](std::size_t, int) { ++n; });
  CHECK(n == 10);
}

TEST_CASE("a pool of one runs tasks in order on the caller") {
  ThreadPool pool(1);
  std::vector<std::size_t> order;
  pool.run(5, [&](std::size_t t, int w) {
    CHECK(w == 0);
    order.push_back(t);
  });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
}
