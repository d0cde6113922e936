// The models the service answers with, by name: loaded from ModelFiles, swapped whole when a
// new version is published or a file changes (SIGHUP), unloaded and loaded on request. A
// request takes a shared pointer to the model it uses, so a swap never changes a model under
// a request, and the old one goes when its last request ends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mlpipe/serve/model_files.h"
#include "mlpipe/serve/served_model.h"

namespace mlpipe::serve {

class ModelStore {
 public:
  explicit ModelStore(ModelFiles files);

  const ModelFiles& files() const { return files_; }

  // Loads every model ModelFiles names, and again any whose file has changed since it was
  // loaded; a changed file without versions counts as the next version. A model that fails
  // to load is kept as unavailable with its reason (and the one before it, if any, served).
  // Returns one line per change or failure, for the log.
  std::vector<std::string> refresh();

  // The model served under `name`, or null.
  std::shared_ptr<const ServedModel> find(const std::string& name) const;

  // Loads the served file of `name` now (after training, or on a load request). Throws
  // Error when there is none or it cannot be loaded; the model served before stays.
  std::shared_ptr<const ServedModel> load(const std::string& name);
  // Stops serving `name` until it is loaded again. False when it was not being served.
  bool unload(const std::string& name);
  // Forgets `name` (after its files were removed).
  void forget(const std::string& name);

  struct Entry {
    std::string name;
    std::shared_ptr<const ServedModel> model;  // null: not served
    std::string reason;                        // why not, or why the last load failed
  };
  std::vector<Entry> entries() const;  // by name

 private:
  struct Slot {
    std::shared_ptr<const ServedModel> model;
    std::string reason;
    bool unloaded = false;
    std::filesystem::file_time_type loaded_mtime{};  // of the file the model came from
    std::uintmax_t loaded_size = 0;
    std::uint64_t local_version = 0;                  // unversioned files: bumped when the file changes
  };
  // Loads `name`'s served file as its next version (a file replaced in place) or as the
  // version its file says, with no lock held while the model is read, so that requests for
  // other models, and for this one's current version, go on meanwhile.
  std::shared_ptr<const ServedModel> load_next(const std::string& name, bool count_change);

  ModelFiles files_;
  std::mutex load_mutex_;     // one load at a time, so that versions of a file count in order
  mutable std::mutex mutex_;  // guards slots_; held only to look up or swap
  std::map<std::string, Slot> slots_;
};

}  // namespace mlpipe::serve
