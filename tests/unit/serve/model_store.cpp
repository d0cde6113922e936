#include "mlpipe/serve/model_store.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A small model of the test data, with its sidecar, as DIR/NAME.model.
void put_model(const TempDir& dir, const std::string& name) {
  const std::string from = std::string(MLPIPE_TEST_DATA) + "/model/iris-named.model";
  const fs::path to = fs::path(dir.path) / (name + ".model");
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::copy_file(from + ".json", to.string() + ".json", fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("a model file replaced in place is the next version; the same file loaded again is not") {
  TempDir dir;
  put_model(dir, "m");
  ModelStore store{ModelFiles(dir.path)};
  CHECK(store.refresh().size() == 1);
  REQUIRE(store.find("m"));
  CHECK(store.find("m")->version() == 1);

  // A load request, and a refresh, with nothing changed.
  CHECK(store.load("m")->version() == 1);
  CHECK(store.refresh().empty());
  CHECK(store.find("m")->version() == 1);

  // The file replaced (here: rewritten later): a refresh serves it as version 2.
  const fs::path path = fs::path(dir.path) / "m.model";
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
  CHECK(store.refresh().size() == 1);
  CHECK(store.find("m")->version() == 2);
  CHECK(store.load("m")->version() == 2);

  // Unloaded, then loaded again: the same version.
  CHECK(store.unload("m"));
  CHECK_FALSE(store.find("m"));
  CHECK(store.refresh().empty());  // an unloaded model stays so
  CHECK(store.load("m")->version() == 2);

  // A file that cannot be loaded keeps the model before it, and the version it had.
  fs::resize_file(path, 100);
  CHECK(store.refresh().size() == 1);
  CHECK(store.find("m")->version() == 2);
  CHECK_THROWS_AS(store.load("m"), Error);
  CHECK(store.find("m")->version() == 2);
  put_model(dir, "m");
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(10));
  store.refresh();
  CHECK(store.find("m")->version() == 3);
}
