#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/record.h"
#include "mlpipe/mapreduce/shared_files.h"
#include "mlpipe/pipeline/pipeline.h"

using namespace mlpipe;
using namespace mlpipe::mapreduce;
namespace fs = std::filesystem;

namespace {

// Files in memory, counting what is asked of it.
class MemoryFiles : public FileSource {
 public:
  std::map<std::string, std::string> files;
  mutable int reads = 0, lookups = 0;
  std::string read(const std::string& path) const override {
    ++reads;
    auto it = files.find(path);
    if (it == files.end()) throw Error(path, 0, "cannot open: No such file or directory");
    return it->second;
  }
  bool exists(const std::string& path) const override {
    ++lookups;
    return files.count(path) > 0;
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.file() + ": " + e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a recording source reads each file once and remembers every answer") {
  MemoryFiles disk;
  disk.files["claim_model"] = "svm_type c_svc\n";
  disk.files["claim_model.json"] = "{}";
  RecordingFileSource recording(disk);
  CHECK(recording.read("claim_model") == "svm_type c_svc\n");
  CHECK(recording.exists("claim_model.json"));
  CHECK_FALSE(recording.exists("other.json"));
  CHECK(error_of([&] { recording.read("missing"); }) == "missing: cannot open: No such file or directory");

  // Asked again: the first answers, even after the files changed.
  disk.files["claim_model"] = "changed";
  disk.files["other.json"] = "{}";
  CHECK(recording.read("claim_model") == "svm_type c_svc\n");
  CHECK_FALSE(recording.exists("other.json"));
  CHECK(error_of([&] { recording.read("missing"); }) == "missing: cannot open: No such file or directory");
  CHECK(disk.reads == 2);
  CHECK(disk.lookups == 2);

  const FileAnswers& a = recording.answers();
  CHECK(a.files() == 1);
  CHECK(a.bytes() == 15);
}

TEST_CASE("a serving source gives another rank the recorded answers, and refuses other paths") {
  MemoryFiles disk;
  std::string binary("a\0b\n", 4);
  disk.files["m"] = binary;
  disk.files["empty"] = "";
  RecordingFileSource recording(disk);
  recording.read("m");
  recording.read("empty");
  recording.exists("m.json");
  recording.exists("m");
  CHECK_THROWS(recording.read("gone"));

  FileAnswers copy = FileAnswers::unpack(recording.answers().pack());
  CHECK(copy.files() == 2);
  CHECK(copy.bytes() == 4);
  ServingFileSource served(std::move(copy));
  CHECK(served.read("m") == binary);
  CHECK(served.read("empty").empty());
  CHECK(served.exists("m"));
  CHECK_FALSE(served.exists("m.json"));
  // The same error as on rank 0, located at the same file.
  CHECK(error_of([&] { served.read("gone"); }) == "gone: cannot open: No such file or directory");
  // Never asked on rank 0: refused, not looked up on this rank.
  CHECK(error_of([&] { served.read("other"); }).rfind("other: rank 0 did not read this file", 0) == 0);
  CHECK(error_of([&] { served.exists("other"); }).rfind("other: rank 0 did not read this file", 0) == 0);
  // A file that was only looked for is not served either.
  CHECK(error_of([&] { served.read("m.json"); }).rfind("m.json: rank 0 did not read this file", 0) == 0);

  // Nothing recorded: an empty pack.
  RecordingFileSource none(disk);
  CHECK(none.answers().pack().empty());
  CHECK(FileAnswers::unpack("").reads.empty());
}

TEST_CASE("a pack cut short is an error, not a crash") {
  MemoryFiles disk;
  disk.files["model"] = std::string(100, 'x');
  RecordingFileSource recording(disk);
  recording.read("model");
  std::string packed = recording.answers().pack();
  for (std::size_t n : {std::size_t(1), std::size_t(5), std::size_t(20), packed.size() - 1}) {
    CAPTURE(n);
    CHECK_THROWS_AS(FileAnswers::unpack(std::string_view(packed).substr(0, n)), Error);
  }
  packed[0] = 9;
  CHECK_THROWS_AS(FileAnswers::unpack(packed), Error);
}

namespace {

// What `stage` writes for `line`.
std::string output_of(const Stage& stage, const std::string& line) {
  static const std::string name = "test";
  Batch batch;
  Batch::from_lines(batch, line + "\n", &name);
  Executor exec(stage, 1, ErrorPolicy{});
  std::string out, rest;
  exec.process(batch, out);
  exec.finish(rest);
  return out + rest;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("real stages built from a recording of rank 0's files need none of them on disk") {
  fs::path dir = fs::temp_directory_path() / "mlmr-shared-files-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "spec");
  const fs::path pairs = fs::path(MLPIPE_TEST_DATA) / "pairs";
  const fs::path samples = fs::path(MLPIPE_SAMPLES) / "models";
  // Names without '/' or '.' in the arguments' last part, and files no argument names: the
  // sidecars, and the vocabulary the spec names (relative to the spec's directory).
  fs::copy_file(pairs / "sentence.model", dir / "claim_model");
  fs::copy_file(pairs / "sentence.model.json", dir / "claim_model.json");
  fs::copy_file(pairs / "link.model", dir / "link");
  fs::copy_file(pairs / "link.model.json", dir / "link.json");
  fs::copy_file(samples / "vocab.tsv", dir / "spec" / "vocab.tsv");
  std::string spec = slurp(samples / "features.json");
  // Without its feature groups (the syntax group's parser is slow to load), and without the
  // topic field that comes with them.
  spec.erase(spec.find(R"(,"groups":[)"));
  spec += "}\n";
  std::ofstream(dir / "spec" / "features") << spec;
  const std::string d = dir.string();
  const auto words = pipeline::split_pipeline("mlfeat --spec " + d + "/spec/features | mlclassify -m claim=" + d +
                                    "/claim_model | mllink -m " + d + "/link");

  RecordingFileSource recording(local_files());
  std::vector<std::unique_ptr<Stage>> built;
  for (pipeline::StageSpec& s : pipeline::parse_pipeline(words, pipeline::known_tools()))
    built.push_back(s.factory(recording));
  const FileAnswers& answers = recording.answers();
  CHECK(answers.files() == 6);  // the spec, its vocabulary, two models and their sidecars
  CHECK(answers.reads.count(d + "/spec/vocab.tsv") == 1);
  CHECK(answers.reads.count(d + "/claim_model.json") == 1);
  CHECK(answers.reads.count(d + "/link.json") == 1);
  std::string packed = answers.pack();

  fs::remove_all(dir);  // another rank's view: none of the files
  ServingFileSource served(FileAnswers::unpack(packed));
  std::vector<std::unique_ptr<Stage>> copies;
  for (pipeline::StageSpec& s : pipeline::parse_pipeline(words, pipeline::known_tools()))
    copies.push_back(s.factory(served));

  const std::string sentence = R"({"doc":"a","text":"Studies show that taxes should fall."})";
  CHECK(output_of(*copies[0], sentence) == output_of(*built[0], sentence));
  const std::string scored = R"({"doc":"a","features":{"idx":[3,7,9],"val":[0.5,0.5,0.7071]}})";
  CHECK(output_of(*copies[1], scored) == output_of(*built[1], scored));
  CHECK(output_of(*copies[1], scored).find(R"("scores":{"claim":)") != std::string::npos);
  std::ifstream pair_file(pairs / "pairs.ndjson");
  std::string pair;
  std::getline(pair_file, pair);
  CHECK(output_of(*copies[2], pair) == output_of(*built[2], pair));

  // Built again from the local files, now gone: each stage's first file is missing.
  CHECK_THROWS_AS(pipeline::parse_pipeline(words, pipeline::known_tools())[1].factory(local_files()), Error);
}
