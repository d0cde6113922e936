#include "mlpipe/model/task_farm.h"

#include <omp.h>

#include <algorithm>
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

std::vector<TaskFarm::Result> TaskFarm::run(const std::vector<Job>& jobs, const std::function<Result(std::size_t)>& run,
                                            const std::function<void(std::size_t, std::size_t)>& progress) {
  using farm_detail::Outcome;
  const std::size_t n = jobs.size();
  const int me = peers_ ? peers_->rank() : 0;
  std::vector<std::size_t> group(n);
  std::size_t groups = 0;
  for (std::size_t j = 0; j < n; ++j) {
    group[j] = jobs[j].group;
    groups = std::max(groups, group[j] + 1);
  }
  const std::vector<int> owner = assign_jobs(group, ranks(), groups_);
  groups_ += groups;

  std::vector<std::size_t> parallel, serial;
  for (std::size_t j = 0; j < n; ++j)
    if (owner[j] == me) (jobs[j].serial ? serial : parallel).push_back(j);
  const std::size_t mine = parallel.size() + serial.size();
  std::size_t reported = 0;
  auto report = [&](std::size_t done) {
    reported = mine ? done * n / mine : n;
    if (progress) progress(reported, n);
  };

  std::vector<Outcome> outcome(n);
  auto attempt = [&](std::size_t j) {
    Outcome& o = outcome[j];
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
  };
  std::size_t done = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, threads_))
  for (std::size_t i = 0; i < parallel.size(); ++i) {
    attempt(parallel[i]);
#pragma omp critical(mlpipe_farm_progress)
    {
      ++done;
      if (omp_get_thread_num() == 0) report(done);
    }
  }
  for (std::size_t j : serial) {
    attempt(j);
    report(++done);
  }

  if (ranks() > 1) {
    // Each rank's outcomes in job order; every rank knows who ran what (assign_jobs), so
    // the bytes need no job numbers.
    std::string bytes;
    for (std::size_t j = 0; j < n; ++j)
      if (owner[j] == me) farm_detail::pack(outcome[j], bytes);
    std::vector<std::string> all = peers_->allgather(bytes);
    std::vector<std::size_t> at(all.size(), 0);
    for (std::size_t j = 0; j < n; ++j)
      if (owner[j] != me) outcome[j] = farm_detail::unpack(all[std::size_t(owner[j])], at[std::size_t(owner[j])]);
  }
  if (reported != n) report(mine);  // the parallel loop reports from one thread only

  // The lowest failing job, not the first to fail in time: the same error whatever the
  // threads and ranks.
  for (const Outcome& o : outcome) {
    if (o.ok) continue;
    if (o.usage) throw Error::usage(o.message);
    if (!o.file.empty()) throw Error(o.file, o.line, o.message);
    throw Error(o.message);
  }
  std::vector<Result> results(n);
  for (std::size_t j = 0; j < n; ++j) results[j] = std::move(outcome[j].values);
  return results;
}

}  // namespace mlpipe
