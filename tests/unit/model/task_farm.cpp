// The task farm that spreads cross-validation over ranks: which rank runs each job, the
// results in job order on every rank, the same error everywhere, and cross-validation on
// several ranks equal, bit for bit, to one. Ranks are simulated by threads sharing memory
// (ThreadPeers), so no MPI is needed here; tests/mpi/mltrain.sh runs the real thing.
#include <doctest/doctest.h>

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/folds.h"
#include "mlpipe/model/task_farm.h"
#include "mlpipe/model/train.h"
#include "mlpipe/model/train_ranks.h"

using namespace mlpipe;

namespace {

// N ranks as N threads: the collectives meet at a barrier around shared slots.
struct Meeting {
  explicit Meeting(int n) : size(n), slots(std::size_t(n)), sync(n) {}
  int size;
  std::vector<std::string> slots;
  std::barrier<> sync;
};

class ThreadPeers : public Peers {
 public:
  ThreadPeers(Meeting& m, int rank) : m_(m), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return m_.size; }
  void broadcast(std::string& bytes) override {
    if (rank_ == 0) m_.slots[0] = bytes;
    m_.sync.arrive_and_wait();
    bytes = m_.slots[0];
    m_.sync.arrive_and_wait();
  }
  std::vector<std::string> allgather(const std::string& mine) override {
    m_.slots[std::size_t(rank_)] = mine;
    m_.sync.arrive_and_wait();
    std::vector<std::string> all = m_.slots;
    m_.sync.arrive_and_wait();
    return all;
  }

 private:
  Meeting& m_;
  int rank_;
};

// Runs `body(peers)` on `n` simulated ranks at once; returns when all are done.
void on_ranks(int n, const std::function<void(Peers&)>& body) {
  Meeting m(n);
  std::vector<std::thread> ranks;
  for (int r = 0; r < n; ++r)
    ranks.emplace_back([&m, &body, r] {
      ThreadPeers p(m, r);
      body(p);
    });
  for (auto& t : ranks) t.join();
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::vector<std::size_t> groups_of(std::size_t groups, std::size_t k) {
  std::vector<std::size_t> g;
  for (std::size_t s = 0; s < groups; ++s)
    for (std::size_t f = 0; f < k; ++f) g.push_back(s);
  return g;
}

}  // namespace

TEST_CASE("assign_jobs: one rank runs everything; each group is dealt round robin") {
  const auto g = groups_of(4, 5);
  for (int owner : assign_jobs(g, 1)) CHECK(owner == 0);
  const std::vector<int> two = assign_jobs(g, 2);
  // Thue–Morse starts 0 1 1 0: who takes the first (and the extra) fold of each group.
  const std::vector<int> want{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  CHECK(two == want);
  // Carrying on from earlier groups continues the sequence: group 4 of 0 1 1 0 1 … starts at 1.
  CHECK(assign_jobs(groups_of(1, 3), 2, 4) == std::vector<int>{1, 0, 1});
}

TEST_CASE("assign_jobs: every rank gets its share, with more ranks than jobs too") {
  for (int ranks : {2, 3, 4, 7}) {
    for (std::size_t k : {2u, 3u, 5u, 10u}) {
      const auto g = groups_of(std::size_t(ranks) * 3, k);
      const std::vector<int> owner = assign_jobs(g, ranks);
      std::vector<std::size_t> count(static_cast<std::size_t>(ranks), 0);
      for (int o : owner) {
        REQUIRE(o >= 0);
        REQUIRE(o < ranks);
        ++count[std::size_t(o)];
      }
      // ranks × 3 groups: whole blocks of the rotation, so the counts are exactly equal.
      for (std::size_t c : count) CHECK(c == g.size() / std::size_t(ranks));
      // Within a group no rank has two jobs more than another.
      for (std::size_t s = 0; s < std::size_t(ranks) * 3; ++s) {
        std::vector<std::size_t> in_group(static_cast<std::size_t>(ranks), 0);
        for (std::size_t f = 0; f < k; ++f) ++in_group[std::size_t(owner[s * k + f])];
        auto [lo, hi] = std::minmax_element(in_group.begin(), in_group.end());
        CHECK(*hi - *lo <= 1);
      }
    }
  }
}

TEST_CASE("assign_jobs: a cost rising along the groups is split evenly between two ranks") {
  // 16 groups of 5 folds, group g's folds cost g + 1 (a grid whose points get slower).
  // Plain alternation gives every costlier odd group's extra fold to rank 1.
  const auto g = groups_of(16, 5);
  const std::vector<int> owner = assign_jobs(g, 2);
  double load[2] = {0, 0};
  for (std::size_t j = 0; j < g.size(); ++j) load[owner[j]] += double(g[j] + 1);
  CHECK(load[0] == load[1]);
}

TEST_CASE("farm: results in job order, each job run once, the same on every rank") {
  const std::size_t n = 23;
  std::vector<TaskFarm::Job> jobs;
  for (std::size_t j = 0; j < n; ++j) jobs.push_back({j / 4, j % 3 == 0});  // some serial
  auto result = [](std::size_t j) {
    return TaskFarm::Result{double(j), std::sqrt(double(j)), -0.0, std::numeric_limits<double>::quiet_NaN()};
  };
  TaskFarm alone(2);
  const std::vector<TaskFarm::Result> want = alone.run(jobs, result, {});
  for (int ranks : {1, 2, 3, 30}) {
    std::vector<std::atomic<int>> runs(n);
    std::vector<std::vector<TaskFarm::Result>> got(static_cast<std::size_t>(ranks));
    std::vector<std::size_t> last_done(static_cast<std::size_t>(ranks), 0), bad_total(static_cast<std::size_t>(ranks), 0);
    on_ranks(ranks, [&](Peers& p) {
      TaskFarm farm(2, &p);
      const std::size_t me = std::size_t(p.rank());
      got[me] = farm.run(
          jobs,
          [&](std::size_t j) {
            ++runs[j];
            return result(j);
          },
          [&](std::size_t done, std::size_t total, std::size_t) {
            bad_total[me] += total != n;
            last_done[me] = done;
          });
    });
    // Assertions stay on the test's thread: the ranks only record.
    for (int r = 0; r < ranks; ++r) {
      CHECK(last_done[std::size_t(r)] == n);
      CHECK(bad_total[std::size_t(r)] == 0);
    }
    for (std::size_t j = 0; j < n; ++j) CHECK(runs[j] == 1);
    for (const auto& g : got) {
      REQUIRE(g.size() == n);
      for (std::size_t j = 0; j < n; ++j) CHECK(same_bits(g[j], want[j]));
    }
  }
}

TEST_CASE("farm: the lowest failing job's error, with its kind and location, on every rank") {
  std::vector<TaskFarm::Job> jobs(12);
  auto run = [](std::size_t j) -> TaskFarm::Result {
    if (j == 9) throw Error("job nine");
    if (j == 5) throw Error::usage("job five");
    if (j == 7) throw Error("f.ndjson", 3, "job seven");
    return {double(j)};
  };
  for (int ranks : {1, 3}) {
    std::vector<std::string> what(static_cast<std::size_t>(ranks));
    std::vector<int> usage(static_cast<std::size_t>(ranks), 0);
    on_ranks(ranks, [&](Peers& p) {
      TaskFarm farm(3, &p);
      try {
        farm.run(jobs, run, {});
      } catch (const Error& e) {
        what[std::size_t(p.rank())] = e.what();
        usage[std::size_t(p.rank())] = e.is_usage();
      }
    });
    for (int r = 0; r < ranks; ++r) {
      CHECK(what[std::size_t(r)] == "job five");
      CHECK(usage[std::size_t(r)] == 1);
    }
  }
  // The location travels too.
  std::vector<std::string> file(2);
  on_ranks(2, [&](Peers& p) {
    TaskFarm farm(1, &p);
    try {
      farm.run(std::vector<TaskFarm::Job>(9), [](std::size_t j) -> TaskFarm::Result {
        if (j >= 7) throw Error("f.ndjson", j, "bad");
        return {};
      }, {});
    } catch (const Error& e) {
      file[std::size_t(p.rank())] = fmt::format("{}:{}", e.file(), e.line());
    }
  });
  CHECK(file[0] == "f.ndjson:7");
  CHECK(file[1] == "f.ndjson:7");
}

TEST_CASE("outcome bytes: values keep their bits; short bytes are an error, not a crash") {
  farm_detail::Outcome o;
  o.values = {1.5, -0.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  const farm_detail::Outcome e{false, {}, true, "x", 4, "m"};  // a usage error at x:4
  std::string bytes;
  farm_detail::pack(o, bytes);
  farm_detail::pack(e, bytes);
  std::size_t at = 0;
  farm_detail::Outcome o2 = farm_detail::unpack(bytes, at);
  farm_detail::Outcome e2 = farm_detail::unpack(bytes, at);
  CHECK(at == bytes.size());
  CHECK(same_bits(o2.values, o.values));
  CHECK(!e2.ok);
  CHECK(e2.usage);
  CHECK(e2.file == "x");
  CHECK(e2.line == 4);
  CHECK(e2.message == "m");
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string part = bytes.substr(0, cut);
    std::size_t a = 0;
    CHECK_THROWS_AS((farm_detail::unpack(part, a), farm_detail::unpack(part, a)), Error);
  }
}

namespace {

// Two noisy classes in 4 dimensions (and a third for multi-class), a few sparse zeros.
Dataset blobs(std::size_t rows, std::size_t classes) {
  Dataset d;
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0, 1);
  for (std::size_t c = 0; c < classes; ++c) {
    d.class_names.push_back(fmt::format("c{}", c));
    d.class_labels.push_back(int(c));
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t c = r % classes;
    std::vector<std::uint32_t> idx;
    std::vector<double> val;
    for (std::uint32_t i = 1; i <= 4; ++i) {
      double v = noise(rng) + (i == c + 1 ? 1.5 : 0);
      if (std::abs(v) < 0.2) continue;
      idx.push_back(i);
      val.push_back(v);
    }
    d.add_row(idx, val, double(c));
  }
  return d;
}

}  // namespace

TEST_CASE("rows and folds survive the trip to the other ranks") {
  Dataset d = blobs(50, 3);
  std::vector<int> folds = assign_folds(d, 5, 3);
  const std::string bytes = pack_rows(d, folds);
  Dataset d2;
  std::vector<int> folds2;
  unpack_rows(bytes, d2, folds2);
  CHECK(d2.rows() == d.rows());
  CHECK(d2.start == d.start);
  CHECK(d2.target == d.target);
  CHECK(d2.class_names == d.class_names);
  CHECK(d2.class_labels == d.class_labels);
  CHECK(d2.max_index == d.max_index);
  CHECK(d2.classification == d.classification);
  CHECK(folds2 == folds);
  REQUIRE(d2.nodes.size() == d.nodes.size());
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    CHECK(d2.nodes[i].index == d.nodes[i].index);
    CHECK(d2.nodes[i].value == d.nodes[i].value);
  }
  CHECK_THROWS_AS(unpack_rows(bytes.substr(0, bytes.size() - 1), d2, folds2), Error);
  CHECK_THROWS_AS(unpack_rows(bytes + "x", d2, folds2), Error);
}

TEST_CASE("rank 0 starts the others with the rows, or ends them with its status") {
  Dataset d = blobs(30, 2);
  std::vector<int> folds = assign_folds(d, 3, 1);
  std::vector<int> status(3, -1);
  std::vector<std::size_t> rows(3, 0);
  on_ranks(3, [&](Peers& p) {
    TrainRanks ranks(p);
    if (p.rank() == 0) {
      ranks.start(d, folds);
      ranks.finish(1);  // already started: sends nothing more
      return;
    }
    int s = 0;
    if (ranks.wait(s)) {
      Dataset mine;
      std::vector<int> f;
      ranks.take(mine, f);
      rows[std::size_t(p.rank())] = mine.rows();
      status[std::size_t(p.rank())] = 0;
    }
  });
  CHECK(rows[1] == 30);
  CHECK(rows[2] == 30);
  CHECK(status[2] == 0);
  bool started = true;
  on_ranks(2, [&](Peers& p) {
    TrainRanks ranks(p);
    if (p.rank() == 0) return ranks.finish(2);
    int s = 0;
    started = ranks.wait(s);
    status[1] = s;
  });
  CHECK(!started);
  CHECK(status[1] == 2);
}

TEST_CASE("cross-validation on 1, 2 and 3 ranks gives the same bits as alone") {
  for (std::size_t classes : {2u, 3u}) {
    Dataset d = blobs(90, classes);
    const int k = 5;
    std::vector<int> folds = assign_folds(d, k, 1);
    std::vector<TrainParams> params(4);
    params[1].cost = 8;
    params[2].kernel = KernelType::linear;
    params[3].learner = Learner::logistic;  // liblinear: a serial job
    params[3].kernel = KernelType::linear;
    const std::vector<CvResult> want = cross_validate_many(d, params, folds, k, 2, {});
    for (int ranks : {1, 2, 3}) {
      std::vector<std::vector<CvResult>> got(static_cast<std::size_t>(ranks));
      on_ranks(ranks, [&](Peers& p) {
        TaskFarm farm(1, &p);
        got[std::size_t(p.rank())] = cross_validate_many(d, params, folds, k, farm, {});
      });
      for (const auto& g : got)
        for (std::size_t s = 0; s < params.size(); ++s) {
          CHECK(same_bits(g[s].predicted, want[s].predicted));
          CHECK(same_bits(g[s].scores, want[s].scores));
          CHECK(g[s].metrics.accuracy == want[s].metrics.accuracy);
        }
    }
  }
}

TEST_CASE("balance_jobs: the costliest first, each on the rank with the least work") {
  // LPT on 2 ranks: 5 -> r0, 4 -> r1, 3 -> r1 (4 < 5), 3 -> r0 (5 < 7), 3 -> r1 (7 < 8).
  CHECK(balance_jobs({3, 5, 3, 4, 3}, 2) == std::vector<int>{1, 0, 0, 1, 1});
  // Equal costs: round robin from rank 0, ties to the lowest rank, in job order.
  CHECK(balance_jobs({1, 1, 1, 1}, 3) == std::vector<int>{0, 1, 2, 0});
  CHECK(balance_jobs({2, 7}, 1) == std::vector<int>{0, 0});
  // A few costly jobs among many cheap ones end on different ranks.
  std::vector<double> cost(20, 1.0);
  cost[3] = cost[4] = 50;
  std::vector<int> owner = balance_jobs(cost, 2);
  CHECK(owner[3] != owner[4]);
  double load[2] = {0, 0};
  for (std::size_t j = 0; j < cost.size(); ++j) load[owner[j]] += cost[j];
  CHECK(std::abs(load[0] - load[1]) <= 1);
}
