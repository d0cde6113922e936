// mlserve: serves mlpipe's models and pipelines over HTTP (the Open Inference Protocol),
// trains new versions of models on posted rows, and serves each from the next request.
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/http/http_server.h"
#include "mlpipe/serve/model_files.h"
#include "mlpipe/serve/model_store.h"
#include "mlpipe/serve/service.h"
#include "mlpipe/serve/tokens.h"
#include "mlpipe/serve/training_jobs.h"

namespace {

namespace fs = std::filesystem;
using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::http::HttpServer;
using mlpipe::http::HttpServerOptions;

struct Options {
  std::string models;
  std::string listen = "127.0.0.1";
  int port = 8080;
  std::string port_file;
  int threads = 0;
  std::vector<std::string> pipelines;
  std::string argument_models;
  bool no_default_pipeline = false;
  std::string token_file;
  std::string auth = "writes";
  std::size_t max_body = std::size_t(64) << 20;
  std::uint64_t max_rows = 100000;
  int train_workers = 1;
  std::size_t max_jobs = 16;
  bool no_training = false;
  int idle_timeout = 60;
  bool quiet = false;
};

// The shipped argument-mining models: installed beside the programs, or in the source tree
// the programs were built from.
std::string default_argument_models() {
  for (const char* dir : {MLPIPE_INSTALLED_MODELS, MLPIPE_SOURCE_MODELS})
    if (fs::exists(fs::path(dir) / "claim.model") && fs::exists(fs::path(dir) / "features.json")) return dir;
  return {};
}

// The argument-mining pipeline of `make demo`, over the models in `m`.
std::string argument_pipeline(const std::string& m) {
  return fmt::format(
      "mlsplit | mlfeat --spec '{0}/features.json' | mlclassify -m claim='{0}/claim.model' -m support='{0}/support.model' "
      "-m thesis='{0}/thesis.model' -m against='{0}/against.model' --keep any | mljoin --key doc --max-distance 20 "
      "--thesis --sentences | mllink -m '{0}/link.model' --top 3 --top-right 1",
      m);
}

int run_server(const Options& o) {
  if (!fs::is_directory(o.models)) throw Error::usage(fmt::format("--models: '{}' is not a directory", o.models));
  std::vector<std::pair<std::string, std::string>> pipelines;
  for (const std::string& p : o.pipelines) {
    std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error::usage(fmt::format("--pipeline: expected NAME='mlsplit | …', not '{}'", p));
    pipelines.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  if (!o.no_default_pipeline) {
    std::string m = o.argument_models.empty() ? default_argument_models() : o.argument_models;
    if (m.empty())
      fmt::print(stderr, "mlserve: no argument-mining models found (--argument-models DIR): pipeline 'arguments' not served\n");
    else if (std::none_of(pipelines.begin(), pipelines.end(), [](auto& p) { return p.first == "arguments"; }))
      pipelines.emplace_back("arguments", argument_pipeline(m));
  }
  Tokens tokens = o.token_file.empty() ? Tokens() : Tokens::read(o.token_file);

  // Signals are taken by one thread (sigwait) rather than handlers: reloading and stopping
  // then run as ordinary code. Blocked before any other thread starts, so all inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ModelFiles files{fs::path(o.models)};
  ModelStore store(files);
  for (const std::string& line : store.refresh()) fmt::print(stderr, "mlserve: {}\n", line);

  // Jobs a stopped service left unfinished may be published before the service exists: they
  // are loaded by the store's refresh below instead, and announced from then on.
  std::atomic<Service*> service_ptr{nullptr};
  std::unique_ptr<TrainingJobs> jobs;
  if (!o.no_training)
    jobs = std::make_unique<TrainingJobs>(files, TrainingJobs::Limits{o.train_workers, o.max_jobs},
                                          [&service_ptr](const std::string& model, std::uint64_t version) {
                                            if (Service* s = service_ptr.load()) s->published(model, version);
                                          });
  ServiceOptions so;
  so.max_rows = o.max_rows;
  so.auth_reads = o.auth == "all";
  so.access_log = !o.quiet;
  so.training = !o.no_training;
  Service service(so, store, jobs.get(), std::move(tokens), pipelines);
  service_ptr = &service;
  for (const std::string& line : store.refresh()) fmt::print(stderr, "mlserve: {}\n", line);

  HttpServerOptions ho;
  ho.address = o.listen;
  ho.port = std::uint16_t(o.port);
  ho.threads = o.threads > 0 ? o.threads : default_threads();
  ho.max_body_bytes = o.max_body;
  ho.idle_timeout = std::chrono::seconds(o.idle_timeout);
  HttpServer server(ho, [&service](HttpRequest& r) { return service.handle(r); });
  if (!o.port_file.empty()) write_file_atomically(o.port_file, fmt::format("{}\n", server.port()));
  fmt::print(stderr, "mlserve: listening on http://{}:{}/ ({} threads; models in {}; pipelines: {})\n", o.listen,
             server.port(), ho.threads, o.models, pipelines.empty() ? "none" : fmt::format("{}", fmt::join([&] {
               std::vector<std::string> names;
               for (auto& p : pipelines) names.push_back(p.first);
               return names;
             }(), ", ")));

  std::thread signal_thread([&] {
    while (true) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        try {
          if (!o.token_file.empty()) service.set_tokens(Tokens::read(o.token_file));
          for (const std::string& line : service.reload()) fmt::print(stderr, "mlserve: {}\n", line);
          fmt::print(stderr, "mlserve: reloaded (SIGHUP)\n");
        } catch (const Error& e) {
          fmt::print(stderr, "mlserve: reload failed, kept what was served: {}\n", describe(e));
        }
        continue;
      }
      fmt::print(stderr, "mlserve: stopping ({}): answering the requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      service.set_ready(false);
      server.stop();
      return;
    }
  });
  signal_thread.detach();
  server.run();
  if (jobs && jobs->active()) {
    // Training cannot be interrupted in the middle; its rows are kept and the job runs again
    // when the service starts next. Nothing else is left to flush.
    fmt::print(stderr, "mlserve: stopped; {} training job(s) unfinished will run again at the next start\n",
               jobs->active());
    std::fflush(stderr);
    std::_Exit(0);
  }
  service_ptr = nullptr;  // nothing is announced to a service being taken down
  jobs.reset();
  fmt::print(stderr, "mlserve: stopped\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return mlpipe::report_errors("mlserve", [&]() -> int {
    Options o;
    CLI::App app("Serve mlpipe models and pipelines over HTTP (Open Inference Protocol); train them on posted rows",
                 "mlserve");
    app.set_version_flag("--version", fmt::format("mlserve (mlpipe) {}", mlpipe::version()));
    app.add_option("-m,--models", o.models,
                   "The model directory: NAME.model files (with their sidecars) are served as model NAME; models "
                   "trained here are written there too")
        ->required()->type_name("DIR");
    app.add_option("--listen", o.listen, "Address to listen on (0.0.0.0: every interface)")->capture_default_str();
    app.add_option("-p,--port", o.port, "TCP port (0: any free port; see --port-file)")
        ->check(CLI::Range(0, 65535))->capture_default_str();
    app.add_option("--port-file", o.port_file, "Write the port listened on to FILE once listening")->type_name("FILE");
    app.add_option("--threads", o.threads, "Threads answering requests (default: the CPUs this process may use)")
        ->check(CLI::Range(1, 1024));
    app.add_option("--pipeline", o.pipelines,
                   "Serve a pipeline, repeatable: NAME='mlsplit | mlfeat … | mllink …' (the pipeline strings of mlmr); "
                   "documents in, its records out")->type_name("NAME=PIPELINE");
    app.add_option("--argument-models", o.argument_models,
                   "The models of the default pipeline 'arguments' (default: the shipped ones)")->type_name("DIR");
    app.add_flag("--no-default-pipeline", o.no_default_pipeline, "Do not serve the argument-mining pipeline 'arguments'");
    app.add_option("--token-file", o.token_file,
                   "Bearer tokens, one per line: required for every write (train, delete, load, unload), and for "
                   "reads with --auth all")->type_name("FILE");
    app.add_option("--auth", o.auth, "What needs a token: writes, or all (health and the page stay open)")
        ->check(CLI::IsMember({"writes", "all"}))->capture_default_str();
    app.add_option("--max-body", o.max_body, "Largest request body (suffixes K, M, G); larger gets 413")
        ->transform(CLI::AsSizeValue(false))->default_str("64M");
    app.add_option("--max-rows", o.max_rows, "Most rows (or documents) one inference request may hold")
        ->check(CLI::Range(std::uint64_t(1), std::uint64_t(1) << 40))->capture_default_str();
    app.add_option("--train-workers", o.train_workers, "Training jobs run at once")
        ->check(CLI::Range(1, 64))->capture_default_str();
    app.add_option("--max-jobs", o.max_jobs, "Training jobs that may wait; more get 429")
        ->check(CLI::Range(std::size_t(1), std::size_t(100000)))->capture_default_str();
    app.add_flag("--no-training", o.no_training, "Serve only: the train routes answer 403");
    app.add_option("--idle-timeout", o.idle_timeout, "Seconds a keep-alive connection may stay idle")
        ->check(CLI::Range(1, 86400))->capture_default_str();
    app.add_flag("-q,--quiet", o.quiet, "No access log (one line per request on stderr)");
    if (!mlpipe::parse_command_line(app, argc, argv)) return 0;
    if (o.auth == "all" && o.token_file.empty()) throw mlpipe::Error::usage("--auth all needs --token-file");
    return run_server(o);
  });
}
