// Where the service keeps models on disk, and the one rule for their names.
//
//   DIR/NAME.model, DIR/NAME.model.json    the model a program (mlclassify -m) finds: the shipped
//                                          ones, those mltrain wrote, the latest one trained here
//   DIR/.mlserve/versions/NAME/N.model     every version trained by the service (N = 1, 2, …),
//   DIR/.mlserve/versions/NAME/N.model.json  never changed once written
//   DIR/.mlserve/jobs/ID.json              a training job's record; ID.data its rows while queued
//
// A name with versions is served from its highest complete version (the sidecar is written
// last, so a version with both files is whole); a name without, from DIR/NAME.model as
// version 1. Versions are immutable so that loading one never meets a half-replaced pair.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::serve {

// Model, pipeline and job names: 1 to 64 of [A-Za-z0-9._-], starting with a letter or digit.
// Nothing else reaches a path: no '/', no "..", no hidden files.
bool valid_name(std::string_view name);
// Throws RequestError 400 "WHAT 'NAME': a name is 1 to 64 letters, digits, '.', '_' or '-', …".
void check_name(std::string_view what, std::string_view name);

class ModelFiles {
 public:
  explicit ModelFiles(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path model_path(std::string_view name) const;          // DIR/NAME.model
  std::filesystem::path versions_dir(std::string_view name) const;        // DIR/.mlserve/versions/NAME
  std::filesystem::path version_path(std::string_view name, std::uint64_t version) const;  // …/N.model
  std::filesystem::path jobs_dir() const;                                  // DIR/.mlserve/jobs

  // Every model name: DIR/*.model with a valid name, and names with versions.
  std::vector<std::string> names() const;
  // The complete versions of NAME, ascending.
  std::vector<std::uint64_t> versions(std::string_view name) const;
  // What to serve for NAME: its highest complete version, else DIR/NAME.model as version 1;
  // nothing when neither exists.
  struct Served {
    std::filesystem::path path;
    std::uint64_t version = 1;
  };
  std::optional<Served> served(std::string_view name) const;

  // Makes version N (N.model and N.model.json, both written) the one programs find at
  // DIR/NAME.model: copies each to a temporary beside it and renames it in place, the sidecar
  // last. Throws Error naming the file on failure.
  void publish(std::string_view name, std::uint64_t version) const;
  // Removes DIR/NAME.model, its sidecar and range file, and every version. False when there was none.
  bool remove(std::string_view name) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace mlpipe::serve
