// The pure parts of mlmr's phases, without MPI: output targets and the parts directory,
// the plan as sent to the ranks, held output, key tables and groups, the stage chain, one
// key group's run, one partition's run, and the --stats lines.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/input.h"
#include "mlpipe/mapreduce/group_run.h"
#include "mlpipe/mapreduce/held_output.h"
#include "mlpipe/mapreduce/key_groups.h"
#include "mlpipe/mapreduce/key_table.h"
#include "mlpipe/mapreduce/manifest.h"
#include "mlpipe/mapreduce/map_phase.h"
#include "mlpipe/mapreduce/output_target.h"
#include "mlpipe/mapreduce/rank_stats.h"
#include "mlpipe/pipeline/job_stages.h"
#include "mlpipe/pipeline/pipeline.h"
#include "support/test_tools.h"

using namespace mlpipe;
using mlpipe::testing::TempDir;
using namespace mlpipe::mapreduce;

namespace {

bool exists(const std::string& p) { return std::filesystem::exists(p); }

pipeline::JobStages stages(const std::string& line, bool skip = false) {
  return pipeline::build_job_stages(pipeline::split_pipeline(line), local_files(),
                                    pipeline::StageDefaults{skip, 1 << 20}, mlpipe::testing::tools_with_test_stages());
}

}  // namespace

TEST_CASE("output target: standard output, FILE, DIR/ or an existing directory") {
  TempDir d;
  CHECK(parse_output_target("").to_stdout());
  OutputTarget f = parse_output_target(d.path + "/links.ndjson");
  CHECK(f.kind == OutputTarget::Kind::file);
  CHECK(f.parts_dir() == d.path + "/links.ndjson.mlmr");
  CHECK(f.part_path(3) == d.path + "/links.ndjson.mlmr/part-00003");
  OutputTarget slash = parse_output_target(d.path + "/out//");
  CHECK(slash.kind == OutputTarget::Kind::directory);
  CHECK(slash.parts_dir() == d.path + "/out");
  CHECK(slash.journal_path(1) == d.path + "/out/_work/journal-00001");
  CHECK(parse_output_target(d.path).kind == OutputTarget::Kind::directory);  // exists
  CHECK_THROWS_AS(parse_output_target("-"), Error);
}

TEST_CASE("prepare_run: a new run plans and writes its manifest; --resume takes it back; commit marks it done") {
  TempDir d;
  std::string in = d.write("in.ndjson", std::string(5000, 'x') + "\n");
  OutputTarget t = parse_output_target(d.path + "/out.ndjson");
  PlanRequest req{"_cat", {in}, false, true, 2, 1024, false};
  Plan first = prepare_run(t, req);
  CHECK(first.parts.size() >= 4);
  CHECK(first.ranks == 2);
  CHECK(exists(t.parts_dir() + "/_manifest"));
  CHECK(exists(t.work_dir()));
  CHECK_FALSE(first.complete);

  req.resume = true;
  req.partition_bytes = 4096;  // ignored: the interrupted run's partitions are kept
  Plan again = prepare_run(t, req);
  CHECK(again.parts.size() == first.parts.size());
  // Part files are per rank without a keyed stage: another rank count cannot resume them.
  req.ranks = 3;
  CHECK_THROWS_AS(prepare_run(t, req), Error);
  req.ranks = 2;

  d.write("out.ndjson.mlmr/part-00000", "a\n");
  d.write("out.ndjson.mlmr/part-00001", "b\n");
  d.write("out.ndjson.mlmr/part-00004", "stale\n");  // from an earlier run on more ranks
  commit_parts(t, 2);
  CHECK(exists(t.parts_dir() + "/_SUCCESS"));
  CHECK_FALSE(exists(t.work_dir()));
  CHECK_FALSE(exists(t.part_path(4)));
  CHECK(exists(t.part_path(1)));
  CHECK(prepare_run(t, req).complete);

  // Other inputs: another run, refused under --resume, replaced without.
  std::ofstream(in, std::ios::app) << "more\n";
  CHECK_THROWS_AS(prepare_run(t, req), Error);
  req.resume = false;
  Plan fresh = prepare_run(t, req);
  CHECK_FALSE(fresh.complete);
  CHECK_FALSE(exists(t.parts_dir() + "/_SUCCESS"));
  CHECK_FALSE(exists(t.part_path(0)));
  remove_parts(t);
  CHECK_FALSE(exists(t.parts_dir()));
}

TEST_CASE("prepare_run: -o FILE naming a directory is refused") {
  TempDir d;
  std::string in = d.write("in.ndjson", "{}\n");
  OutputTarget t;
  t.kind = OutputTarget::Kind::file;
  t.path = d.path;
  CHECK_THROWS_AS(prepare_run(t, PlanRequest{"_cat", {in}, false, true, 1, 0, false}), Error);
}

TEST_CASE("plan: encoded on rank 0, decoded alike on every rank with owners for the job's ranks") {
  TempDir d;
  std::string a = d.write("a.ndjson", std::string(3000, 'a') + "\n"), b = d.write("b.ndjson", "{}\n");
  Plan plan = prepare_run(OutputTarget{}, PlanRequest{"_cat", {a, b}, false, true, 3, 1024, false});
  plan.complete = true;
  std::string text = encode_plan("_cat", plan);
  Plan back = decode_plan(text, "_cat", {a, b}, 3);
  CHECK(back.complete);
  REQUIRE(back.parts.size() == plan.parts.size());
  CHECK(back.files[1].path == b);
  CHECK(back.owner.size() == plan.parts.size());
  CHECK(back.owner.back() == 2);
  CHECK_THROWS_AS(decode_plan("garbage", "_cat", {a, b}, 3), Error);
  CHECK_THROWS_AS(decode_plan(text, "_cat | _cat", {a, b}, 3), Error);  // another pipeline
}

TEST_CASE("held output: spills past the budget, keeps the order, and frees what it held") {
  TempDir d;
  Spool spool(d.path);
  HoldBudget budget(100 << 10);
  std::string expect_a, expect_b;
  {
    HeldOutput a, b;
    a.start(budget, spool);
    for (int i = 0; i < 150; ++i) {
      std::string line = "a" + std::to_string(i) + std::string(1000, '.') + "\n";
      a.append(line);
      expect_a += line;
    }
    a.close();
    CHECK(a.spilled() > 0);  // 150 KB held is over the budget: spilled
    CHECK(a.size() == expect_a.size());
    // A second group after the first on the same thread spills after it.
    b.start(budget, spool);
    for (int i = 0; i < 200; ++i) {
      std::string line = "b" + std::to_string(i) + std::string(1000, ',') + "\n";
      b.append(line);
      expect_b += line;
    }
    b.close();
    CHECK(budget.held() <= budget.max_memory() + HeldOutput::kMinSpill);
    std::string got_a, got_b, block;
    a.drain([&](std::string_view s) { got_a += s; });
    while (b.next_block(block, 7777)) {
      CHECK(block.size() <= 7777);
      got_b += block;
    }
    CHECK(got_a == expect_a);
    CHECK(got_b == expect_b);
  }
  CHECK(budget.held() == 0);
}

TEST_CASE("held output: under budget, nothing touches the spool") {
  TempDir d;
  Spool spool(d.path);
  HoldBudget budget(1 << 20);
  HeldOutput o;
  o.start(budget, spool);
  o.append("x\n");
  o.close();
  CHECK(o.spilled() == 0);
  CHECK(spool.size() == 0);
  CHECK(budget.held() == 2);
}

TEST_CASE("key groups: in the order of first records, records in tag order within each") {
  std::string entries;
  put_entry(entries, Tag{2, 0}, "k2", "r3");
  put_entry(entries, Tag{0, 5}, "k1", "r2");
  put_entry(entries, Tag{0, 1}, "k1", "r1");
  put_entry(entries, Tag{1, 0}, "k3", "r4");
  put_entry(entries, Tag{3, 0}, "k3", "r5");
  KeyGroups g = group_records(entries);
  REQUIRE(g.order.size() == 3);
  CHECK(g.keys[g.order[0]] == "k1");
  CHECK(g.keys[g.order[1]] == "k3");
  CHECK(g.keys[g.order[2]] == "k2");
  auto& k1 = g.members[g.order[0]];
  REQUIRE(k1.size() == 2);
  CHECK(k1[0] == "r1");
  CHECK(k1[1] == "r2");
  CHECK(g.first[g.order[1]] == Tag{1, 0});
}

TEST_CASE("key table: each key read once with its first record; missing and invalid keys kept apart") {
  TempDir d;
  std::string path = d.write("pre", "{\"doc\":\"a\"}\n{\"doc\":\"b\"}\n{\"x\":1}\n{\"doc\":\"a\"}\nnot json\n");
  std::vector<KeyedInputRange> ranges{{7, path, 0, std::filesystem::file_size(path)}};
  pipeline::JobStages job = stages("_pairs --key doc");
  KeyedInputScanner scan(ranges);
  KeyTable t = scan_keys(scan, KeyReading{job.stages[0].stage.get(), job.placement, false});
  REQUIRE(t.names.size() == 4);
  CHECK(*t.names[0] == "\"a\"");
  CHECK(*t.names[2] == kMissingKey);
  CHECK(*t.names[3] == kInvalidKey);
  CHECK(t.stats[0].records == 2);
  CHECK(t.stats[0].first == Tag{7, 0});
  CHECK(t.stats[1].first == Tag{7, 1});
  CHECK(t.record_key == std::vector<std::uint32_t>{0, 1, 2, 0, 3});
}

TEST_CASE("job stages: the keyed stage is found; shapes mlmr cannot cut are usage errors") {
  pipeline::JobStages job = stages("_cat | _pairs --key doc | _cat");
  CHECK(job.has_keyed());
  CHECK(job.keyed == 1);
  CHECK(job.placement.key == "doc");
  CHECK_FALSE(stages("_cat | _cat").has_keyed());
  CHECK(stages("_lines | _cat").reads_text());
  CHECK_THROWS_AS(stages("_pairs --key a | _pairs --key b"), Error);
  CHECK_THROWS_AS(stages("_cat | _lines"), Error);
}

TEST_CASE("stage chain: each stage's output is the next one's input, and leaves in blocks") {
  pipeline::JobStages job = stages("_cat | _pairs --key doc");
  pipeline::StageChain chain(pipeline::make_executors(job, 0, 2, 1), {"in", "pairs input"});
  Batch b;
  Batch::from_lines(b, "{\"doc\":1,\"i\":1}\n{\"doc\":1,\"i\":2}\n{\"doc\":1,\"i\":3}\n", &chain.source(0));
  std::string out;
  int blocks = 0;
  chain.run(b, [&](std::string_view s) {
    out += s;
    ++blocks;
  });
  chain.finish([&](std::string_view s) { out += s; });
  // The same stages as a shell pipeline would run them.
  std::string expect, mid;
  Executor cat(*job.stages[0].stage, 1, {}), pairs(*job.stages[1].stage, 1, {});
  cat.process(b, mid);
  Batch b2;
  std::string name = "x";
  Batch::from_lines(b2, std::move(mid), &name);
  pairs.process(b2, expect);
  std::string rest;
  pairs.finish(rest);
  expect += rest;
  CHECK(out == expect);
  CHECK(std::count(out.begin(), out.end(), '\n') == 3);  // (1,2) (1,3) (2,3)
  CHECK(chain.executor(1).records_in() == 3);
}

TEST_CASE("group run: a key group through the keyed stage and after it, in batches, counted once") {
  TempDir d;
  pipeline::JobStages job = stages("_pairs --key doc | _cat", true);
  std::string records;
  for (int i = 0; i < 600; ++i) records += "{\"doc\":1,\"i\":" + std::to_string(i) + "}\n";
  records += "{\"doc\":1,\"bad\":}\n";  // skipped by the keyed stage (on-error=skip)
  records += std::string(kJsonPadding, ' ');
  std::vector<std::string_view> views;
  std::string_view all(records);
  for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string_view::npos; at = nl + 1)
    views.push_back(all.substr(at, nl - at));
  Spool spool(d.path);
  HoldBudget budget(1 << 20);
  HeldOutput out;
  out.start(budget, spool);
  std::vector<pipeline::StageCounts> counts = job.zero_counts();
  std::optional<Error> e = run_group(job, views, records.data() + records.size() - kJsonPadding, "1", nullptr, out,
                                     counts);
  CHECK_FALSE(e);
  CHECK(counts[0].records_in == 601);
  CHECK(counts[0].skipped == 1);
  REQUIRE(counts[0].skips.size() == 1);
  CHECK(counts[0].skips[0].line() == 601);
  CHECK(counts[0].skips[0].file() == "_pairs input for key 1");
  // 600 records of one key: every earlier record with each later one.
  CHECK(counts[1].records_in == 600ull * 599 / 2);
  CHECK(out.size() > budget.max_memory());
  CHECK(out.spilled() > 0);
}

TEST_CASE("map phase: a partition starting inside a file reports the file's own line numbers") {
  TempDir d;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  text += "{bad\n";  // line 201
  std::string path = d.write("in.ndjson", text);
  pipeline::JobStages job = stages("_cat", true);
  Plan plan = prepare_run(OutputTarget{}, PlanRequest{"_cat", {path}, false, true, 1, 512, false});
  REQUIRE(plan.parts.size() > 2);
  plan.owner = assign_owners(plan.parts, 1);
  MapInput in{&job, &plan, display_names(plan.files), 1, 1 << 20, {}, {}};
  std::vector<pipeline::StageCounts> counts = job.zero_counts();
  std::string out;
  for (std::size_t p = 0; p < plan.parts.size(); ++p) run_partition(in, p, [&](std::string_view s) { out += s; }, counts);
  CHECK(out == text.substr(0, text.size() - 5));
  CHECK(counts[0].skipped == 1);
  REQUIRE(counts[0].skips.size() == 1);
  CHECK(counts[0].skips[0].file() == path);
  CHECK(counts[0].skips[0].line() == 201);
}

TEST_CASE("stats: the figures line and the key=value data movement line") {
  RankStats s;
  s.records.rounds = 3;
  s.records.messages = 4;
  s.records.bytes = 5000000;
  s.output_mode = "file";
  s.output_bytes = 42;
  std::string text = format_stats(1, s);
  CHECK(text.find("mlmr: stats: rank 1: partitions 0") == 0);
  CHECK(text.find("records moved out 5.0 MB") != std::string::npos);
  CHECK(text.find("mlmr: stats: rank 1: exchange directory rounds=0 messages=0 bytes=0; routing rounds=0 "
                  "messages=0 bytes=0; records rounds=3 messages=4 bytes=5000000; slices messages=0 bytes=0; "
                  "output mode=file bytes=42 seconds=0.000\n") != std::string::npos);
}
