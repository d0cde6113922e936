#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/mapreduce/part_file.h"

using namespace mlpipe;
using mlpipe::testing::TempDir;
using namespace mlpipe::mapreduce;


TEST_CASE("part file: partitions committed in the journal survive a crash; the rest is cut") {
  TempDir d;
  std::string part = d.path + "/part-00000", journal = d.path + "/journal-00000";
  {
    PartFile f(part, journal, false);
    f.write("a1\na2\n");
    f.commit(3);
    f.write("b1\n");
    f.commit(5);
    f.write("c1 half-written");  // a crash in partition 6: never committed
  }
  // A torn journal line (no newline) is ignored.
  std::ofstream(journal, std::ios::app) << "6 99";
  CHECK(read_journal(journal).size() == 2);
  {
    PartFile f(part, journal, true);
    CHECK(f.committed(3));
    CHECK(f.committed(5));
    CHECK_FALSE(f.committed(6));
    CHECK(read_whole_file(part) == "a1\na2\nb1\n");
    f.write("c1\n");
    f.commit(6);
  }
  CHECK(read_whole_file(part) == "a1\na2\nb1\nc1\n");
  CHECK(read_journal(journal).at(6) == 12);
  // Without --resume both start empty.
  {
    PartFile f(part, journal, false);
    CHECK(f.committed_count() == 0);
  }
  CHECK(read_whole_file(part).empty());
  CHECK(read_journal(journal).empty());
}

TEST_CASE("part file shorter than its journal: a clear error, not zeros") {
  TempDir d;
  std::string part = d.path + "/part-00001", journal = d.path + "/journal-00001";
  {
    PartFile f(part, journal, false);
    f.write(std::string(100, 'x'));
    f.commit(0);
  }
  REQUIRE(truncate(part.c_str(), 10) == 0);
  CHECK_THROWS_WITH_AS(PartFile(part, journal, true), doctest::Contains("shorter (10 bytes) than its journal says (100)"),
                       Error);
}

TEST_CASE("journal text: one partition per complete line, a torn or unreadable line ignored") {
  auto parts = parse_journal("0 120\n2 300\nx y\n\n1 7\n3 4");
  CHECK(parts.size() == 3);
  CHECK(parts.at(0) == 120);
  CHECK(parts.at(2) == 300);
  CHECK(parts.at(1) == 7);
  CHECK(parts.count(3) == 0);  // no newline: torn by a crash
  CHECK(parse_journal("").empty());
}
