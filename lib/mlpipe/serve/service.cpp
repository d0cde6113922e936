// See service.h.
#include "mlpipe/serve/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/serve/oip_tensors.h"
#include "mlpipe/serve/request_error.h"
#include "mlpipe/serve/web_page.h"

namespace mlpipe::serve {

namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kNdjson = "application/x-ndjson";

// JSON bodies end with a newline, so that curl's output ends its line.
HttpResponse json_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

std::string error_json(std::string_view message) {
  std::string out;
  JsonWriter(out).begin_object().key("error").string(message).end_object();
  return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return out;
}

std::uint64_t count_lines(std::string_view text) {
  std::uint64_t n = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (nl > pos && !(nl == pos + 1 && text[pos] == '\r')) ++n;
    pos = nl + 1;
  }
  return n;
}

void require_method(const HttpRequest& r, std::initializer_list<std::string_view> allowed) {
  for (std::string_view m : allowed)
    if (r.method == m) return;
  throw RequestError(405, fmt::format("{} {}: the method is not allowed here (allowed: {})", r.method, r.path(),
                                      fmt::join(allowed, ", ")));
}

std::string decoded_name(std::string_view what, std::string_view segment) {
  std::string name = url_decode(segment);
  check_name(what, name);
  return name;
}

}  // namespace

Service::Service(ServiceOptions options, ModelStore& models, TrainingJobs* jobs, Tokens tokens,
                 const std::vector<std::pair<std::string, std::string>>& pipelines)
    : options_(options), models_(models), jobs_(jobs), tokens_(std::move(tokens)), pipeline_texts_(pipelines) {
  for (const auto& [name, text] : pipeline_texts_) {
    if (!valid_name(name)) throw Error::usage(fmt::format("--pipeline: '{}' is not a valid name (letters, digits, '.', '_', '-')", name));
    try {
      pipelines_[name] = std::make_shared<const ServedPipeline>(name, text);
    } catch (Error& e) {
      throw Error(e.file(), e.line(), fmt::format("--pipeline {}: {}", name, e.what()));
    }
  }
}

void Service::set_tokens(Tokens tokens) {
  std::lock_guard lock(mutex_);
  tokens_ = std::move(tokens);
}

std::shared_ptr<const ServedPipeline> Service::find_pipeline(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = pipelines_.find(name);
  return it == pipelines_.end() ? nullptr : it->second;
}

std::vector<std::string> Service::reload() {
  std::vector<std::string> log = models_.refresh();
  std::map<std::string, std::shared_ptr<const ServedPipeline>> rebuilt;
  for (const auto& [name, text] : pipeline_texts_) {
    try {
      rebuilt[name] = std::make_shared<const ServedPipeline>(name, text);
    } catch (const Error& e) {
      log.push_back(fmt::format("pipeline '{}' kept as it was: {}", name, describe(e)));
      rebuilt[name] = find_pipeline(name);
    }
  }
  std::lock_guard lock(mutex_);
  pipelines_ = std::move(rebuilt);
  return log;
}

void Service::published(const std::string& model, std::uint64_t version) {
  try {
    auto m = models_.load(model);
    if (options_.access_log)
      fmt::print(stderr, "mlserve: serving model '{}' version {} (trained here)\n", model, m->version());
  } catch (const Error& e) {
    fmt::print(stderr, "mlserve: model '{}' version {} was trained but cannot be loaded: {}\n", model, version,
               describe(e));
  }
}

HttpResponse Service::handle(HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  Route route = Route::other;
  std::uint64_t rows = 0;
  HttpResponse response;
  try {
    if (request.refused) throw RequestError(request.refused, request.refused_reason);
    response = dispatch(request, route, rows);
  } catch (const RequestError& e) {
    response = json_response(e.status(), error_json(e.what()));
    if (e.status() == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  } catch (const Error& e) {
    response = json_response(400, error_json(describe(e)));
  } catch (const std::bad_alloc&) {
    response = json_response(503, error_json("out of memory for this request"));
  } catch (const std::exception& e) {
    response = json_response(500, error_json(fmt::format("internal error: {}", e.what())));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(route, response.status, seconds);
  if (response.status < 300) metrics_.add_rows(rows);
  if (options_.access_log) {
    // One write per line, so that lines of concurrent requests do not interleave.
    std::string line = fmt::format("{} \"{} {}\" {} {} {:.3f}ms\n", request.remote.empty() ? "-" : request.remote,
                                   request.method, request.target, response.status, response.body.size(),
                                   seconds * 1e3);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  return response;
}

HttpResponse Service::dispatch(HttpRequest& request, Route& route, std::uint64_t& rows) {
  std::vector<std::string_view> seg = split_path(request.path());
  // POST /v2/repository/index is the protocol's way to read the index, not a write.
  bool write = request.method == "DELETE" || (seg.size() > 2 && seg[0] == "v2" && seg[1] == "repository" &&
                                              request.method == "POST" && seg[2] != "index");
  bool open = seg.empty() || (seg.size() >= 2 && seg[0] == "v2" && seg[1] == "health");
  {
    std::lock_guard lock(mutex_);
    if (tokens_.required() && !open && (write || options_.auth_reads) && !tokens_.allows(request.authorization))
      throw RequestError::unauthorized(request.authorization.empty()
                                           ? "this request needs a token (Authorization: Bearer TOKEN)"
                                           : "the token is not one of the server's (--token-file)");
  }

  if (seg.empty()) {
    route = Route::page;
    require_method(request, {"GET", "HEAD"});
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(web_page());
    return r;
  }
  if (seg.size() == 1 && seg[0] == "metrics") {
    route = Route::metrics;
    require_method(request, {"GET"});
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_.prometheus();
    r.body += "# HELP mlserve_model_version The version of each model served (absent: not served).\n";
    r.body += "# TYPE mlserve_model_version gauge\n";
    for (const ModelStore::Entry& e : models_.entries())
      if (e.model) r.body += fmt::format("mlserve_model_version{{model=\"{}\"}} {}\n", e.name, e.model->version());
    if (jobs_) {
      std::size_t by_state[4] = {};
      for (const JobRecord& j : jobs_->list()) ++by_state[std::size_t(j.state)];
      r.body += "# HELP mlserve_jobs Training jobs known, by state.\n# TYPE mlserve_jobs gauge\n";
      for (auto s : {JobRecord::State::queued, JobRecord::State::running, JobRecord::State::succeeded,
                     JobRecord::State::failed})
        r.body += fmt::format("mlserve_jobs{{state=\"{}\"}} {}\n", state_name(s), by_state[std::size_t(s)]);
    }
    return r;
  }
  if (seg[0] != "v2") throw RequestError::not_found(fmt::format("{}: no such resource (the API is under /v2)", request.path()));

  if (seg.size() == 1) {
    route = Route::metadata;
    require_method(request, {"GET"});
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("name").string("mlserve").key("version").string(version());
    w.key("extensions").begin_array().string("model_repository").string("training").end_array().end_object();
    return json_response(200, out);
  }
  if (seg[1] == "health" && seg.size() == 3 && (seg[2] == "live" || seg[2] == "ready")) {
    route = Route::health;
    require_method(request, {"GET"});
    bool ok = seg[2] == "live" || ready_;
    return json_response(ok ? 200 : 503, fmt::format("{{\"{}\":{}}}", seg[2], ok ? "true" : "false"));
  }

  if (seg[1] == "models" && seg.size() >= 3) {
    std::string name = decoded_name("model", seg[2]);
    std::size_t at = 3;
    std::optional<std::string> version;
    if (seg.size() >= 5 && seg[3] == "versions") {
      version = url_decode(seg[4]);
      at = 5;
    }
    std::string_view action = seg.size() > at ? seg[at] : std::string_view();
    if (seg.size() > at + 1 || (!action.empty() && action != "ready" && action != "infer"))
      throw RequestError::not_found(fmt::format("{}: no such resource", request.path()));
    route = action == "infer" ? Route::infer : Route::metadata;

    std::shared_ptr<const ServedModel> model = models_.find(name);
    std::shared_ptr<const ServedPipeline> pipe = model ? nullptr : find_pipeline(name);
    if (!model && !pipe) {
      bool known = false;
      for (const ModelStore::Entry& e : models_.entries()) known |= e.name == name;
      if (known && action == "ready") return json_response(503, fmt::format("{{\"name\":\"{}\",\"ready\":false}}", name));
      throw RequestError::not_found(fmt::format("model '{}' is not served{}", name, known ? " (unloaded or failed to load: see /v2/repository/index)" : ""));
    }
    std::string served_version = model ? fmt::format("{}", model->version()) : "1";
    if (version && *version != served_version)
      throw RequestError::not_found(fmt::format("model '{}': version {} is not served (version {} is)", name, *version,
                                                served_version));
    if (action.empty()) {
      require_method(request, {"GET"});
      return json_response(200, model ? model->metadata() : pipe->metadata());
    }
    if (action == "ready") {
      require_method(request, {"GET"});
      return json_response(200, fmt::format("{{\"name\":\"{}\",\"ready\":true}}", name));
    }
    require_method(request, {"POST"});
    // curl -d sends application/x-www-form-urlencoded unless told otherwise: a JSON body so
    // labelled is read as the JSON it is.
    if (request.content_type == "application/x-www-form-urlencoded") request.content_type = std::string(kJson);
    const std::string& type = request.content_type;
    if (pipe) {
      route = Route::pipeline;
      if (type == "text/plain") {
        std::string doc = "text";
        for (auto& [k, v] : parse_query(request.query()))
          if (k == "doc") doc = v;
        if (!pipe->reads_text()) throw RequestError::unsupported(fmt::format("pipeline '{}' reads NDJSON records (post application/x-ndjson)", name));
        rows = 1;
        HttpResponse r;
        r.content_type = std::string(kNdjson);
        r.body = pipe->run_documents({Document{doc, std::move(request.body)}});
        return r;
      }
      if (type == kNdjson) {
        if (pipe->reads_text())
          throw RequestError::unsupported(fmt::format(
              "pipeline '{}' reads text documents: post text/plain (one document) or JSON tensors (input 'text')", name));
        rows = count_lines(request.body);
        if (rows > options_.max_rows)
          throw RequestError::too_large(fmt::format("{} records, more than the limit of {} a request (--max-rows)", rows, options_.max_rows));
        HttpResponse r;
        r.content_type = std::string(kNdjson);
        r.body = pipe->run_records(std::move(request.body));
        return r;
      }
      if (type == kJson || type.empty()) {
        InferRequest in = request_parser_.parse(request.body, options_.max_rows);
        std::vector<Document> docs = documents_of(in);
        rows = docs.size();
        return json_response(200, pipeline_response(name, in, pipe->run_documents(docs)));
      }
      throw RequestError::unsupported(fmt::format("content type '{}': a pipeline takes application/json (tensors), text/plain or application/x-ndjson", type));
    }
    if (type == kNdjson || type == "text/csv") {
      rows = count_lines(request.body);
      if (type == "text/csv" && rows) --rows;  // the header
      if (rows > options_.max_rows)
        throw RequestError::too_large(fmt::format("{} rows, more than the limit of {} a request (--max-rows)", rows, options_.max_rows));
      HttpResponse r;
      r.content_type = std::string(kNdjson);
      r.body = type == kNdjson ? model->classify_records(std::move(request.body)) : model->classify_csv(std::move(request.body));
      return r;
    }
    if (type == kJson || type.empty()) {
      InferRequest in = request_parser_.parse(request.body, options_.max_rows);
      InferOutputs outputs = model->infer(in);
      rows = outputs.rows;
      return json_response(200, infer_response(name, served_version, in, outputs));
    }
    throw RequestError::unsupported(fmt::format("content type '{}': /infer takes application/json (tensors), application/x-ndjson or text/csv", type));
  }

  if (seg[1] == "repository") {
    route = Route::repository;
    if (seg.size() == 3 && seg[2] == "index") {
      require_method(request, {"GET", "POST"});
      std::string out;
      JsonWriter w(out);
      w.begin_array();
      for (const ModelStore::Entry& e : models_.entries()) {
        w.begin_object().key("name").string(e.name);
        if (e.model) w.key("version").string(fmt::format("{}", e.model->version()));
        w.key("state").string(e.model ? "READY" : "UNAVAILABLE").key("reason").string(e.reason).end_object();
      }
      std::lock_guard lock(mutex_);
      for (const auto& [name, p] : pipelines_)
        w.begin_object().key("name").string(name).key("version").string("1").key("state").string("READY")
            .key("reason").string("").key("pipeline").string(p->text()).end_object();
      w.end_array();
      return json_response(200, out);
    }
    if (seg.size() >= 4 && seg[2] == "models") {
      std::string name = decoded_name("model", seg[3]);
      if (seg.size() == 4) {
        require_method(request, {"DELETE"});
        if (jobs_)
          for (const JobRecord& j : jobs_->list())
            if (j.model == name && (j.state == JobRecord::State::queued || j.state == JobRecord::State::running))
              throw RequestError::conflict(fmt::format("model '{}': job {} is training it; delete it once the job is done", name, j.id));
        models_.unload(name);
        bool removed = models_.files().remove(name);
        models_.forget(name);
        if (!removed) throw RequestError::not_found(fmt::format("model '{}': no such model", name));
        return json_response(200, fmt::format("{{\"name\":\"{}\",\"deleted\":true}}", name));
      }
      if (seg.size() == 5 && seg[4] == "load") {
        require_method(request, {"POST"});
        if (!models_.files().served(name)) throw RequestError::not_found(fmt::format("model '{}': no such model", name));
        auto m = models_.load(name);
        return json_response(200, fmt::format("{{\"name\":\"{}\",\"version\":\"{}\",\"state\":\"READY\"}}", name, m->version()));
      }
      if (seg.size() == 5 && seg[4] == "unload") {
        require_method(request, {"POST"});
        if (!models_.unload(name)) throw RequestError::not_found(fmt::format("model '{}' is not being served", name));
        return json_response(200, fmt::format("{{\"name\":\"{}\",\"state\":\"UNAVAILABLE\"}}", name));
      }
      if (seg.size() == 5 && seg[4] == "train") {
        route = Route::train;
        require_method(request, {"POST"});
        if (!jobs_) throw RequestError(403, "training is off on this server (--no-training)");
        std::string format = request.content_type == "text/csv" ? "csv" : request.content_type == kNdjson ? "ndjson" : "";
        if (format.empty())
          throw RequestError::unsupported(fmt::format("content type '{}': training rows are text/csv (with a header) or application/x-ndjson", request.content_type));
        std::vector<std::string> words = mltrain_words(parse_query(request.query()));
        JobRecord job = jobs_->submit(name, format, std::move(words), std::move(request.body));
        HttpResponse r = json_response(202, job.to_json());
        r.headers.emplace_back("Location", "/v2/jobs/" + job.id);
        return r;
      }
    }
    throw RequestError::not_found(fmt::format("{}: no such resource", request.path()));
  }

  if (seg[1] == "jobs") {
    route = Route::train;
    require_method(request, {"GET"});
    if (!jobs_) throw RequestError(403, "training is off on this server (--no-training)");
    if (seg.size() == 2) {
      std::string out = "[";
      for (const JobRecord& j : jobs_->list()) {
        if (out.size() > 1) out += ',';
        out += j.to_json();
      }
      out += ']';
      return json_response(200, out);
    }
    if (seg.size() == 3) {
      std::string id = decoded_name("job", seg[2]);
      std::optional<JobRecord> job = jobs_->find(id);
      if (!job) throw RequestError::not_found(fmt::format("job '{}': no such job", id));
      return json_response(200, job->to_json());
    }
  }
  throw RequestError::not_found(fmt::format("{}: no such resource", request.path()));
}

}  // namespace mlpipe::serve
