#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/record.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/features/stage_mlfeat.h"
#include "mlpipe/features/vocabulary.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {
const std::string kName = "in.ndjson";

// Runs `stage` over NDJSON `lines` with `threads` workers; returns the output.
std::string run(const Stage& stage, const std::string& lines, int threads = 1) {
  Batch batch;
  Batch::from_lines(batch, std::string(lines), &kName);
  Executor exec(stage, threads, ErrorPolicy{});
  std::string out, rest;
  exec.process(batch, out);
  exec.finish(rest);
  return out + rest;
}

std::string error_of(const Stage& stage, const std::string& lines) {
  try {
    run(stage, lines);
  } catch (const Error& e) {
    return std::to_string(e.line()) + ": " + e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("fields pass through; features replaced and appended") {
  FeatureSettings s;
  s.spec.hash_bits = 4;
  FeatureStage stage(s, local_files());
  CHECK(stage.concurrent());
  std::string out = run(stage, R"({"a":1,"features":[1],"text":"Cats cats","z":{"k":[1,2]}})"
                               "\n");
  CHECK(out.rfind(R"({"a":1,"text":"Cats cats","z":{"k":[1,2]},"features":{"idx":[)", 0) == 0);
  // The vector names its spec by digest (core/spec_digest.h).
  const std::string spec = R"(,"spec":")" + mlpipe::feature_spec_digest(canonical_spec_json(stage.spec())) + "\"";
  CHECK(out.find(R"("val":[1])" + spec + "}}") != std::string::npos);
  CHECK(run(stage, R"({"text":""})"
                   "\n") == R"({"text":"","features":{"idx":[],"val":[])" + spec + "}}\n");
}

TEST_CASE("bad records name the field") {
  FeatureSettings s;
  FeatureStage stage(s, local_files());
  CHECK(error_of(stage, "{\"text\":\"ok\"}\n{\"x\":1}\n") == "2: field 'text': missing (expected a string)");
  CHECK(error_of(stage, "{\"text\":[1]}\n") == "1: field 'text': expected a string, found an array");
  CHECK(error_of(stage, "[1]\n") == "1: expected a JSON object, found an array");
  s.libsvm = true;
  FeatureStage svm(s, local_files());
  CHECK(error_of(svm, "{\"text\":\"a\",\"label\":true}\n") ==
        "1: field 'label': expected a number, found a boolean (--to libsvm needs numeric labels)");
  CHECK(run(svm, "{\"text\":\"\",\"label\":-1.5e0}\n") == "-1.5e0\n");
}

TEST_CASE("output does not depend on the number of threads") {
  FeatureSettings s;
  s.spec.tokens.ngrams = 2;
  s.spec.tokens.char_min = 2;
  s.spec.tokens.char_max = 3;
  FeatureStage stage(s, local_files());
  std::string lines;
  for (int i = 0; i < 500; ++i)
    lines += "{\"i\":" + std::to_string(i) + ",\"text\":\"Sentence number " + std::to_string(i) +
             " says something about taxes and élan " + std::string(std::size_t(i % 7), 'x') + "\"}\n";
  CHECK(run(stage, lines, 1) == run(stage, lines, 2));
  CHECK(run(stage, lines, 1) == run(stage, lines, 3));
}

TEST_CASE("fitting holds records, writes the vocabulary, and matches applying it") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "mlfeat-stage-test";
  fs::create_directories(dir);
  std::string lines = "{\"text\":\"tax cuts now\"}\n{\"text\":\"tax rises\",\"n\":2}\n{\"text\":\"now\"}\n";
  FeatureSettings s;
  s.spec.tokens.ngrams = 2;
  s.spec.weight = Weight::tfidf;
  s.fit_path = (dir / "v.tsv").string();
  s.write_spec = (dir / "spec.json").string();
  FeatureStage fit(s, local_files());
  CHECK_FALSE(fit.concurrent());
  CHECK(fit.placement().kind == Placement::Kind::one_rank);
  std::string fitted = run(fit, lines);
  Vocabulary v = Vocabulary::read(s.fit_path, local_files());
  CHECK(v.docs() == 3);
  CHECK(v.terms().size() == 7);  // tax, tax cut, cut, cut now, now, tax rise, rise

  FeatureSettings apply;
  apply.spec = read_spec_file(s.write_spec, local_files());
  FeatureStage stage(apply, local_files());
  CHECK(stage.spec().vocab.digest == v.digest());
  CHECK(run(stage, lines) == fitted);
  CHECK(run(stage, lines, 2) == fitted);

  // A vocabulary that changed after the spec was written is refused.
  FeatureSettings other = s;
  other.spec.tokens.ngrams = 1;
  run(FeatureStage(other, local_files()), lines);
  CHECK_THROWS_WITH_AS(FeatureStage(apply, local_files()), doctest::Contains("the vocabulary has changed since the spec was written"),
                       Error);
  fs::remove_all(dir);
}

TEST_CASE("--write-spec is written by write_files, not when the stage is built") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "mlfeat-write-spec-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  FeatureSettings s;
  s.spec.hash_bits = 6;
  s.write_spec = (dir / "spec.json").string();
  FeatureStage stage(s, local_files());
  CHECK_FALSE(fs::exists(s.write_spec));
  run(stage, "{\"text\":\"a b\"}\n");
  CHECK_FALSE(fs::exists(s.write_spec));
  stage.write_files();
  CHECK(read_spec_file(s.write_spec, local_files()).hash_bits == 6);
  fs::remove_all(dir);
}
