// See model_files.h.
#include "mlpipe/serve/model_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/serve/request_error.h"

namespace mlpipe::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kModelSuffix = ".model";
constexpr std::string_view kSidecarSuffix = ".model.json";

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), 0, "cannot read the file");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  if (name.front() == '.' || name.front() == '-' || name.front() == '_') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), name_char);
}

void check_name(std::string_view what, std::string_view name) {
  if (!valid_name(name))
    throw RequestError::bad_request(
        fmt::format("{} '{}': a name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit "
                    "(no '..')",
                    what, name));
}

ModelFiles::ModelFiles(fs::path dir) : dir_(std::move(dir)) {}

fs::path ModelFiles::model_path(std::string_view name) const { return dir_ / (std::string(name) + ".model"); }

fs::path ModelFiles::versions_dir(std::string_view name) const {
  return dir_ / ".mlserve" / "versions" / std::string(name);
}

fs::path ModelFiles::version_path(std::string_view name, std::uint64_t version) const {
  return versions_dir(name) / fmt::format("{}.model", version);
}

fs::path ModelFiles::jobs_dir() const { return dir_ / ".mlserve" / "jobs"; }

std::vector<std::string> ModelFiles::names() const {
  std::set<std::string> found;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_, ec)) {
    std::string file = e.path().filename().string();
    if (!ends_with(file, kModelSuffix)) continue;
    std::string name = file.substr(0, file.size() - kModelSuffix.size());
    if (valid_name(name) && e.is_regular_file()) found.insert(name);
  }
  for (const fs::directory_entry& e : fs::directory_iterator(dir_ / ".mlserve" / "versions", ec)) {
    std::string name = e.path().filename().string();
    if (valid_name(name) && !versions(name).empty()) found.insert(name);
  }
  return {found.begin(), found.end()};
}

std::vector<std::uint64_t> ModelFiles::versions(std::string_view name) const {
  std::vector<std::uint64_t> out;
  std::error_code ec;
  fs::path dir = versions_dir(name);
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string file = e.path().filename().string();
    if (!ends_with(file, kSidecarSuffix)) continue;
    std::optional<std::uint64_t> n = parse_integer<std::uint64_t>(file.substr(0, file.size() - kSidecarSuffix.size()));
    if (n && *n > 0 && fs::is_regular_file(version_path(name, *n), ec)) out.push_back(*n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<ModelFiles::Served> ModelFiles::served(std::string_view name) const {
  std::vector<std::uint64_t> v = versions(name);
  if (!v.empty()) return Served{version_path(name, v.back()), v.back()};
  std::error_code ec;
  if (fs::is_regular_file(model_path(name), ec)) return Served{model_path(name), 1};
  return std::nullopt;
}

void ModelFiles::publish(std::string_view name, std::uint64_t version) const {
  fs::path from = version_path(name, version);
  fs::path to = model_path(name);
  // The range file (svm-scale's view of the scaling) follows its model, or goes: one left from
  // an earlier version would scale rows for libsvm's tools wrongly.
  std::error_code ec;
  fs::path range = from.string() + ".range";
  if (fs::exists(range, ec)) write_file_atomically(to.string() + ".range", read_whole(range));
  else fs::remove(to.string() + ".range", ec);
  write_file_atomically(to.string(), read_whole(from));
  write_file_atomically(to.string() + ".json", read_whole(from.string() + ".json"));
}

bool ModelFiles::remove(std::string_view name) const {
  std::error_code ec;
  bool any = false;
  fs::path model = model_path(name);
  for (const fs::path& p : {model, fs::path(model.string() + ".json"), fs::path(model.string() + ".range")})
    any |= fs::remove(p, ec);
  any |= fs::remove_all(versions_dir(name), ec) > 0;
  return any;
}

}  // namespace mlpipe::serve
