#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "mlpipe/core/file_source.h"
#include "mlpipe/pairs/pair_features.h"
#include "mlpipe/pairs/tool_mllink.h"

using namespace mlpipe;
namespace fs = std::filesystem;

TEST_CASE("mllink --write-spec is written by write_files, not when the stage is built") {
  fs::path dir = fs::temp_directory_path() / "mllink-write-spec-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  MllinkOptions o;
  o.features_only = true;
  o.dim = 16;
  o.write_spec = (dir / "pairs.json").string();
  auto stage = build_link_stage(mllink_settings(o), local_files());
  CHECK_FALSE(fs::exists(o.write_spec));
  stage->write_files();
  CHECK(read_pair_spec_file(o.write_spec, local_files()).dim == 16);
  fs::remove_all(dir);
}
