#include "mlpipe/serve/model_files.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"
#include "mlpipe/serve/request_error.h"

using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::testing::TempDir;
namespace fs = std::filesystem;
using Versions = std::vector<std::uint64_t>;
using Names = std::vector<std::string>;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Version N of NAME as a training job leaves it: the model, then its sidecar.
void write_version(const ModelFiles& files, const std::string& name, std::uint64_t n) {
  const fs::path model = files.version_path(name, n);
  write_file(model, "model " + std::to_string(n));
  write_file(model.string() + ".json", "sidecar " + std::to_string(n));
}

}  // namespace

TEST_CASE("valid_name: what may name a model, a pipeline or a job") {
  struct Case {
    std::string name;
    bool valid;
  };
  const Case cases[] = {
      {"m", true},
      {"iris", true},
      {"Model_2.v1-final", true},
      {"0", true},
      {"a.b", true},
      {"a-", true},
      {"a_", true},
      {std::string(64, 'a'), true},
      {std::string(65, 'a'), false},
      {"", false},
      {".", false},
      {"..", false},
      {"a..b", false},
      {"a..", false},
      {".hidden", false},
      {"-flag", false},
      {"_private", false},
      {"a/b", false},
      {"../x", false},
      {"/etc", false},
      {"a\\b", false},
      {"a b", false},
      {"a%2fb", false},
      {"a:b", false},
      {"a\nb", false},
      {std::string("a\0b", 3), false},
      {"caf\xC3\xA9", false},  // UTF-8: letters beyond ASCII are not name characters
      {"\xE6\x97\xA5\xE6\x9C\xAC", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(valid_name(c.name) == c.valid);
    bool thrown = false;
    try {
      check_name("model", c.name);
    } catch (const RequestError& e) {
      thrown = true;
      CHECK(e.status() == 400);
      const std::string message = "model '" + c.name +
                                  "': a name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or "
                                  "digit (no '..')";
      CHECK(std::string(e.what()) == message.c_str());  // what() ends at a NUL of the name
    }
    CHECK(thrown == !c.valid);
  }
}

TEST_CASE("the paths of a model and its versions") {
  ModelFiles files("/srv/models");
  CHECK(files.dir() == fs::path("/srv/models"));
  CHECK(files.model_path("iris") == fs::path("/srv/models/iris.model"));
  CHECK(files.versions_dir("iris") == fs::path("/srv/models/.mlserve/versions/iris"));
  CHECK(files.version_path("iris", 12) == fs::path("/srv/models/.mlserve/versions/iris/12.model"));
  CHECK(files.jobs_dir() == fs::path("/srv/models/.mlserve/jobs"));
}

TEST_CASE("versions: only complete ones, in numeric order") {
  TempDir dir;
  ModelFiles files(dir.path);
  CHECK(files.versions("m") == Versions{});
  for (std::uint64_t n : {2, 10, 1}) write_version(files, "m", n);
  const fs::path v = files.versions_dir("m");
  write_file(v / "3.model", "a model whose sidecar is not written yet");
  write_file(v / "4.model.json", "a sidecar without its model");
  write_file(v / "0.model", "");
  write_file(v / "0.model.json", "");
  write_file(v / "x.model", "");
  write_file(v / "x.model.json", "");
  write_file(v / "05.model.json", "");
  write_file(v / "2.model.range", "");
  CHECK(files.versions("m") == Versions{1, 2, 10});
  CHECK(files.versions("other") == Versions{});
}

TEST_CASE("served: the highest complete version, else DIR/NAME.model as version 1") {
  TempDir dir;
  ModelFiles files(dir.path);
  CHECK_FALSE(files.served("m"));

  write_file(files.model_path("m"), "by mltrain");
  std::optional<ModelFiles::Served> s = files.served("m");
  REQUIRE(s);
  CHECK(s->path == files.model_path("m"));
  CHECK(s->version == 1);

  write_version(files, "m", 1);
  write_version(files, "m", 2);
  write_file(files.version_path("m", 3), "half a version");
  s = files.served("m");
  REQUIRE(s);
  CHECK(s->path == files.version_path("m", 2));
  CHECK(s->version == 2);

  // Versions alone, without DIR/NAME.model.
  write_version(files, "v", 7);
  s = files.served("v");
  REQUIRE(s);
  CHECK(s->version == 7);
}

TEST_CASE("names: model files of valid names, and names with versions") {
  TempDir dir;
  ModelFiles files(dir.path);
  CHECK(files.names() == Names{});
  for (const char* f : {"iris.model", "cancer.model", "cancer.model.json", ".hidden.model", "a b.model",
                        "notes.txt", "x.model.range", "-x.model"})
    write_file(fs::path(dir.path) / f, "");
  fs::create_directories(fs::path(dir.path) / "dir.model");
  write_version(files, "trained", 1);
  fs::create_directories(files.versions_dir("empty"));
  write_file(files.version_path("partial", 1), "no sidecar yet");
  CHECK(files.names() == Names{"cancer", "iris", "trained"});
}

TEST_CASE("publish: version N becomes DIR/NAME.model, with its sidecar and range file") {
  TempDir dir;
  ModelFiles files(dir.path);
  write_version(files, "m", 1);
  write_file(files.version_path("m", 1).string() + ".range", "range 1");
  files.publish("m", 1);
  const std::string model = files.model_path("m").string();
  CHECK(read_file(model) == "model 1");
  CHECK(read_file(model + ".json") == "sidecar 1");
  CHECK(read_file(model + ".range") == "range 1");

  // A version without a range file takes the old one away.
  write_version(files, "m", 2);
  files.publish("m", 2);
  CHECK(read_file(model) == "model 2");
  CHECK(read_file(model + ".json") == "sidecar 2");
  CHECK_FALSE(fs::exists(model + ".range"));
  // Nothing is left beside them.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.path)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == Names{".mlserve", "m.model", "m.model.json"});

  try {
    files.publish("m", 5);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.file() == files.version_path("m", 5).string());
  }
  CHECK(read_file(model) == "model 2");
}

TEST_CASE("remove: the model's files and every version, and nothing else") {
  TempDir dir;
  ModelFiles files(dir.path);
  CHECK_FALSE(files.remove("m"));
  write_version(files, "m", 1);
  files.publish("m", 1);
  write_file(files.model_path("m").string() + ".range", "");
  write_version(files, "mm", 1);
  write_file(files.model_path("m2"), "another");
  CHECK(files.remove("m"));
  CHECK_FALSE(fs::exists(files.model_path("m")));
  CHECK_FALSE(fs::exists(files.model_path("m").string() + ".json"));
  CHECK_FALSE(fs::exists(files.model_path("m").string() + ".range"));
  CHECK_FALSE(fs::exists(files.versions_dir("m")));
  CHECK_FALSE(files.served("m"));
  CHECK(files.versions("mm") == Versions{1});
  CHECK(fs::exists(files.model_path("m2")));
  CHECK_FALSE(files.remove("m"));
  // A model of versions only.
  CHECK(files.remove("mm"));
  CHECK(files.names() == Names{"m2"});
}
