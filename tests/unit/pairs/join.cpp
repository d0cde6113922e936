#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/pairs/join.h"

using namespace mlpipe;

namespace {

// A test record: its id is the whole body ({"id":N}), so pairs read back as id pairs.
struct Rec {
  int id;
  std::string key;
  bool left, right;
  std::int64_t sent = JoinItem::kNone;
  std::int64_t para = JoinItem::kNone;
  std::string doc = {};
  double time = 0;
};

JoinItem item_of(const Rec& r, std::string& body, std::string& key) {
  body = "{\"id\":" + std::to_string(r.id) + "}";
  key = "\"" + r.key + "\"";
  JoinItem it;
  it.left = r.left;
  it.right = r.right;
  it.key = key;
  it.body = body;
  it.sent = r.sent;
  it.para = r.para;
  it.doc = r.doc;
  it.time = r.time;
  return it;
}

int id_after(const std::string& line, const std::string& side) {
  std::string pat = "\"" + side + "\":{\"id\":";
  auto p = line.find(pat);
  REQUIRE(p != std::string::npos);
  return std::stoi(line.substr(p + pat.size()));
}

std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    auto nl = out.find('\n', start);
    lines.push_back(out.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

using Pairs = std::vector<std::pair<int, int>>;

Pairs pairs_of(const std::string& out) {
  Pairs p;
  for (const auto& line : lines_of(out)) p.emplace_back(id_after(line, "claim"), id_after(line, "support"));
  return p;
}

// Runs records through a joiner; `per_record` collects the pairs each add wrote.
Pairs run(const JoinOptions& o, const std::vector<Rec>& recs, std::vector<Pairs>* per_record = nullptr,
          JoinStats* stats = nullptr) {
  Joiner j(o);
  std::string all, out, body, key;
  for (const Rec& r : recs) {
    out.clear();
    j.add(item_of(r, body, key), out);
    if (per_record) per_record->push_back(pairs_of(out));
    all += out;
  }
  out.clear();
  j.finish(out);
  all += out;
  if (stats) *stats = j.stats();
  return pairs_of(all);
}

Pairs sorted(Pairs p) {
  std::sort(p.begin(), p.end());
  return p;
}

// Every left x right pair of the same key, never a record with itself.
Pairs expected_pairs(const std::vector<Rec>& recs) {
  Pairs p;
  for (const Rec& l : recs)
    for (const Rec& r : recs)
      if (l.left && r.right && l.id != r.id && l.key == r.key) p.emplace_back(l.id, r.id);
  return sorted(p);
}

}  // namespace

TEST_CASE("batch: all left x right pairs per key, in key / left / right arrival order") {
  std::vector<Rec> recs = {{1, "a", true, false}, {2, "b", false, true}, {3, "a", false, true},
                           {4, "a", true, true},  {5, "b", true, false}, {6, "a", false, true}};
  JoinOptions o;
  Pairs got = run(o, recs);
  CHECK(got == Pairs{{1, 3}, {1, 4}, {1, 6}, {4, 3}, {4, 6}, {5, 2}});
}

TEST_CASE("stream: every pair exactly once under every arrival order") {
  // Two keys; record 4 is both claim and evidence; 7 takes no role.
  std::vector<Rec> base = {{1, "a", true, false}, {2, "a", false, true}, {3, "a", true, false},
                           {4, "a", true, true},  {5, "b", false, true}, {6, "b", true, false},
                           {7, "a", false, false}};
  Pairs want = expected_pairs(base);
  REQUIRE(want.size() == 6);
  std::vector<int> order(base.size());
  std::iota(order.begin(), order.end(), 0);
  JoinOptions stream;
  stream.stream = true;
  int permutations = 0;
  do {
    std::vector<Rec> recs;
    for (int i : order) recs.push_back(base[std::size_t(i)]);
    Pairs got = run(stream, recs);
    CHECK(got.size() == want.size());  // no duplicates
    CHECK(sorted(got) == want);
    CHECK(sorted(run(JoinOptions{}, recs)) == want);  // batch agrees
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(permutations == 5040);
}

TEST_CASE("stream: evidence before its claim still pairs, on the claim's arrival") {
  JoinOptions o;
  o.stream = true;
  std::vector<Pairs> per;
  run(o, {{1, "d", false, true}, {2, "d", false, true}, {3, "d", true, false}}, &per);
  REQUIRE(per.size() == 3);
  CHECK(per[0].empty());
  CHECK(per[1].empty());
  CHECK(per[2] == Pairs{{3, 1}, {3, 2}});
}

TEST_CASE("a record both left and right pairs as left first, then as right, never with itself") {
  JoinOptions o;
  o.stream = true;
  std::vector<Pairs> per;
  run(o, {{1, "d", true, false}, {2, "d", false, true}, {3, "d", true, true}}, &per);
  CHECK(per[2] == Pairs{{3, 2}, {1, 3}});
}

TEST_CASE("grouped: key state ends at key change; batch pairs come out then") {
  JoinOptions o;
  o.grouped = true;
  std::vector<Pairs> per;
  JoinStats st;
  Pairs got = run(o, {{1, "a", true, false}, {2, "a", false, true}, {3, "b", false, true}, {4, "b", true, false}},
                  &per, &st);
  CHECK(per[0].empty());
  CHECK(per[1].empty());
  CHECK(per[2] == Pairs{{1, 2}});  // the change to "b" closes "a"
  CHECK(per[3].empty());
  CHECK(got == Pairs{{1, 2}, {4, 3}});
  CHECK(st.peak_keys == 1);

  // A record without a role also marks the change.
  per.clear();
  run(o, {{1, "a", true, false}, {2, "a", false, true}, {3, "z", false, false}}, &per);
  CHECK(per[2] == Pairs{{1, 2}});

  // Streaming and grouped: the same pairs as batch, state freed at each change.
  JoinOptions gs = o;
  gs.stream = true;
  std::vector<Rec> recs = {{1, "a", true, false}, {2, "a", false, true}, {3, "a", true, true},
                           {4, "b", false, true}, {5, "b", true, false}, {6, "c", true, false}};
  CHECK(sorted(run(gs, recs, nullptr, &st)) == expected_pairs(recs));
  CHECK(st.peak_keys == 1);
}

TEST_CASE("--idle closes a key after N records without it") {
  JoinOptions o;
  o.stream = true;
  o.idle = 2;
  JoinStats st;
  // "a" is seen at 1, then 2 and 3 are other keys: at record 4 "a" has been idle 3 > 2.
  Pairs got = run(o, {{1, "a", true, false}, {2, "b", false, true}, {3, "c", false, true}, {4, "a", false, true}},
                  nullptr, &st);
  CHECK(got.empty());
  CHECK(st.closed_idle >= 1);
  // Within the bound the pair is made.
  got = run(o, {{1, "a", true, false}, {2, "b", false, true}, {3, "a", false, true}}, nullptr, &st);
  CHECK(got == Pairs{{1, 3}});

  // Batch: an idle key's pairs come out when it closes.
  JoinOptions b;
  b.idle = 1;
  std::vector<Pairs> per;
  run(b, {{1, "a", true, false}, {2, "a", false, true}, {3, "b", false, true}, {4, "c", false, false}}, &per);
  CHECK(per[3] == Pairs{{1, 2}});
}

TEST_CASE("--max-keys evicts the least recently used key and bounds memory") {
  JoinOptions o;
  o.stream = true;
  o.max_keys = 2;
  JoinStats st;
  Pairs got = run(o,
                  {{1, "a", true, false},
                   {2, "b", true, false},
                   {3, "a", false, true},   // "a" is now the most recent
                   {4, "c", true, false},   // evicts "b"
                   {5, "b", false, true},   // "b" starts afresh: no pair with 2; evicts "a"
                   {6, "c", false, true}},
                  nullptr, &st);
  CHECK(sorted(got) == Pairs{{1, 3}, {4, 6}});
  CHECK(st.closed_bound == 2);
  CHECK(st.peak_keys == 2);

  // An endless stream of new keys holds at most the bound.
  Joiner j(o);
  std::string out, body, key;
  for (int i = 0; i < 10000; ++i) j.add(item_of({i, "k" + std::to_string(i), true, true}, body, key), out);
  CHECK(j.open_keys() == 2);
  CHECK(j.held_bytes() < 100);
}

TEST_CASE("count window: pairs at most N records apart; memory follows the window") {
  JoinOptions o;
  o.keyed = false;
  o.window_records = 2;
  // claims at 1 and 4, evidence at 2, 3 and 6.
  std::vector<Rec> recs = {{1, "", true, false}, {2, "", false, true}, {3, "", false, true},
                           {4, "", true, false}, {5, "", false, false}, {6, "", false, true}};
  Pairs got = sorted(run(o, recs));
  CHECK(got == Pairs{{1, 2}, {1, 3}, {4, 2}, {4, 3}, {4, 6}});

  Joiner j(o);
  std::string out, body, key;
  for (int i = 0; i < 100000; ++i) {
    out.clear();
    j.add(item_of({i, "", i % 2 == 0, i % 2 == 1}, body, key), out);
  }
  CHECK(j.held_bytes() < 2000);
  CHECK(j.stats().pairs == 99999);  // each record pairs only with its neighbours (same role 2 apart)
}

TEST_CASE("time window: pairs at most SECONDS apart") {
  JoinOptions o;
  o.keyed = false;
  o.time_window = true;
  o.window_seconds = 10;
  std::vector<Rec> recs = {{1, "", true, false, JoinItem::kNone, JoinItem::kNone, "", 0.0},
                           {2, "", false, true, JoinItem::kNone, JoinItem::kNone, "", 5.0},
                           {3, "", false, true, JoinItem::kNone, JoinItem::kNone, "", 10.0},
                           {4, "", false, true, JoinItem::kNone, JoinItem::kNone, "", 10.5},
                           {5, "", true, false, JoinItem::kNone, JoinItem::kNone, "", 30.0},
                           {6, "", false, true, JoinItem::kNone, JoinItem::kNone, "", 39.0}};
  JoinStats st;
  CHECK(sorted(run(o, recs, nullptr, &st)) == Pairs{{1, 2}, {1, 3}, {5, 6}});
  CHECK(st.expired >= 3);
}

TEST_CASE("locality: distance and same_para when known, --max-distance and --same-para filters") {
  std::vector<Rec> recs = {{1, "k", true, false, 0, 0, "\"d\""},  {2, "k", false, true, 1, 0, "\"d\""},
                           {3, "k", false, true, 5, 1, "\"d\""},  {4, "k", false, true, 2, 0, "\"e\""},
                           {5, "k", false, true, JoinItem::kNone, JoinItem::kNone, "\"d\""}};
  JoinOptions o;
  Joiner j(o);
  std::string out, body, key;
  for (const Rec& r : recs) j.add(item_of(r, body, key), out);
  j.finish(out);
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == R"({"key":"k","claim":{"id":1},"support":{"id":2},"distance":1,"same_para":true})");
  CHECK(lines[1] == R"({"key":"k","claim":{"id":1},"support":{"id":3},"distance":5,"same_para":false})");
  CHECK(lines[2] == R"({"key":"k","claim":{"id":1},"support":{"id":4}})");  // another document
  CHECK(lines[3] == R"({"key":"k","claim":{"id":1},"support":{"id":5}})");  // no sent/para

  JoinOptions near;
  near.max_distance = 1;
  CHECK(run(near, recs) == Pairs{{1, 2}});  // unknown distances do not pass
  JoinOptions para;
  para.same_para = true;
  CHECK(run(para, recs) == Pairs{{1, 2}});
  near.max_distance = 0;
  CHECK(run(near, recs).empty());
}

TEST_CASE("unkeyed output has no key; side names are configurable") {
  JoinOptions o;
  o.keyed = false;
  o.left_name = "q";
  o.right_name = "a";
  Joiner j(o);
  std::string out, body, key;
  j.add(item_of({1, "x", true, false}, body, key), out);
  j.add(item_of({2, "y", false, true}, body, key), out);
  j.finish(out);
  CHECK(out == "{\"q\":{\"id\":1},\"a\":{\"id\":2}}\n");
}

TEST_CASE("finish_part gives batch pairs in bounded parts, in the same order as finish") {
  std::vector<Rec> recs;
  for (int i = 0; i < 60; ++i) recs.push_back({i, "k" + std::to_string(i % 3), i % 2 == 0, i % 3 != 1});
  JoinOptions o;
  Pairs whole = run(o, recs);
  Joiner j(o);
  std::string out, body, key, all;
  for (const Rec& r : recs) j.add(item_of(r, body, key), out);
  REQUIRE(out.empty());
  int parts = 0;
  bool more = true;
  while (more) {
    out.clear();
    more = j.finish_part(out, 200);
    CHECK(out.size() < 200 + 2000);  // at most one left record's pairs past the bound
    all += out;
    ++parts;
  }
  CHECK(parts > 5);
  CHECK(pairs_of(all) == whole);
  CHECK(j.open_keys() == 0);
  CHECK(j.held_bytes() == 0);
}

TEST_CASE("row slices: each key's left records [begin, end) only; slices in order make the whole output") {
  // One key, as mlmr gives a slice worker; records both left and right included.
  std::vector<Rec> recs;
  for (int i = 0; i < 40; ++i) recs.push_back({i, "k", i % 3 != 2, i % 2 == 0});
  JoinOptions o;
  Pairs whole = run(o, recs);
  REQUIRE(whole.size() > 100);
  for (std::uint64_t cut : {1u, 7u, 13u}) {
    Pairs joined;
    for (std::uint64_t b = 0; b < 40; b += cut) {
      JoinOptions s = o;
      s.rows_begin = b;
      s.rows_end = b + cut;
      Pairs part = run(s, recs);
      // Every pair of this slice has a left record numbered in [b, b + cut) among the lefts.
      for (const auto& [l, r] : part) {
        std::uint64_t row = 0;
        for (const Rec& x : recs) {
          if (x.id == l) break;
          if (x.left) ++row;
        }
        CHECK(row >= b);
        CHECK(row < b + cut);
      }
      joined.insert(joined.end(), part.begin(), part.end());
    }
    CHECK(joined == whole);
  }
  // Grouped keys closing on key change use the same numbering per key.
  std::vector<Rec> two = {{1, "a", true, true}, {2, "a", true, true}, {3, "b", true, true}, {4, "b", true, true}};
  JoinOptions g;
  g.grouped = true;
  g.rows_begin = 1;
  g.rows_end = 2;
  CHECK(run(g, two) == Pairs{{2, 1}, {4, 3}});
}

#include "mlpipe/core/json_reader.h"
#include "mlpipe/pairs/tool_mljoin.h"

TEST_CASE("mljoin stage: batch keys split into row slices; roles from the score fields") {
  MljoinOptions opts;
  auto batch = make_join_stage(mljoin_settings(opts));
  CHECK(batch->splits_products());
  MljoinOptions streaming;
  streaming.stream = true;
  CHECK_FALSE(make_join_stage(mljoin_settings(streaming))->splits_products());
  MljoinOptions idle;
  idle.idle = 5;
  CHECK_FALSE(make_join_stage(mljoin_settings(idle))->splits_products());

  static const std::string kName = "test";
  Batch b;
  Batch::from_lines(b,
                    "{\"doc\":\"d\",\"id\":1,\"scores\":{\"claim\":1,\"support\":-1}}\n"
                    "{\"doc\":\"d\",\"id\":2,\"scores\":{\"claim\":0.5,\"support\":0.5}}\n"
                    "{\"doc\":\"d\",\"id\":3,\"scores\":{\"claim\":-1,\"support\":2}}\n"
                    "{\"doc\":\"d\",\"id\":4,\"scores\":\"bad\"}\n",
                    &kName);
  JsonReader reader;
  std::vector<std::pair<bool, bool>> roles;
  for (const Record& r : b.records) {
    reader.index(r);
    ProductRoles pr = batch->product_roles(reader);
    roles.emplace_back(pr.row, pr.column);
  }
  CHECK(roles == std::vector<std::pair<bool, bool>>{{true, false}, {true, true}, {false, true}, {false, false}});

  // Slices [0,1) and [1,2) of the rows, one after the other, are the whole worker's output.
  auto run_worker = [&](Worker& w) {
    std::string out;
    for (std::size_t i = 0; i < 3; ++i) w.process(b.records[i], out);
    w.finish(out);
    return out;
  };
  std::string whole = run_worker(*batch->make_worker());
  std::string first = run_worker(*batch->make_slice_worker(0, 1));
  std::string second = run_worker(*batch->make_slice_worker(1, 2));
  CHECK(whole == first + second);
  CHECK(first.find("\"id\":1") != std::string::npos);
  CHECK(second.find("\"claim\":{\"doc\":\"d\",\"id\":2") != std::string::npos);
}

namespace {

// Adds records with thesis scores (NaN: no candidate) and sentence bodies, returns the output.
std::string run_structure(const JoinOptions& o, const std::vector<std::pair<Rec, double>>& recs) {
  Joiner j(o);
  std::string out, body, key, sentence;
  for (const auto& [r, thesis] : recs) {
    JoinItem it = item_of(r, body, key);
    it.thesis = thesis;
    sentence = "{\"id\":" + std::to_string(r.id) + ",\"text\":\"t\"}";
    it.sentence = sentence;
    j.add(it, out);
  }
  j.finish(out);
  return out;
}

constexpr double kNoCandidate = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("thesis: each key's best candidate takes the left role and is marked wherever it is written") {
  JoinOptions o;
  o.thesis = true;
  // Key a: record 2 (no role of its own) has the best thesis score; key b: the tie goes to 5.
  std::string out = run_structure(o, {{{1, "a", true, false}, 0.2},
                                      {{2, "a", false, false}, 0.9},
                                      {{3, "a", false, true}, 0.1},
                                      {{4, "b", true, false}, kNoCandidate},
                                      {{5, "b", true, false}, 0.5},
                                      {{6, "b", false, true}, 0.5}});
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == R"({"key":"a","claim":{"id":1},"support":{"id":3}})");
  CHECK(lines[1] == R"({"key":"a","claim":{"id":2,"thesis":true},"support":{"id":3}})");
  CHECK(lines[2] == R"({"key":"b","claim":{"id":4},"support":{"id":6}})");
  CHECK(lines[3] == R"({"key":"b","claim":{"id":5,"thesis":true},"support":{"id":6}})");
  // A candidate that is also a support is marked on that side too, and never paired with itself.
  out = run_structure(o, {{{1, "a", true, false}, 0.1}, {{2, "a", false, true}, 0.8}});
  CHECK(out == "{\"key\":\"a\",\"claim\":{\"id\":1},\"support\":{\"id\":2,\"thesis\":true}}\n");
}

TEST_CASE("sentences: each held record once, with its roles, before its key's pairs; in a stream on arrival") {
  JoinOptions o;
  o.sentences = true;
  o.thesis = true;
  std::string out = run_structure(o, {{{1, "a", true, false}, 0.2},
                                      {{2, "a", false, true}, kNoCandidate},
                                      {{3, "b", true, true}, 0.7},
                                      {{4, "b", false, false}, kNoCandidate}});
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == R"({"key":"a","id":1,"text":"t","roles":["thesis","claim"],"thesis":true})");
  CHECK(lines[1] == R"({"key":"a","id":2,"text":"t","roles":["support"]})");
  CHECK(lines[2] == R"({"key":"a","claim":{"id":1,"thesis":true},"support":{"id":2}})");
  CHECK(lines[3] == R"({"key":"b","id":3,"text":"t","roles":["thesis","claim","support"],"thesis":true})");

  JoinOptions s;
  s.sentences = true;
  s.stream = true;
  Joiner j(s);
  std::string body, key, sentence, step;
  Rec claim{1, "a", true, false}, support{2, "a", false, true};
  JoinItem it = item_of(claim, body, key);
  sentence = R"({"id":1})";
  it.sentence = sentence;
  j.add(it, step);
  CHECK(step == "{\"key\":\"a\",\"id\":1,\"roles\":[\"claim\"]}\n");
  step.clear();
  it = item_of(support, body, key);
  sentence = R"({"id":2})";
  it.sentence = sentence;
  j.add(it, step);
  CHECK(step == "{\"key\":\"a\",\"id\":2,\"roles\":[\"support\"]}\n{\"key\":\"a\",\"claim\":{\"id\":1},\"support\":{\"id\":2}}\n");
  CHECK(j.stats().sentences == 2);
}

TEST_CASE("mljoin stage: --thesis and --sentences keep keys whole") {
  MljoinOptions thesis;
  thesis.thesis = true;
  CHECK_FALSE(make_join_stage(mljoin_settings(thesis))->splits_products());
  CHECK(make_join_stage(mljoin_settings(thesis))->writes_whole_keys());  // mllink --top may still rank its keys under mlmr
  MljoinOptions streaming;
  streaming.stream = true;
  CHECK_FALSE(make_join_stage(mljoin_settings(streaming))->writes_whole_keys());
  MljoinOptions sentences;
  sentences.sentences = true;
  CHECK_FALSE(make_join_stage(mljoin_settings(sentences))->splits_products());
}
