#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/core/file_source.h"

using namespace mlpipe;
namespace fs = std::filesystem;

TEST_CASE("the local file source reads whole files and says what is there") {
  fs::path dir = fs::temp_directory_path() / "mlpipe-file-source-test";
  fs::create_directories(dir);
  std::string path = (dir / "model").string();
  std::string bytes("first\nsecond\0third", 18);
  std::ofstream(path, std::ios::binary) << bytes;
  const FileSource& files = local_files();
  CHECK(files.read(path) == bytes);
  CHECK(files.exists(path));
  CHECK(files.exists(dir.string()));  // something is there; read() says what is wrong with it
  CHECK_FALSE(files.exists((dir / "none").string()));
  try {
    files.read((dir / "none").string());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.file() == (dir / "none").string());
    CHECK(std::string(e.what()) == "cannot open: No such file or directory");
  }
  CHECK_THROWS_AS(files.read(dir.string()), Error);  // a directory has no bytes to read
  std::ofstream(path, std::ios::binary | std::ios::trunc);
  CHECK(files.read(path).empty());
  fs::remove_all(dir);
}
