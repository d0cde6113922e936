#include "mlpipe/model/model_watch.h"

#include <sys/stat.h>

#include <ctime>
#include <exception>

#include <fmt/format.h>

#include "mlpipe/core/json_reader.h"
#include "mlpipe/model/sidecar.h"

namespace mlpipe {

FileIdentity identify(const std::string& path) {
  FileIdentity id;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return id;
  id.exists = true;
  id.dev = std::uint64_t(st.st_dev);
  id.ino = std::uint64_t(st.st_ino);
  id.size = std::int64_t(st.st_size);
  id.mtime_ns = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return id;
}

namespace {

// "written 2026-05-01T10:22:03Z, 300 training rows": when the model file was written (what
// mltrain wrote is its training time) and what the sidecar says of its data.
std::string describe(const Model& m, const FileIdentity& file) {
  std::time_t secs = std::time_t(file.mtime_ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string written = fmt::format("written {:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  const ModelInfo& info = m.info();
  if (!info.has_sidecar) return written + ", no sidecar";
  try {
    JsonText json(info.sidecar_json, "sidecar");
    JsonReader& r = json.reader();
    if (std::optional<Field> rows = r.find("training.rows"); rows && rows->type == JsonType::number)
      return fmt::format("{}, {} training rows", written, r.get_integer(*rows));
  } catch (const Error&) {
    // load_model read the sidecar already; a summary without the row count is enough here.
  }
  return written;
}

}  // namespace

std::string ModelWatch::Change::line(std::string_view tool, std::string_view name, const std::string& path) const {
  switch (kind) {
    case Kind::none: return {};
    case Kind::reloaded: return fmt::format("{}: reloaded {} from {} ({})", tool, name, path, detail);
    case Kind::refused: {
      Error e(error->file(), error->line(), fmt::format("{} ({}: keeping the model in use)", error->what(), name));
      return format_warning(tool, e);
    }
  }
  return {};
}

ModelWatch::ModelWatch(std::string path, const FileSource& files) : path_(std::move(path)), sidecar_(sidecar_path(path_)) {
  // The files as they were before the read: if they change during it, the first poll
  // sees a change and reads them again.
  loaded_ = identify_files();
  model_ = load_model(path_, files);
}

ModelWatch::Files ModelWatch::identify_files() const { return {identify(path_), identify(sidecar_)}; }

ModelWatch::Change ModelWatch::refuse(const Files& seen, Error why) {
  refused_ = seen;
  if (!why.has_location()) why.locate(path_, 0);
  Change c;
  c.kind = Change::Kind::refused;
  c.error = std::move(why);
  return c;
}

ModelWatch::Change ModelWatch::poll(const Check& check, bool retry_refused, Clock::time_point now) {
  Files seen = identify_files();
  if (seen == loaded_) return {};
  if (refused_ && seen == *refused_ && !retry_refused) return {};

  // mltrain renames the new model into place, then the new sidecar: in between, the model
  // is newer than the sidecar beside it, and the pair must not be read.
  if (seen.model.exists && seen.sidecar.exists && !(seen.model == loaded_.model) &&
      seen.sidecar.mtime_ns < seen.model.mtime_ns) {
    auto written = Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(seen.model.mtime_ns)));
    if (now - written < kSidecarWait) return {};
    return refuse(seen, Error(sidecar_, 0,
                              "older than its model, which was replaced without it (replace the sidecar too, or "
                              "touch it to use it with the new model)"));
  }

  Model fresh;
  std::optional<Error> failure;
  try {
    fresh = load_model(path_, local_files());
    if (check) check(fresh);
  } catch (Error& e) {
    failure = std::move(e);
  } catch (const std::bad_alloc&) {
    failure = Error(path_, 0, "out of memory while reading the model");
  } catch (const std::exception& e) {
    failure = Error(path_, 0, e.what());
  }
  // Files replaced while being read may have given a mix of two versions, or a
  // half-written file: read them again at the next poll.
  if (!(identify_files() == seen)) return {};
  if (failure) return refuse(seen, std::move(*failure));

  model_ = std::move(fresh);
  loaded_ = seen;
  refused_.reset();
  Change c;
  c.kind = Change::Kind::reloaded;
  c.detail = describe(model_, seen.model);
  return c;
}

}  // namespace mlpipe
