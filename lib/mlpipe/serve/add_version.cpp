// See add_version.h.
#include "mlpipe/serve/add_version.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe::serve {

namespace fs = std::filesystem;

namespace {

// The version a file of a versions directory belongs to: N of "N.model", "N.model.json",
// "N.model.range"; nothing for another name.
std::optional<std::uint64_t> version_of(const std::string& file) {
  const std::size_t dot = file.find('.');
  if (dot == std::string::npos || file.compare(dot, 6, ".model") != 0) return std::nullopt;
  return parse_integer<std::uint64_t>(std::string_view(file).substr(0, dot));
}

// rename(2): atomic within one file system, which the jobs and versions directories share
// (both under DIR/.mlserve).
void move_file(const fs::path& from, const fs::path& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0)
    throw Error(to.string(), 0, fmt::format("cannot move {} here: {}", from.string(), std::strerror(errno)));
}

}  // namespace

std::uint64_t next_version(const ModelFiles& files, std::string_view name) {
  std::uint64_t highest = 0;
  if (std::optional<ModelFiles::Served> served = files.served(name)) highest = served->version;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(files.versions_dir(name), ec))
    if (std::optional<std::uint64_t> n = version_of(e.path().filename().string())) highest = std::max(highest, *n);
  return highest + 1;
}

std::uint64_t add_version(const ModelFiles& files, std::string_view name, const fs::path& trained) {
  const std::uint64_t version = next_version(files, name);
  std::error_code ec;
  fs::create_directories(files.versions_dir(name), ec);
  if (ec)
    throw Error(files.versions_dir(name).string(), 0, fmt::format("cannot create the directory: {}", ec.message()));
  const fs::path model = files.version_path(name, version);
  const fs::path sidecar = model.string() + ".json", range = model.string() + ".range";
  const fs::path trained_range = trained.string() + ".range";
  // The range file first, the sidecar last: once the sidecar is in, the version is whole.
  if (fs::exists(trained_range, ec)) move_file(trained_range, range);
  move_file(trained, model);
  move_file(trained.string() + ".json", sidecar);
  try {
    files.publish(name, version);
  } catch (...) {
    // Not served by the service either: without its sidecar the version is incomplete.
    // (DIR/NAME.model may hold the new model file by now, and its sidecar the old one's:
    // programs then refuse it by its checksum rather than score with a mismatched pair.)
    fs::remove(sidecar, ec);
    fs::remove(model, ec);
    fs::remove(range, ec);
    throw;
  }
  return version;
}

}  // namespace mlpipe::serve
