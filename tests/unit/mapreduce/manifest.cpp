#include "mlpipe/mapreduce/manifest.h"

#include <doctest/doctest.h>

#include <string>

using namespace mlpipe;
using namespace mlpipe::mapreduce;

namespace {
Plan two_inputs() {
  Plan plan;
  plan.files = {{"a.ndjson", 1000, 17}, {"b c.txt", 20, 0}};
  return plan;
}
}  // namespace

TEST_CASE("manifest: a plan written reads back with its ranks and partitions") {
  Plan plan = two_inputs();
  plan.ranks = 3;
  Partition p1, p2;
  p1.pieces = {{0, 0, 600}};
  p1.bytes = 600;
  p2.pieces = {{0, 600, 1000}, {1, 0, 20}};
  p2.bytes = 420;
  plan.parts = {p1, p2};
  std::string text = manifest_text("mlsplit | mlfeat", plan);
  std::string header = manifest_header("mlsplit | mlfeat", plan.files);
  CHECK(text.rfind(header, 0) == 0);
  Plan again = two_inputs();
  REQUIRE(read_manifest(text, header, again));
  CHECK(again.ranks == 3);
  REQUIRE(again.parts.size() == 2);
  CHECK(again.parts[1].pieces.size() == 2);
  CHECK(again.parts[1].pieces[1].file == 1);
  CHECK(again.parts[1].bytes == 420);
  // Another pipeline or other inputs: another run's manifest.
  CHECK_FALSE(read_manifest(text, manifest_header("mlsplit", plan.files), again));
}

TEST_CASE("manifest: pieces outside the inputs make it a manifest the run cannot trust") {
  Plan plan = two_inputs();
  std::string header = manifest_header("p", plan.files);
  CHECK(read_manifest(header + "ranks 2\npartition 1 0 20\n", header, plan));
  CHECK_FALSE(read_manifest(header + "ranks 2\npartition 2 0 10\n", header, plan));     // no third input
  CHECK_FALSE(read_manifest(header + "ranks 2\npartition 1 0 21\n", header, plan));     // past the end
  CHECK_FALSE(read_manifest(header + "ranks 2\npartition 0 500 400\n", header, plan));  // backwards
  CHECK_FALSE(read_manifest(header + "ranks 2\n", header, plan));                       // no partition
  CHECK_FALSE(read_manifest(header + "ranks 2\npartitions 0 0 1\n", header, plan));     // unknown line
}
