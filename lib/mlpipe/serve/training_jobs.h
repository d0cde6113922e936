// Training as a service: jobs queued on a bounded pool of workers, each running mltrain's
// own stage in-process on the rows a client posted, and publishing a new version of the
// model only when training succeeded. Jobs are kept on disk (ModelFiles::jobs_dir) so that
// a restarted service still answers for them.
//
// Every member may be called from any thread at once. Job files, under jobs_dir():
//   ID.json     the record, rewritten atomically at each change of state
//   ID.data     the rows as posted, until the job has finished
//   ID.train/   while it runs: mltrain's model, sidecar and printed lines, moved into the
//               versions directory on success (add_version.h), removed either way
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlpipe/serve/job_record.h"
#include "mlpipe/serve/mltrain_command.h"
#include "mlpipe/serve/model_files.h"

namespace mlpipe::serve {

class TrainingJobs {
 public:
  struct Limits {
    int workers = 1;              // jobs trained at once
    std::size_t max_queued = 16;  // jobs waiting; more are refused (RequestError 429)
    int threads_per_job = 0;      // mltrain's --threads; 0: the CPUs this process may use, shared among the workers
  };
  // Called on a worker thread once a version is published (its files in place, DIR/NAME.model
  // replaced), so that the server serves it. Calls come one at a time, in version order, under
  // the lock that numbers versions: it should be quick, may call find/list/submit, but not
  // stop(). Should it throw, the version stays published and the job succeeded; the record's
  // error says so.
  using OnPublished = std::function<void(const std::string& model, std::uint64_t version)>;

  // Reads the jobs kept in files.jobs_dir() (creating it) and starts the workers; jobs a
  // stopped service left queued or running are queued again (their rows were kept), beyond
  // max_queued if need be. Throws Error when the directory cannot be made or read.
  TrainingJobs(const ModelFiles& files, Limits limits, OnPublished on_published);
  ~TrainingJobs();  // stop()

  // Queues a job training `model` on `rows` (NDJSON records or CSV with its header, as
  // `format` says) with mltrain's `options` (mltrain_words). Returns the queued job's record,
  // kept on disk. Throws RequestError: 400 for a bad model name or options mltrain refuses
  // together (check_mltrain_command), 415 for another format, 429 when max_queued jobs are
  // waiting, 503 once stopped; Error when its files cannot be written.
  JobRecord submit(const std::string& model, const std::string& format, std::vector<std::string> options,
                   std::string rows);
  std::optional<JobRecord> find(std::string_view id) const;
  std::vector<JobRecord> list() const;  // oldest first
  // Jobs queued or running.
  std::size_t active() const;

  // Stops taking jobs, lets the running ones finish, and joins the workers. Jobs still queued
  // stay so on disk, for the next start. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mlpipe::serve
