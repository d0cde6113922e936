#include "mlpipe/model/task_farm.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <new>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {
// The sum of the base-`n` digits of `g`, modulo `n`: the Prouhet–Thue–Morse sequence
// (0 1 1 0 1 0 0 1 … for two ranks). Each block of n consecutive values is a permutation
// of 0..n-1, so groups are spread evenly, and alternating blocks mirror each other, which
// cancels a cost that rises (or falls) steadily along the groups.
int thue_morse(std::size_t g, int n) {
  std::size_t sum = 0;
  for (; g; g /= std::size_t(n)) sum += g % std::size_t(n);
  return int(sum % std::size_t(n));
}
}  // namespace

std::vector<int> assign_jobs(const std::vector<std::size_t>& group, int ranks, std::size_t first_group) {
  std::vector<int> owner(group.size(), 0);
  if (ranks <= 1) return owner;
  std::map<std::size_t, std::size_t> dealt;  // jobs of each group dealt so far
  for (std::size_t j = 0; j < group.size(); ++j) {
    const std::size_t position = dealt[group[j]]++;
    owner[j] = int((std::size_t(thue_morse(first_group + group[j], ranks)) + position) % std::size_t(ranks));
  }
  return owner;
}

namespace farm_detail {

namespace {
void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_text(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}
void need(const std::string& in, std::size_t at, std::size_t n) {
  if (in.size() < at || in.size() - at < n) throw Error("a rank's cross-validation results end early");
}
std::uint64_t get_u64(const std::string& in, std::size_t& at) {
  need(in, at, sizeof(std::uint64_t));
  std::uint64_t v = 0;
  std::memcpy(&v, in.data() + at, sizeof v);
  at += sizeof v;
  return v;
}
std::string get_text(const std::string& in, std::size_t& at) {
  const std::uint64_t n = get_u64(in, at);
  need(in, at, n);
  std::string s = in.substr(at, n);
  at += n;
  return s;
}
}  // namespace

// Ranks of one job run the same binary on the same kind of machine: doubles travel as
// their bytes, so every rank sees exactly the bits the rank that trained computed.
void pack(const Outcome& o, std::string& out) {
  out += char(o.ok ? 1 : 0);
  if (o.ok) {
    put_u64(out, o.values.size());
    if (!o.values.empty())
      out.append(reinterpret_cast<const char*>(o.values.data()), o.values.size() * sizeof(double));
    return;
  }
  out += char(o.usage ? 1 : 0);
  put_text(out, o.file);
  put_u64(out, o.line);
  put_text(out, o.message);
}

Outcome unpack(const std::string& in, std::size_t& at) {
  Outcome o;
  need(in, at, 1);
  o.ok = in[at++] == 1;
  if (o.ok) {
    const std::uint64_t n = get_u64(in, at);
    if (n > (in.size() - at) / sizeof(double)) throw Error("a rank's cross-validation results end early");
    o.values.resize(std::size_t(n));
    if (n) std::memcpy(o.values.data(), in.data() + at, std::size_t(n) * sizeof(double));
    at += std::size_t(n) * sizeof(double);
    return o;
  }
  need(in, at, 1);
  o.usage = in[at++] == 1;
  o.file = get_text(in, at);
  o.line = get_u64(in, at);
  o.message = get_text(in, at);
  return o;
}

}  // namespace farm_detail

std::vector<int> balance_jobs(const std::vector<double>& cost, int ranks) {
  std::vector<int> owner(cost.size(), 0);
  if (ranks <= 1) return owner;
  std::vector<std::size_t> order(cost.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(std::size_t(ranks), 0.0);
  for (std::size_t j : order) {
    const std::size_t r = std::size_t(std::min_element(load.begin(), load.end()) - load.begin());
    owner[j] = int(r);
    load[r] += cost[j];
  }
  return owner;
}

// Runs the jobs listed in `todo` that `owner` gives this rank (parallel ones on the threads,
// serial ones after), filling their outcomes and their seconds.
void TaskFarm::run_share(const std::vector<Job>& jobs, const std::vector<std::size_t>& todo, const std::vector<int>& owner,
                         const std::function<Result(std::size_t)>& run, std::vector<farm_detail::Outcome>& outcome,
                         std::vector<double>& seconds, const std::function<void(bool report, std::size_t job)>& one_done) {
  const int me = peers_ ? peers_->rank() : 0;
  std::vector<std::size_t> parallel, serial;
  for (std::size_t j : todo)
    if (owner[j] == me) (jobs[j].serial ? serial : parallel).push_back(j);
  auto attempt = [&](std::size_t j) {
    farm_detail::Outcome& o = outcome[j];
    const auto t0 = std::chrono::steady_clock::now();
    try {
      o.values = run(j);
    } catch (const Error& e) {
      o.ok = false;
      o.usage = e.is_usage();
      o.file = e.file();
      o.line = e.line();
      o.message = e.what();
    } catch (const std::bad_alloc&) {
      o.ok = false;
      o.message = "out of memory";
    } catch (const std::exception& e) {
      o.ok = false;
      o.message = e.what();
    }
    seconds[j] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, threads_))
  for (std::size_t i = 0; i < parallel.size(); ++i) {
    attempt(parallel[i]);
    // Counted on every thread; progress is reported from the calling thread only.
#pragma omp critical(mlpipe_farm_progress)
    one_done(omp_get_thread_num() == 0, parallel[i]);
  }
  for (std::size_t j : serial) {
    attempt(j);
    one_done(true, j);
  }
}

// Every rank's outcomes (and seconds) of the jobs in `todo`, from the rank that ran them.
void TaskFarm::exchange(const std::vector<std::size_t>& todo, const std::vector<int>& owner,
                        std::vector<farm_detail::Outcome>& outcome, std::vector<double>& seconds) {
  const int me = peers_->rank();
  std::string bytes;
  for (std::size_t j : todo)
    if (owner[j] == me) {
      farm_detail::pack(outcome[j], bytes);
      bytes.append(reinterpret_cast<const char*>(&seconds[j]), sizeof(double));
    }
  // Every rank knows who ran what, so the bytes need no job numbers.
  std::vector<std::string> all = peers_->allgather(bytes);
  std::vector<std::size_t> at(all.size(), 0);
  for (std::size_t j : todo) {
    const std::size_t r = std::size_t(owner[j]);
    if (owner[j] == me) continue;
    outcome[j] = farm_detail::unpack(all[r], at[r]);
    if (all[r].size() - at[r] < sizeof(double)) throw Error("a rank's cross-validation results end early");
    std::memcpy(&seconds[j], all[r].data() + at[r], sizeof(double));
    at[r] += sizeof(double);
  }
}

std::vector<TaskFarm::Result> TaskFarm::run(const std::vector<Job>& jobs, const std::function<Result(std::size_t)>& run,
                                            const FarmProgress& progress) {
  std::vector<farm_detail::Outcome> outcome = run_all(jobs, run, progress);
  // The lowest failing job, not the first to fail in time: the same error whatever the
  // threads and ranks.
  for (const farm_detail::Outcome& o : outcome)
    if (!o.ok) throw o.error();
  std::vector<Result> results(outcome.size());
  for (std::size_t j = 0; j < outcome.size(); ++j) results[j] = std::move(outcome[j].values);
  return results;
}

Error farm_detail::Outcome::error() const {
  if (usage) return Error::usage(message);
  if (!file.empty()) return Error(file, line, message);
  return Error(message);
}

std::vector<farm_detail::Outcome> TaskFarm::run_all(const std::vector<Job>& jobs,
                                                    const std::function<Result(std::size_t)>& run,
                                                    const FarmProgress& progress) {
  using farm_detail::Outcome;
  const std::size_t n = jobs.size();
  const int me = peers_ ? peers_->rank() : 0;
  std::vector<std::size_t> group(n);
  std::size_t groups = 0;
  for (std::size_t j = 0; j < n; ++j) {
    group[j] = jobs[j].group;
    groups = std::max(groups, group[j] + 1);
  }
  std::vector<Outcome> outcome(n);
  std::vector<double> seconds(n, 0.0);
  std::size_t done = 0, reported = 0;
  std::size_t mine = 0;  // this rank's jobs so far (progress scales them to the whole)
  auto one_done = [&](bool report, std::size_t job) {
    ++done;
    if (!report) return;
    reported = mine ? std::min(n, done * n / mine) : n;
    if (progress) progress(reported, n, job);
  };

  if (ranks() == 1) {
    std::vector<std::size_t> all(n);
    for (std::size_t j = 0; j < n; ++j) all[j] = j;
    mine = n;
    run_share(jobs, all, std::vector<int>(n, 0), run, outcome, seconds, one_done);
  } else {
    // Two rounds. First, of each group, as many jobs as split evenly over the ranks (each
    // rank the same number of the group's folds, which cost about the same: balanced by
    // construction), each timed; then the rest (the folds that do not divide), each
    // costing its group's mean time, placed longest first on the rank with the least work
    // (the LPT rule). Costs of grid points differ by orders of magnitude (large C, small
    // gamma), and nothing predicts them better than folds of the point itself. Every rank
    // computes the same placement from the same gathered times; which rank runs a job
    // never changes its result.
    const std::size_t R = std::size_t(ranks());
    std::vector<std::vector<std::size_t>> members(groups);
    for (std::size_t j = 0; j < n; ++j) members[group[j]].push_back(j);
    std::vector<std::size_t> first_round, second_round;
    std::vector<int> owner(n, 0);
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t even = members[g].size() / R * R;
      const std::size_t offset = std::size_t(thue_morse(groups_ + g, ranks()));
      for (std::size_t i = 0; i < members[g].size(); ++i) {
        const std::size_t j = members[g][i];
        if (i < even) {
          owner[j] = int((offset + i) % R);
          first_round.push_back(j);
        } else {
          second_round.push_back(j);
        }
      }
    }
    std::sort(first_round.begin(), first_round.end());
    std::sort(second_round.begin(), second_round.end());
    for (std::size_t j : first_round) mine += owner[j] == me;
    mine += (second_round.size() + R - 1) / R;  // about this rank's share of the rest, for progress
    if (!first_round.empty()) {
      run_share(jobs, first_round, owner, run, outcome, seconds, one_done);
      exchange(first_round, owner, outcome, seconds);
    }
    // A group's cost: the mean of its timed jobs; groups smaller than the ranks had none
    // timed and take the mean of all (or are dealt as assign_jobs deals, with nothing timed).
    std::vector<double> sum(groups, 0.0);
    std::vector<std::size_t> count(groups, 0);
    double all_sum = 0;
    for (std::size_t j : first_round) {
      sum[group[j]] += seconds[j];
      ++count[group[j]];
      all_sum += seconds[j];
    }
    if (first_round.empty()) {
      std::vector<std::size_t> rest_groups;
      for (std::size_t j : second_round) rest_groups.push_back(group[j]);
      const std::vector<int> dealt = assign_jobs(rest_groups, ranks(), groups_);
      for (std::size_t i = 0; i < second_round.size(); ++i) owner[second_round[i]] = dealt[i];
    } else {
      const double mean = all_sum / double(first_round.size());
      std::vector<double> cost(second_round.size());
      for (std::size_t i = 0; i < second_round.size(); ++i) {
        const std::size_t g = group[second_round[i]];
        cost[i] = count[g] ? sum[g] / double(count[g]) : mean;
      }
      const std::vector<int> placed = balance_jobs(cost, ranks());
      for (std::size_t i = 0; i < second_round.size(); ++i) owner[second_round[i]] = placed[i];
    }
    if (!second_round.empty()) {
      run_share(jobs, second_round, owner, run, outcome, seconds, one_done);
      exchange(second_round, owner, outcome, seconds);
    }
  }
  groups_ += groups;
  if (progress && reported != n) progress(n, n, n);  // the parallel loop reports from one thread only
  return outcome;
}

}  // namespace mlpipe
