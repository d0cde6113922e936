// See job_record.h.
#include "mlpipe/serve/job_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"

namespace mlpipe::serve {

namespace {

constexpr std::array<std::pair<JobRecord::State, std::string_view>, 4> kStates{{
    {JobRecord::State::queued, "queued"},
    {JobRecord::State::running, "running"},
    {JobRecord::State::succeeded, "succeeded"},
    {JobRecord::State::failed, "failed"},
}};

}  // namespace

std::string_view state_name(JobRecord::State state) {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "?";
}

std::string JobRecord::to_json() const {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id").string(id);
  w.key("model").string(model);
  w.key("state").string(state_name(state));
  w.key("format").string(format);
  w.key("options").begin_array();
  for (const std::string& o : options) w.string(o);
  w.end_array();
  w.key("created").number(created);
  w.key("started").number(started);
  w.key("finished").number(finished);
  w.key("rows").integer(std::int64_t(rows));
  w.key("version").integer(std::int64_t(version));
  w.key("error").string(error);
  // The report is JSON already (an object from the sidecar): a client reads it as such.
  w.key("report");
  if (report.empty())
    w.null();
  else
    w.raw(report);
  w.end_object();
  return out;
}

JobRecord JobRecord::from_json(std::string_view json, const std::string& name) {
  JsonText text(json, name);
  JsonReader& r = text.reader();
  JobRecord job;
  try {
    auto required = [&r](std::string_view key) {
      std::optional<Field> f = r.find(key);
      if (!f) throw Error(fmt::format("no field '{}'", key));
      return *f;
    };
    job.id = std::string(r.get_string(required("id")));
    job.model = std::string(r.get_string(required("model")));
    const std::string_view state = r.get_string(required("state"));
    bool known = false;
    for (const auto& [s, word] : kStates)
      if (word == state) {
        job.state = s;
        known = true;
      }
    if (!known)
      throw Error(fmt::format("field 'state': expected queued, running, succeeded or failed, not '{}'", state));
    job.format = std::string(r.get_string(required("format")));
    r.get_strings(required("options"), job.options);
    // The rest is what a job learns as it goes: absent means not yet.
    if (std::optional<Field> f = r.find("created")) job.created = r.get_number(*f);
    if (std::optional<Field> f = r.find("started")) job.started = r.get_number(*f);
    if (std::optional<Field> f = r.find("finished")) job.finished = r.get_number(*f);
    if (std::optional<Field> f = r.find("rows")) job.rows = std::uint64_t(std::max<std::int64_t>(0, r.get_integer(*f)));
    if (std::optional<Field> f = r.find("version"))
      job.version = std::uint64_t(std::max<std::int64_t>(0, r.get_integer(*f)));
    if (std::optional<Field> f = r.find("error")) job.error = std::string(r.get_string(*f));
    if (std::optional<Field> f = r.find("report"); f && f->type == JsonType::object) job.report = std::string(f->raw);
  } catch (Error& e) {
    e.locate(name, 0);
    throw;
  }
  return job;
}

}  // namespace mlpipe::serve
