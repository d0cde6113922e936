#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../core/compressed.h"
#include "mlpipe/core/error.h"
#include "mlpipe/mapreduce/partition.h"
#include "mlpipe/mapreduce/spool.h"

using namespace mlpipe;
using namespace mlpipe::mapreduce;

namespace {
std::string temp_file(const std::string& contents) {
  char name[] = "/tmp/mlmr-unit.XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(name, std::ios::binary) << contents;
  return name;
}

// Every record of [begin, end) as "line:text".
std::vector<std::string> read_range(const std::string& path, std::uint64_t begin, std::uint64_t end,
                                    std::uint64_t* base = nullptr) {
  std::string display = "f";
  InputLimits limits;
  limits.batch_bytes = 7;  // tiny: batches and reads end mid-line
  limits.max_record_bytes = 20;
  LineReader reader(path, &display, ByteRange{begin, end}, limits);
  std::vector<std::string> got;
  Batch batch;
  while (reader.next(batch))
    for (const Record& r : batch.records)
      got.push_back(std::to_string(r.line) + ":" + (r.too_long ? "<long>" : std::string(r.data)));
  if (base) *base = reader.line_base();
  return got;
}
}  // namespace

TEST_CASE("NDJSON partitions: byte ranges of about the target size, in input order") {
  std::vector<InputFile> files{{"a", 100, 0}, {"b", 0, 0}, {"c", 30, 0}};
  auto parts = plan_partitions(files, false, 40);
  REQUIRE(parts.size() == 4);
  CHECK(parts[0].pieces.size() == 1);
  CHECK(parts[0].pieces[0].end == 40);
  CHECK(parts[2].pieces[0].begin == 80);
  // The end of a, the empty b and the start of c share a partition.
  CHECK(parts[2].pieces.size() == 3);
  CHECK(parts[2].bytes == 40);
  std::uint64_t total = 0;
  for (const auto& p : parts) total += p.bytes;
  CHECK(total == 130);
}

TEST_CASE("text partitions never cut a file") {
  std::vector<InputFile> files{{"a", 10, 0}, {"b", 10, 0}, {"c", 100, 0}, {"d", 5, 0}};
  auto parts = plan_partitions(files, true, 15);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].pieces.size() == 2);
  CHECK(parts[1].pieces[0].file == 2);
  CHECK(parts[1].pieces[0].end == 100);
  CHECK(parts[2].pieces[0].file == 3);
}

TEST_CASE("owners: contiguous runs in rank order, about equal bytes") {
  std::vector<Partition> parts(8);
  for (auto& p : parts) p.bytes = 10;
  CHECK(assign_owners(parts, 4) == std::vector<int>{0, 0, 1, 1, 2, 2, 3, 3});
  CHECK(assign_owners(parts, 1) == std::vector<int>(8, 0));
  CHECK(assign_owners(parts, 3) == std::vector<int>{0, 0, 0, 1, 1, 2, 2, 2});
  std::vector<Partition> two(2);
  two[0].bytes = 100, two[1].bytes = 1;
  CHECK(assign_owners(two, 4) == std::vector<int>{1, 3});
  CHECK(auto_partition_bytes(0, 4) == (1u << 20));
  CHECK(auto_partition_bytes(std::uint64_t(64) << 30, 4) == (std::uint64_t(256) << 20));
}

TEST_CASE("a range holds the lines that start in it, whatever the cut") {
  // Lines start at 0, 4, 9, 10 (blank), 11, 13 (CRLF), the last has no newline.
  std::string text = "{a}\n{bb}\n\n \n{c}\r\n{dddd}";
  std::string path = temp_file(text);
  std::vector<std::string> whole = read_range(path, 0, text.size());
  CHECK(whole == std::vector<std::string>{"1:{a}", "2:{bb}", "5:{c}", "6:{dddd}"});
  // Any two cuts together give every line once, in order.
  for (std::uint64_t cut = 0; cut <= text.size(); ++cut) {
    CAPTURE(cut);
    std::uint64_t base = 0;
    auto left = read_range(path, 0, cut);
    auto right = read_range(path, cut, text.size(), &base);
    std::vector<std::string> joined;
    for (auto& l : left) joined.push_back(l.substr(l.find(':') + 1));
    for (auto& r : right) {
      std::uint64_t line = std::stoull(r.substr(0, r.find(':'))) + base;
      joined.push_back(r.substr(r.find(':') + 1));
      // Line numbers of the right part, converted, are the file's.
      auto it = std::find_if(whole.begin(), whole.end(), [&](const std::string& w) { return w.substr(w.find(':')) == r.substr(r.find(':')); });
      REQUIRE(it != whole.end());
      CHECK(std::to_string(line) == it->substr(0, it->find(':')));
    }
    std::vector<std::string> plain;
    for (auto& w : whole) plain.push_back(w.substr(w.find(':') + 1));
    CHECK(joined == plain);
  }
  std::remove(path.c_str());
}

TEST_CASE("an over-long line is one too_long record, and reading goes on after it") {
  std::string text = "{a}\n{" + std::string(50, 'x') + "}\n{b}\n";
  std::string path = temp_file(text);
  CHECK(read_range(path, 0, text.size()) == std::vector<std::string>{"1:{a}", "2:<long>", "3:{b}"});
  std::remove(path.c_str());
}

TEST_CASE("stat_inputs names the file it cannot use") {
  CHECK_THROWS_WITH_AS(stat_inputs({"/nonexistent/x.ndjson"}), doctest::Contains("cannot open"), Error);
  CHECK_THROWS_WITH_AS(stat_inputs({"/tmp"}), doctest::Contains("not a regular file"), Error);
  CHECK_THROWS_AS(stat_inputs({"-"}), Error);
}

TEST_CASE("shuffle entries round-trip; the hash is stable") {
  std::string buf;
  put_entry(buf, Tag{3, 7}, "\"k\"", "{\"a\":1}");
  put_entry(buf, Tag{0, 0}, "", "");
  std::size_t pos = 0;
  EntryView e;
  REQUIRE(get_entry(buf, pos, e));
  CHECK(e.tag == Tag{3, 7});
  CHECK(e.key == "\"k\"");
  CHECK(e.data == "{\"a\":1}");
  REQUIRE(get_entry(buf, pos, e));
  CHECK(e.data.empty());
  CHECK_FALSE(get_entry(buf, pos, e));
  CHECK(stable_hash("") == 14695981039346656037ull);
  CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(Tag{1, 9} < Tag{2, 0});
}

TEST_CASE("a spool maps what was written, padded for parsing in place") {
  Spool s("/tmp");
  s.write("hello ");
  s.write("world");
  CHECK(s.size() == 11);
  std::string part;
  s.read(6, 5, part);
  CHECK(part == "world");
  std::string_view all = s.map();
  CHECK(all == "hello world");
  CHECK(all.data()[all.size() + 63] == ' ');
}

TEST_CASE("compressed inputs: cut only between frames; a file without frames is one unit") {
  InputFile bgzf{"a.gz", 1000, 0, true, {100, 200, 300, 450, 600, 900}};
  InputFile gz{"b.gz", 500, 0, true, {}};
  InputFile plain{"c", 100, 0};
  auto parts = plan_partitions({bgzf, gz, plain}, false, 250);
  std::vector<std::string> got;
  for (const auto& p : parts) {
    std::string s;
    for (const auto& pc : p.pieces) s += fmt::format("{}:{}-{} ", pc.file, pc.begin, pc.end);
    got.push_back(s);
  }
  // a.gz to the first frame start that fills a share; b.gz whole; c by bytes, after b.gz.
  CHECK(got == std::vector<std::string>{"0:0-300 ", "0:300-600 ", "0:600-900 ", "0:900-1000 1:0-500 ", "2:0-100 "});
  // Every byte of every file is in exactly one piece, in order.
  std::uint64_t total = 0;
  for (const auto& p : parts) total += p.bytes;
  CHECK(total == 1600);
}

TEST_CASE("stat_inputs finds where a BGZF or multi-frame zstd file may be cut") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "{\"i\":" + std::to_string(i) + "}\n";
  std::string bgzf = test::bgzf(text, 500), zstd = test::zstd_frames(text, 700), gz = test::gzip_member(text);
  std::string a = temp_file(bgzf), b = temp_file(zstd), c = temp_file(gz), d = temp_file(text);
  auto files = stat_inputs({a, b, c, d});
  CHECK(files[0].compressed);
  CHECK(files[0].cuts.size() == (text.size() + 499) / 500 - 1);
  CHECK(files[0].cuts.front() == test::gzip_member(text.substr(0, 500), true).size());
  CHECK(files[1].compressed);
  CHECK(files[1].cuts.size() == (text.size() + 699) / 700 - 1);
  CHECK(files[2].compressed);
  CHECK(files[2].cuts.empty());
  CHECK_FALSE(files[3].compressed);
  // Partitions of the BGZF file read back the whole text, each line once.
  auto parts = plan_partitions({files[0]}, false, 100);
  CHECK(parts.size() > 2);
  std::vector<std::string> lines;
  for (const auto& p : parts)
    for (const auto& pc : p.pieces) {
      std::uint64_t base = 0;
      for (const std::string& s : read_range(a, pc.begin, pc.end, &base)) lines.push_back(s.substr(s.find(':') + 1));
    }
  CHECK(lines.size() == 300);
  CHECK(lines[299] == "{\"i\":299}");
  for (const std::string& f : {a, b, c, d}) ::unlink(f.c_str());
}
