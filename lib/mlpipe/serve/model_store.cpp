// See model_store.h.
#include "mlpipe/serve/model_store.h"

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe::serve {

namespace fs = std::filesystem;

ModelStore::ModelStore(ModelFiles files) : files_(std::move(files)) {}

std::shared_ptr<const ServedModel> ModelStore::load_next(const std::string& name, bool count_change) {
  std::optional<ModelFiles::Served> served = files_.served(name);
  if (!served) throw Error(files_.model_path(name).string(), 0, "no such model");
  std::error_code ec;
  fs::file_time_type mtime = fs::last_write_time(served->path, ec);
  std::uintmax_t size = fs::file_size(served->path, ec);
  std::uint64_t version = served->version;
  bool versioned = !files_.versions(name).empty();
  if (!versioned) {
    // A file replaced in place (mltrain -o, a cron job) is a new version of it; the same file
    // loaded again (a load request) is the same version.
    std::lock_guard lock(mutex_);
    const Slot& slot = slots_[name];
    bool replaced = count_change && (mtime != slot.loaded_mtime || size != slot.loaded_size);
    version = slot.local_version == 0 ? 1 : slot.local_version + (replaced ? 1 : 0);
  }
  std::shared_ptr<const ServedModel> model;
  try {
    model = std::make_shared<const ServedModel>(name, version, served->path.string());
  } catch (Error& e) {
    std::lock_guard lock(mutex_);
    slots_[name].reason = describe(e);
    throw;
  }
  std::lock_guard lock(mutex_);
  Slot& slot = slots_[name];
  if (!versioned) slot.local_version = version;
  slot.model = model;
  slot.reason.clear();
  slot.unloaded = false;
  slot.loaded_mtime = mtime;
  slot.loaded_size = size;
  return model;
}

std::vector<std::string> ModelStore::refresh() {
  std::lock_guard loading(load_mutex_);
  std::vector<std::string> log;
  for (const std::string& name : files_.names()) {
    std::optional<ModelFiles::Served> served = files_.served(name);
    if (!served) continue;
    bool changed, had_model;
    {
      std::lock_guard lock(mutex_);
      Slot& slot = slots_[name];
      if (slot.unloaded) continue;
      std::error_code ec;
      had_model = slot.model != nullptr;
      changed = !slot.model || slot.model->path() != served->path.string() ||
                fs::last_write_time(served->path, ec) != slot.loaded_mtime ||
                fs::file_size(served->path, ec) != slot.loaded_size;
    }
    if (!changed) continue;
    try {
      auto model = load_next(name, had_model);
      log.push_back(fmt::format("serving model '{}' version {} ({})", name, model->version(), model->path()));
    } catch (const Error& e) {
      log.push_back(fmt::format("model '{}' not loaded: {}", name, describe(e)));
    }
  }
  // Models whose files are gone stop being served.
  std::lock_guard lock(mutex_);
  for (auto& [name, slot] : slots_) {
    if (slot.model && !files_.served(name)) {
      slot.model.reset();
      slot.reason = "its files are gone";
      log.push_back(fmt::format("model '{}' no longer served: its files are gone", name));
    }
  }
  return log;
}

std::shared_ptr<const ServedModel> ModelStore::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(name);
  return it == slots_.end() ? nullptr : it->second.model;
}

std::shared_ptr<const ServedModel> ModelStore::load(const std::string& name) {
  std::lock_guard loading(load_mutex_);
  bool had_model;
  {
    std::lock_guard lock(mutex_);
    had_model = slots_[name].model != nullptr;
  }
  return load_next(name, had_model);
}

bool ModelStore::unload(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(name);
  if (it == slots_.end() || !it->second.model) return false;
  it->second.model.reset();
  it->second.unloaded = true;
  it->second.reason = "unloaded";
  return true;
}

void ModelStore::forget(const std::string& name) {
  std::lock_guard lock(mutex_);
  slots_.erase(name);
}

std::vector<ModelStore::Entry> ModelStore::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<Entry> out;
  for (const auto& [name, slot] : slots_) out.push_back({name, slot.model, slot.reason});
  return out;
}

}  // namespace mlpipe::serve
