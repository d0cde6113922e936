#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "mlpipe/core/progress.h"

using namespace mlpipe;

namespace {

// A clock the test moves and a sink it reads: no sleeps, no terminal.
struct Fake {
  double now = 100;
  std::string written;
  int writes = 0;
  ProgressOutput output(bool terminal, std::size_t width = 0) {
    ProgressOutput o;
    o.terminal = terminal;
    o.width = width;
    o.seconds = [this] { return now; };
    o.write = [this](std::string_view s) {
      written += s;
      ++writes;
    };
    return o;
  }
};

}  // namespace

TEST_CASE("numbers, bytes and durations read at a glance") {
  CHECK(format_count(999) == "999");
  CHECK(format_count(12345) == "12.3k");
  CHECK(format_count(4560000) == "4.56M");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(12.04e6) == "12.0 MB");
  CHECK(format_duration(45) == "45s");
  CHECK(format_duration(130) == "2m10s");
  CHECK(format_duration(3900) == "1h05m");
}

TEST_CASE("a disabled meter writes nothing") {
  Fake f;
  {
    Progress p("mlfeat", false, f.output(true));
    std::size_t r = p.counter("records");
    p.add(r, 10);
    p.poll();
    p.draw();
  }
  CHECK(f.written.empty());
}

TEST_CASE("a terminal gets one line redrawn in place, at most every interval, erased at the end") {
  Fake f;
  {
    Progress p("mlsplit", true, f.output(true));
    std::size_t docs = p.counter("documents");
    std::size_t sents = p.counter("sentences");
    std::size_t bytes = p.counter("bytes", 40'000'000);
    p.add(docs, 3);
    p.add(sents, 120);
    p.add(bytes, 10'000'000);
    f.now += 2;
    p.poll();  // the first poll draws at once
    CHECK(f.writes == 1);
    CHECK(f.written ==
          "\rmlsplit: 3 documents · 120 sentences · 10.0 MB of 40.0 MB (25%) · 5.0 MB/s · 6s left\033[K");
    for (int i = 0; i < 100; ++i) {
      f.now += 0.001;
      p.poll();
    }
    CHECK(f.writes == 1);  // 0.1 s later: not yet
    f.now += Progress::kTerminalInterval;
    p.poll();
    CHECK(f.writes == 2);
  }
  CHECK(f.written.substr(f.written.size() - 4) == "\r\033[K");
}

TEST_CASE("a count of one is singular, and without a total the elapsed time shows") {
  Fake f;
  Progress p("mlmr", true, f.output(false));
  p.add(p.counter("partitions"), 1);
  f.now += 75;
  CHECK(p.line() == "mlmr: 1 partition · 1m15s");  // no "0 partitions/s"
}

TEST_CASE("fits of a total: done/total, the note, and an ETA without a rate") {
  Fake f;
  Progress p("mltrain", true, f.output(false));
  std::size_t fits = p.counter("fits", 40);
  p.note("rbf-svm C=8 γ=0.1 fold 3/5");
  p.add(fits, 4);
  f.now += 12;
  CHECK(p.line() == "mltrain: 4/40 fits · rbf-svm C=8 γ=0.1 fold 3/5 · 1m48s left");
}

TEST_CASE("a file gets whole lines, and a last one with the time taken") {
  Fake f;
  {
    Progress p("mljoin", true, f.output(false));
    std::size_t r = p.counter("records");
    p.add(r, 5);
    p.poll();
    p.add(r, 5);
    f.now += 0.4;
    p.poll();  // within a file's interval
  }
  CHECK(f.written == "mljoin: 5 records · 0s\nmljoin: 10 records · 25 records/s · done in 0s\n");
}

TEST_CASE("a narrow terminal gets the line cut, never inside a character") {
  Fake f;
  Progress p("mltrain", true, f.output(true, 20));
  p.counter("fits", 40);
  p.note("γγγγγγγγ");
  p.draw();
  // "·" is two bytes, the 20th and 21st: the cut comes before it.
  CHECK(f.written == "\rmltrain: 0/40 fits \033[K");
}

TEST_CASE("clear erases the line and lets the next poll draw at once") {
  Fake f;
  Progress p("mlfeat", true, f.output(true));
  p.counter("records");
  p.poll();
  p.clear();
  CHECK(f.written.substr(f.written.size() - 4) == "\r\033[K");
  const int before = f.writes;
  p.poll();
  CHECK(f.writes == before + 1);
}

TEST_CASE("threads count and poll at once; every count arrives and lines stay whole") {
  Fake f;
  f.now = 0;
  std::vector<std::string> lines;
  ProgressOutput o = f.output(false);
  o.seconds = [] { return 0.0; };
  o.write = [&lines](std::string_view s) { lines.emplace_back(s); };
  Progress p("mlclassify", true, std::move(o));
  std::size_t r = p.counter("records");
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        p.add(r);
        if (i % 100 == 0) p.poll();
      }
    });
  for (auto& t : ts) t.join();
  CHECK(p.value(r) == 40000);
  for (const std::string& l : lines) CHECK(l.back() == '\n');
}
