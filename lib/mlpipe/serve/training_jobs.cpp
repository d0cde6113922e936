// See training_jobs.h.
#include "mlpipe/serve/training_jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/serve/add_version.h"
#include "mlpipe/serve/request_error.h"

namespace mlpipe::serve {

namespace fs = std::filesystem;

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A job's id is its submission's sequence number, zero-padded so that ids sort as text in
// the order jobs were submitted too.
std::string job_id(std::uint64_t seq) { return fmt::format("{:08}", seq); }

// The sequence number of an id job_id made; nothing for any other text, so that a file of
// another name in the jobs directory is not taken for a job.
std::optional<std::uint64_t> job_seq(std::string_view id) {
  std::optional<std::uint64_t> seq = parse_integer<std::uint64_t>(id);
  if (!seq || *seq == 0 || job_id(*seq) != id) return std::nullopt;
  return seq;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

struct TrainingJobs::State {
  // A job as the pool holds it: its record, and while it runs the rows read so far, which the
  // runner counts on the worker's thread and find() reads on another.
  struct Job {
    JobRecord record;
    std::unique_ptr<std::atomic<std::uint64_t>> rows_read = std::make_unique<std::atomic<std::uint64_t>>(0);

    JobRecord snapshot() const {
      JobRecord r = record;
      if (r.state == JobRecord::State::running) r.rows = rows_read->load(std::memory_order_relaxed);
      return r;
    }
  };

  State(const ModelFiles& f, Limits l, OnPublished p) : files(f), limits(l), on_published(std::move(p)) {
    limits.workers = std::max(1, limits.workers);
    threads_per_job =
        limits.threads_per_job > 0 ? limits.threads_per_job : std::max(1, default_threads() / limits.workers);
  }

  fs::path record_path(const std::string& id) const { return files.jobs_dir() / (id + ".json"); }
  fs::path data_path(const std::string& id) const { return files.jobs_dir() / (id + ".data"); }
  fs::path scratch_path(const std::string& id) const { return files.jobs_dir() / (id + ".train"); }

  void save(const JobRecord& job) const { write_file_atomically(record_path(job.id).string(), job.to_json() + "\n"); }
  // On a worker nobody hears of a failure to write: the record in memory stays right, and
  // the record on disk says what it said before (load() then runs the job again or fails it).
  bool save_quietly(const JobRecord& job) const {
    try {
      save(job);
      return true;
    } catch (...) {
      return false;
    }
  }

  void load();
  void work();
  void train(JobRecord& job, std::atomic<std::uint64_t>& rows_read);

  const ModelFiles files;
  Limits limits;
  const OnPublished on_published;
  int threads_per_job = 1;

  mutable std::mutex mutex;           // guards the members up to `stopping`
  std::condition_variable wake;       // a job queued, or stopping
  std::map<std::uint64_t, Job> jobs;  // by sequence number: oldest first; never erased, so
                                      // a worker's reference to its job stays valid
  std::deque<std::uint64_t> queue;
  std::size_t reserved = 0;  // submissions between their place in the queue and their queueing
  std::uint64_t next_seq = 1;
  bool stopping = false;

  // Numbering a model's next version and publishing it, one job at a time: two jobs that
  // finish together must not take the same number, nor publish out of order.
  std::mutex publish_mutex;
  std::mutex join_mutex;  // stop() may be called from several threads
  std::vector<std::thread> workers;
};

// The jobs a service left, before any worker starts: finished ones are listed; queued or
// running ones queued again in their order when their rows are there. What a stopped run
// left besides (a job's training directory, rows of finished jobs, rows whose record was
// never written, temporary files of atomic writes) goes.
void TrainingJobs::State::load() {
  const fs::path dir = files.jobs_dir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string(), 0, fmt::format("cannot create the directory: {}", ec.message()));
  std::vector<fs::path> leftovers;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (!ends_with(file, ".json")) {
      leftovers.push_back(it->path());
      continue;
    }
    const std::string id = file.substr(0, file.size() - 5);
    const std::optional<std::uint64_t> seq = job_seq(id);
    if (!seq) continue;  // not a job's record: not ours to remove either
    Job job;
    try {
      job.record = JobRecord::from_json(read_whole_file(it->path().string()), it->path().string());
      if (job.record.id != id)
        throw Error(it->path().string(), 0, fmt::format("the record is job {}'s", job.record.id));
      // The name becomes a path when the job runs: checked as a request's would be.
      if (!valid_name(job.record.model))
        throw Error(it->path().string(), 0, fmt::format("field 'model': '{}' is not a model name", job.record.model));
    } catch (const Error& e) {
      // Listed as failed, its file left as it is for whoever looks into it.
      job.record = JobRecord{};
      job.record.id = id;
      job.record.state = JobRecord::State::failed;
      job.record.error = fmt::format("the job's record cannot be read: {}", describe(e));
    }
    next_seq = std::max(next_seq, *seq + 1);
    jobs.emplace(*seq, std::move(job));
  }
  if (ec) throw Error(dir.string(), 0, fmt::format("cannot read the directory: {}", ec.message()));

  for (auto& [seq, job] : jobs) {
    JobRecord& r = job.record;
    if (r.finished_state()) continue;
    if (fs::exists(data_path(r.id), ec)) {
      r.state = JobRecord::State::queued;
      r.started = 0;
      r.rows = 0;
      queue.push_back(seq);
    } else {
      r.state = JobRecord::State::failed;
      r.finished = now_seconds();
      r.error = fmt::format("its rows were lost ({} is missing)", data_path(r.id).filename().string());
    }
    save_quietly(r);
  }
  for (const fs::path& p : leftovers) {
    const std::string file = p.filename().string();
    std::string id = file.substr(0, file.find('.'));
    const std::optional<std::uint64_t> seq = job_seq(id);
    if (!seq) continue;
    auto it = jobs.find(*seq);
    const bool rows_needed = ends_with(file, ".data") && it != jobs.end() && !it->second.record.finished_state();
    if (!rows_needed) fs::remove_all(p, ec);
  }
}

void TrainingJobs::State::work() {
  for (;;) {
    std::uint64_t seq = 0;
    JobRecord job;
    std::atomic<std::uint64_t>* rows_read = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [this] { return stopping || !queue.empty(); });
      if (stopping) return;
      seq = queue.front();
      queue.pop_front();
      Job& j = jobs.at(seq);
      j.record.state = JobRecord::State::running;
      j.record.started = now_seconds();
      j.rows_read->store(0);
      job = j.record;
      rows_read = j.rows_read.get();
    }
    save_quietly(job);
    train(job, *rows_read);
    // The rows go once the record on disk says the job has finished (until then a restart
    // needs them), and before the record in memory says so: a client that sees the job
    // finished finds its files settled.
    std::error_code ec;
    if (save_quietly(job)) fs::remove(data_path(job.id), ec);
    std::lock_guard<std::mutex> lock(mutex);
    jobs.at(seq).record = job;
  }
}

// Runs one job to its end, success or failure, never throwing: mltrain's errors (a bad row,
// options that fail on these rows, a file that cannot be written) become the job's error.
void TrainingJobs::State::train(JobRecord& job, std::atomic<std::uint64_t>& rows_read) {
  const fs::path scratch = scratch_path(job.id);
  std::error_code ec;
  fs::remove_all(scratch, ec);
  try {
    fs::create_directories(scratch, ec);
    if (ec) throw Error(scratch.string(), 0, fmt::format("cannot create the directory: {}", ec.message()));
    MltrainRun run;
    run.format = job.format;
    run.options = job.options;
    run.rows_path = data_path(job.id).string();
    run.rows_name = "rows";
    run.model_path = (scratch / "model").string();
    run.printed_path = (scratch / "printed").string();
    run.threads = threads_per_job;
    run.rows_read = &rows_read;
    run_mltrain(run);
    const std::string sidecar = run.model_path + ".json";
    std::string report = selection_report(read_whole_file(sidecar), read_whole_file(run.printed_path), sidecar);
    {
      std::lock_guard<std::mutex> lock(publish_mutex);
      job.version = add_version(files, job.model, run.model_path);
      try {
        if (on_published) on_published(job.model, job.version);
      } catch (const std::exception& e) {
        job.error = fmt::format("version {} was published, but the server did not take it: {}", job.version, e.what());
      }
    }
    job.report = std::move(report);
    job.state = JobRecord::State::succeeded;
  } catch (const Error& e) {
    job.error = describe(e);
  } catch (const std::bad_alloc&) {
    job.error = "out of memory";
  } catch (const std::exception& e) {
    job.error = e.what();
  } catch (...) {
    job.error = "training ended with an unknown exception";
  }
  if (job.state != JobRecord::State::succeeded) job.state = JobRecord::State::failed;
  job.rows = rows_read.load();
  job.finished = now_seconds();
  fs::remove_all(scratch, ec);
}

TrainingJobs::TrainingJobs(const ModelFiles& files, Limits limits, OnPublished on_published)
    : state_(std::make_unique<State>(files, limits, std::move(on_published))) {
  state_->load();
  try {
    for (int i = 0; i < state_->limits.workers; ++i) state_->workers.emplace_back([s = state_.get()] { s->work(); });
  } catch (...) {
    stop();  // the workers started must be joined: no destructor runs for a constructor that throws
    throw;
  }
}

TrainingJobs::~TrainingJobs() { stop(); }

JobRecord TrainingJobs::submit(const std::string& model, const std::string& format, std::vector<std::string> options,
                               std::string rows) {
  check_name("model", model);
  if (format != "ndjson" && format != "csv")
    throw RequestError::unsupported(fmt::format("train: rows as '{}': expected ndjson or csv", format));
  check_mltrain_command(format, options);
  State& s = *state_;
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.stopping) throw RequestError::unavailable("train: the service is stopping");
    if (s.queue.size() + s.reserved >= s.limits.max_queued)
      throw RequestError::too_many(fmt::format(
          "train: {} jobs are waiting already, the most this service queues; try again later", s.limits.max_queued));
    ++s.reserved;  // the place is taken now; the files are written without the lock
    seq = s.next_seq++;
  }
  State::Job job;
  JobRecord& r = job.record;
  r.id = job_id(seq);
  r.model = model;
  r.format = format;
  r.options = std::move(options);
  r.created = now_seconds();
  try {
    // The rows before the record: a record on disk always has its rows.
    write_file_atomically(s.data_path(r.id).string(), rows);
    s.save(r);
  } catch (...) {
    std::error_code ec;
    fs::remove(s.data_path(r.id), ec);
    std::lock_guard<std::mutex> lock(s.mutex);
    --s.reserved;
    throw;
  }
  JobRecord queued = r;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    --s.reserved;
    s.jobs.emplace(seq, std::move(job));
    s.queue.push_back(seq);
  }
  s.wake.notify_one();
  return queued;
}

std::optional<JobRecord> TrainingJobs::find(std::string_view id) const {
  const std::optional<std::uint64_t> seq = job_seq(id);
  if (!seq) return std::nullopt;
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto it = state_->jobs.find(*seq);
  if (it == state_->jobs.end()) return std::nullopt;
  return it->second.snapshot();
}

std::vector<JobRecord> TrainingJobs::list() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<JobRecord> out;
  out.reserve(state_->jobs.size());
  for (const auto& [seq, job] : state_->jobs) out.push_back(job.snapshot());
  return out;
}

std::size_t TrainingJobs::active() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return std::size_t(std::count_if(state_->jobs.begin(), state_->jobs.end(),
                                   [](const auto& entry) { return !entry.second.record.finished_state(); }));
}

void TrainingJobs::stop() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  std::lock_guard<std::mutex> lock(state_->join_mutex);
  for (std::thread& t : state_->workers)
    if (t.joinable()) t.join();
}

}  // namespace mlpipe::serve
