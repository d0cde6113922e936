// Training as a service: jobs queued on a bounded pool of workers, each running mltrain's
// own stage in-process on the rows a client posted, and publishing a new version of the
// model only when training succeeded. Jobs are kept on disk (ModelFiles::jobs_dir) so that
// a restarted service still answers for them.
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
    int workers = 1;             // jobs trained at once
    std::size_t max_queued = 16; // jobs waiting; more are refused (RequestError 429)
  };
  // Called on a worker thread once a version is published, so that the server serves it.
  using OnPublished = std::function<void(const std::string& model, std::uint64_t version)>;

  // Reads the jobs kept in files.jobs_dir(); jobs a stopped service left queued or running
  // are queued again (their rows were kept).
  TrainingJobs(const ModelFiles& files, Limits limits, OnPublished on_published);
  ~TrainingJobs();  // stop()

  // Queues a job training `model` on `rows` (NDJSON records or CSV with its header, as
  // `format` says) with mltrain's `options`. Returns the queued job's record.
  JobRecord submit(const std::string& model, const std::string& format, std::vector<std::string> options,
                   std::string rows);
  std::optional<JobRecord> find(std::string_view id) const;
  std::vector<JobRecord> list() const;  // oldest first
  // Jobs queued or running.
  std::size_t active() const;

  // Stops taking jobs, lets the running ones finish, and joins the workers.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mlpipe::serve
