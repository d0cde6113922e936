// Following a model file while a stream runs: mlclassify and mllink with --reload, or on
// SIGHUP, switch to a model replaced on disk between two batches.
//
//   ModelWatch w("claim.model", files);            // loads it (Error like load_model)
//   ModelWatch::Change c = w.poll(check);          // at a batch boundary, no worker running
//   if (c.kind == ModelWatch::Change::Kind::reloaded) use(w.model());
//   if (auto line = c.line("mlclassify", "claim"); !line.empty()) print it on stderr
//
// A model is the pair MODEL + MODEL.json, and each file is known by its identity (device,
// inode, size, modification time in ns): a rename into place, a copy over it or an edit
// all change it. Rules, so that a stream never scores with half a model:
// - the pair is read only when it looks whole: mltrain renames the model into place and
//   then its sidecar, so a replaced model newer than its sidecar is a replacement under
//   way: wait (retry at the next poll); still so a second after the model was written, it
//   is refused (a model replaced without its sidecar; touch the sidecar to use it with the
//   new model). The second is counted from the model file's time, not from the poll that
//   first saw it: a stream idle for longer decides at its next batch;
// - files that change while being read are not used: the next poll reads them again;
// - a pair that fails to load, or that `check` refuses, leaves the model in use unchanged
//   and is reported once: the same files are neither read nor reported again (until
//   they change, or a SIGHUP asks for another look).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/core/error.h"
#include "mlpipe/model/model.h"

namespace mlpipe {

// What tells one version of a file from another; `exists` false when it cannot be stat'ed.
struct FileIdentity {
  bool exists = false;
  std::uint64_t dev = 0, ino = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// stat(2) of `path`, following symbolic links (a link switched to another version counts).
FileIdentity identify(const std::string& path);

class ModelWatch {
 public:
  // The wall clock: files' modification times are compared with it.
  using Clock = std::chrono::system_clock;
  // How long after it was written a model newer than its sidecar may wait for the sidecar.
  static constexpr Clock::duration kSidecarWait = std::chrono::seconds(1);

  // Throws Error to refuse a new model (its options would not hold for it).
  using Check = std::function<void(const Model&)>;

  struct Change {
    enum class Kind { none, reloaded, refused } kind = Kind::none;
    std::optional<Error> error;  // refused: why, located at the file at fault
    std::string detail;          // reloaded: "written 2026-05-01T10:22:03Z, 300 training rows"
    // The one stderr line for it ("" for none), `name` naming the model for the user:
    //   mlclassify: reloaded claim from m/claim.model (written …Z, 300 training rows)
    //   mlclassify: warning: m/claim.model:3: … (claim: keeping the model in use)
    std::string line(std::string_view tool, std::string_view name, const std::string& path) const;
  };

  // Loads the model at `path` and its sidecar from `files`; throws Error as load_model does.
  // Later polls look at the local file system: following files is for a program's own
  // stream (mlmr refuses --reload).
  ModelWatch(std::string path, const FileSource& files);

  const std::string& path() const { return path_; }
  const Model& model() const { return model_; }

  // Looks at the files; when they changed and look whole, loads the pair, runs `check` on
  // it and, when both succeed, makes it model(). `retry_refused`: look again at files
  // refused before (an explicit request, SIGHUP). Never throws Error.
  Change poll(const Check& check, bool retry_refused = false, Clock::time_point now = Clock::now());

 private:
  struct Files {
    FileIdentity model, sidecar;
    bool operator==(const Files&) const = default;
  };
  Files identify_files() const;
  Change refuse(const Files& seen, Error why);

  std::string path_, sidecar_;
  Model model_;
  Files loaded_;                  // the files model_ was read from
  std::optional<Files> refused_;  // reported once; not read again while unchanged
};

// When to look at the files: at every request (SIGHUP), and with --reload at most once per
// `interval`: a stat costs about a microsecond, but with --line-buffered a batch is one
// record, and two stats per record would cost a fast stream some of its rate.
class ReloadSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kInterval = std::chrono::milliseconds(5);

  explicit ReloadSchedule(bool polling, Clock::duration interval = kInterval) : polling_(polling), interval_(interval) {}
  bool polling() const { return polling_; }
  // Whether to poll at this boundary.
  bool due(bool requested, Clock::time_point now = Clock::now()) {
    if (!requested && (!polling_ || (started_ && now - last_ < interval_))) return false;
    last_ = now;
    started_ = true;
    return true;
  }

 private:
  bool polling_;
  Clock::duration interval_;
  bool started_ = false;
  Clock::time_point last_{};
};

}  // namespace mlpipe
