// mlserve's routes: the Open Inference Protocol (health, metadata, infer), its model
// repository extension (index, load, unload), training jobs named in the same style, the
// metrics and the web page. One place turns every error into a status and a JSON body, and
// writes the access log line.
//
//   GET  /v2/health/live | /v2/health/ready             GET  /v2
//   GET  /v2/models/NAME[/versions/V][/ready]           POST /v2/models/NAME[/versions/V]/infer
//   GET|POST /v2/repository/index                       POST /v2/repository/models/NAME/load | /unload
//   POST /v2/repository/models/NAME/train?OPTIONS       DELETE /v2/repository/models/NAME
//   GET  /v2/jobs, /v2/jobs/ID                          GET  /metrics, GET /
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mlpipe/serve/http_message.h"
#include "mlpipe/serve/metrics.h"
#include "mlpipe/serve/model_store.h"
#include "mlpipe/serve/oip_tensors.h"
#include "mlpipe/serve/served_pipeline.h"
#include "mlpipe/serve/tokens.h"
#include "mlpipe/serve/training_jobs.h"

namespace mlpipe::serve {

struct ServiceOptions {
  std::uint64_t max_rows = 100000;  // rows (or documents) a request may hold
  bool auth_reads = false;          // --auth all: reads need a token too
  bool access_log = true;
  bool training = true;             // --no-training: train routes answer 403
};

class Service {
 public:
  // `pipelines`: name → pipeline string; each is built now (Error::usage names a bad one).
  Service(ServiceOptions options, ModelStore& models, TrainingJobs* jobs, Tokens tokens,
          const std::vector<std::pair<std::string, std::string>>& pipelines);

  HttpResponse handle(HttpRequest& request);

  // SIGHUP: models whose files changed are loaded, pipelines rebuilt, the token file read
  // again by the caller (set_tokens). Returns lines for the log.
  std::vector<std::string> reload();
  void set_tokens(Tokens tokens);
  // Readiness goes false when the server is stopping.
  void set_ready(bool ready) { ready_ = ready; }

  // A training job published `version` of `model`: serve it from the next request.
  void published(const std::string& model, std::uint64_t version);

 private:
  HttpResponse dispatch(HttpRequest& request, Route& route, std::uint64_t& rows);
  std::shared_ptr<const ServedPipeline> find_pipeline(const std::string& name) const;

  ServiceOptions options_;
  ModelStore& models_;
  TrainingJobs* jobs_;
  mutable std::mutex mutex_;  // guards tokens_ and pipelines_
  Tokens tokens_;
  std::vector<std::pair<std::string, std::string>> pipeline_texts_;
  std::map<std::string, std::shared_ptr<const ServedPipeline>> pipelines_;
  Metrics metrics_;
  InferRequestParser request_parser_;
  std::atomic<bool> ready_{true};
};

}  // namespace mlpipe::serve
