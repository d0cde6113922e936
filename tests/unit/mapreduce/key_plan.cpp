#include <doctest/doctest.h>

#include <set>

#include "mlpipe/mapreduce/key_plan.h"

using namespace mlpipe::mapreduce;

namespace {
SplitKey key(std::string name, std::uint64_t part, std::uint64_t rows, std::uint64_t columns, int writer) {
  SplitKey k;
  k.key = std::move(name);
  k.stat.first = {part, 0};
  k.stat.records = rows + columns;
  k.stat.rows = rows;
  k.stat.columns = columns;
  k.writer = writer;
  return k;
}

// Slices cover [0, rows) in order, without gaps or overlaps.
void check_cover(const SplitKey& k) {
  REQUIRE_FALSE(k.slices.empty());
  CHECK(k.slices.front().begin == 0);
  CHECK(k.slices.back().end == k.stat.rows);
  for (std::size_t i = 1; i < k.slices.size(); ++i) CHECK(k.slices[i].begin == k.slices[i - 1].end);
  for (const Slice& s : k.slices) CHECK(s.end > s.begin);
}
}  // namespace

TEST_CASE("key stats merge: earliest first record, counts add up") {
  KeyStat a, b;
  a.first = {3, 7};
  a.records = 2;
  a.rows = 1;
  b.first = {1, 9};
  b.records = 5;
  b.columns = 4;
  a.merge(b);
  CHECK(a.first == Tag{1, 9});
  CHECK(a.records == 7);
  CHECK(a.pairs() == 4);
  std::string bytes;
  a.append_counts(bytes);
  KeyStat back = KeyStat::from(a.first, bytes);
  CHECK(back.records == 7);
  CHECK(back.rows == 1);
  CHECK(back.columns == 4);
}

TEST_CASE("split keys travel as bytes") {
  std::string bytes;
  key("\"doc a\"", 4, 10, 20, 1).append_to(bytes);
  key("", 5, 1, 1, 0).append_to(bytes);
  std::size_t pos = 0;
  SplitKey k;
  REQUIRE(SplitKey::read(bytes, pos, k));
  CHECK(k.key == "\"doc a\"");
  CHECK(k.writer == 1);
  CHECK(k.stat.first == Tag{4, 0});
  CHECK(k.stat.columns == 20);
  REQUIRE(SplitKey::read(bytes, pos, k));
  CHECK(k.key.empty());
  CHECK_FALSE(SplitKey::read(bytes, pos, k));
}

TEST_CASE("balanced keys are not split") {
  SplitPolicy p{4, 1, 100};
  // Four keys of equal work, one per rank: none is above the fair share.
  std::vector<SplitKey> c;
  std::vector<double> loads(4, 0);
  for (int r = 0; r < 4; ++r) {
    c.push_back(key("k" + std::to_string(r), std::uint64_t(r), 100, 100, r));
    loads[std::size_t(r)] = c.back().stat.cost();
  }
  CHECK(plan_splits(c, loads, p).empty());
}

TEST_CASE("one huge key is cut over every rank; slices cover its rows") {
  SplitPolicy p{4, 1, 100};
  SplitKey big = key("big", 0, 1000, 1000, 0);
  std::vector<double> loads{big.stat.cost() + 50, 10, 10, 10};
  auto split = plan_splits({big}, loads, p);
  REQUIRE(split.size() == 1);
  CHECK(split[0].slices.size() == 16);  // a quarter of a fair share each
  check_cover(split[0]);
  std::set<int> ranks;
  for (const Slice& s : split[0].slices) ranks.insert(s.rank);
  CHECK(ranks.size() == 4);
}

TEST_CASE("slices: no more than rows, none below min_pairs, threads count as workers") {
  SplitPolicy p{2, 2, 100};
  SplitKey narrow = key("narrow", 0, 3, 100000, 0);  // only 3 rows to cut
  SplitKey small = key("small", 1, 5, 5, 1);          // below min_pairs
  std::vector<double> loads{narrow.stat.cost(), small.stat.cost() + 1};
  auto split = plan_splits({small, narrow}, loads, p);
  REQUIRE(split.size() == 1);
  CHECK(split[0].key == "narrow");
  CHECK(split[0].slices.size() == 3);
  check_cover(split[0]);

  // One rank of two threads: two slices, both on that rank.
  SplitPolicy one{1, 2, 1};
  SplitKey k = key("k", 0, 50, 50, 0);
  auto s1 = plan_splits({k}, {k.stat.cost()}, one);
  REQUIRE(s1.size() == 1);
  CHECK(s1[0].slices.size() == 8);
  for (const Slice& s : s1[0].slices) CHECK(s.rank == 0);
  // One worker: nothing to split over.
  CHECK(plan_splits({k}, {k.stat.cost()}, SplitPolicy{1, 1, 1}).empty());
}

TEST_CASE("slices even out what the writers already had") {
  // Rank 0 writes the big key and other work; rank 1 little: rank 1 gets more of the slices.
  SplitPolicy p{2, 1, 1};
  SplitKey big = key("big", 0, 1000, 3000, 0);
  std::vector<double> loads{big.stat.cost() + 1e6, 2e5};
  auto split = plan_splits({big}, loads, p);
  REQUIRE(split.size() == 1);
  double on[2] = {1e6, 2e5};
  for (const Slice& s : split[0].slices) on[s.rank] += double(s.end - s.begin) * 3000;
  CHECK(on[1] > on[0] * 0.75);
  CHECK(on[0] > on[1] * 0.75);
}

TEST_CASE("the plan is the same whatever the order of candidates; result by first record") {
  SplitPolicy p{3, 1, 1};
  SplitKey a = key("a", 5, 400, 400, 2), b = key("b", 1, 300, 300, 0);
  std::vector<double> loads{b.stat.cost(), 0, a.stat.cost()};
  auto x = plan_splits({a, b}, loads, p), y = plan_splits({b, a}, loads, p);
  REQUIRE(x.size() == 2);
  CHECK(x[0].key == "b");
  REQUIRE(y.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    REQUIRE(x[i].slices.size() == y[i].slices.size());
    for (std::size_t j = 0; j < x[i].slices.size(); ++j) {
      CHECK(x[i].slices[j].rank == y[i].slices[j].rank);
      CHECK(x[i].slices[j].end == y[i].slices[j].end);
    }
    check_cover(x[i]);
  }
}
