#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/output.h"

using namespace mlpipe;

namespace {

std::string temp_path(const char* tag) {
  char buf[] = "/tmp/mlpipe-test-XXXXXX";
  int fd = mkstemp(buf);
  close(fd);
  return std::string(buf) + tag;
}

std::string write_temp(const std::string& contents) {
  std::string path = temp_path(".ndjson");
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string read_output_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Record> read_all(LineReader& reader, std::vector<std::string>& texts) {
  std::vector<Record> out;
  Batch batch;
  while (reader.next(batch))
    for (const Record& r : batch.records) {
      texts.emplace_back(r.data);
      out.push_back(r);
    }
  return out;
}

// Emits the record's "n" copies of itself; fails on {"bad":…}.
class RepeatStage : public Stage {
 public:
  std::unique_ptr<Worker> make_worker() const override {
    struct W : Worker {
      JsonReader reader;
      void process(const Record& r, std::string& out) override {
        reader.index(r);
        if (reader.find("bad")) throw Error("bad record");
        std::int64_t n = reader.get_integer(*reader.find("n"));
        for (std::int64_t i = 0; i < n; ++i) {
          out.append(r.data);
          out.push_back('\n');
        }
      }
    };
    return std::make_unique<W>();
  }
};

}  // namespace

TEST_CASE("LineReader: CRLF, blank lines, missing final newline, line numbers") {
  std::string path = write_temp("{\"a\":1}\r\n\n  \n{\"a\":2}\n{\"a\":3}");
  LineReader reader(path, {});
  std::vector<std::string> texts;
  auto recs = read_all(reader, texts);
  REQUIRE(recs.size() == 3);
  CHECK(texts == std::vector<std::string>{"{\"a\":1}", "{\"a\":2}", "{\"a\":3}"});
  CHECK(recs[0].line == 1);
  CHECK(recs[1].line == 4);
  CHECK(recs[2].line == 5);
  std::remove(path.c_str());
}

TEST_CASE("LineReader: a line over the limit is reported, not buffered") {
  std::string big(5000, 'x');
  std::string path = write_temp("{\"a\":1}\n\"" + big + "\"\n{\"a\":3}\n");
  InputLimits limits;
  limits.max_record_bytes = 1000;
  limits.batch_bytes = 256;  // force the long line across many reads
  LineReader reader(path, limits);
  std::vector<std::string> texts;
  auto recs = read_all(reader, texts);
  REQUIRE(recs.size() == 3);
  CHECK_FALSE(recs[0].too_long);
  CHECK(recs[1].too_long);
  CHECK(recs[1].line == 2);
  CHECK(texts[2] == "{\"a\":3}");
  CHECK(recs[2].line == 3);
  std::remove(path.c_str());
}

TEST_CASE("LineReader: a missing file is an error naming it") {
  CHECK_THROWS_WITH_AS(LineReader("/nonexistent/x.ndjson", {}), doctest::Contains("cannot open"), Error);
}

TEST_CASE("Executor keeps input order whatever the thread count") {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += "{\"i\":" + std::to_string(i) + ",\"n\":" + std::to_string(i % 3) + "}\n";
  std::string path = write_temp(input);
  RepeatStage stage;
  std::string one, two;
  for (int threads : {1, 2}) {
    InputLimits limits;
    limits.batch_bytes = 4096;
    LineReader reader(path, limits);
    Executor exec(stage, threads, {});
    Batch batch;
    std::string out, all;
    while (reader.next(batch)) {
      exec.process(batch, out);
      all += out;
    }
    (threads == 1 ? one : two) = all;
  }
  CHECK(one == two);
  CHECK(std::count(one.begin(), one.end(), '\n') == 5000 / 3 * 3 + 1 /* i=4998 n=0, 4999 n=1 */);
  std::remove(path.c_str());
}

TEST_CASE("Executor: fail stops at the first bad record with its location") {
  std::string path = write_temp("{\"n\":1}\n{\"n\":1}\n{\"bad\":1}\n{\"n\":1}\n");
  RepeatStage stage;
  LineReader reader(path, {});
  Executor exec(stage, 2, {});
  Batch batch;
  REQUIRE(reader.next(batch));
  std::string out;
  try {
    exec.process(batch, out);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.file() == path);
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()) == "bad record");
  }
  CHECK(out == "{\"n\":1}\n{\"n\":1}\n");
  std::remove(path.c_str());
}

TEST_CASE("Executor: skip counts bad records and keeps them verbatim in rejects") {
  std::string path = write_temp("{\"n\":1}\n{\"bad\":1}\nnot json\n{\"n\":1}\n");
  std::string rejects_path = temp_path(".rejects");
  RepeatStage stage;
  {
    Output rejects(rejects_path);
    ErrorPolicy policy;
    policy.skip = true;
    policy.rejects = &rejects;
    LineReader reader(path, {});
    Executor exec(stage, 1, policy);
    Batch batch;
    std::string out, all;
    while (reader.next(batch)) {
      exec.process(batch, out);
      all += out;
    }
    rejects.commit();
    CHECK(all == "{\"n\":1}\n{\"n\":1}\n");
    CHECK(exec.skipped() == 2);
    REQUIRE(exec.skips().size() == 2);
    CHECK(describe(exec.skips()[0]) == path + ":2: bad record");
    CHECK(exec.skips()[1].file() == path);
    CHECK(exec.skips()[1].line() == 3);
    CHECK(describe(exec.skips()[1]).find(path + ":3: invalid JSON") == 0);
  }
  CHECK(read_output_file(rejects_path) == "{\"bad\":1}\nnot json\n");
  std::remove(path.c_str());
  std::remove(rejects_path.c_str());
}

TEST_CASE("Output: a file appears only on commit") {
  std::string path = temp_path(".out");
  {
    Output out(path);
    out.write("partial\n");
  }  // not committed: nothing left behind
  CHECK(access(path.c_str(), F_OK) != 0);
  {
    Output out(path);
    out.write("whole\n");
    out.commit();
  }
  CHECK(read_output_file(path) == "whole\n");
  write_file_atomically(path, "replaced\n");
  CHECK(read_output_file(path) == "replaced\n");
  std::remove(path.c_str());
}

TEST_CASE("error messages name tool, file and line") {
  CHECK(format_error("mlfeat", Error("a.ndjson", 7, "field 'text': expected a string, found a number")) ==
        "mlfeat: error: a.ndjson:7: field 'text': expected a string, found a number");
  CHECK(format_error("mlsplit", Error("a.txt", 0, "invalid UTF-8 at byte 5")) ==
        "mlsplit: error: a.txt: invalid UTF-8 at byte 5");
  CHECK(format_error("mltrain", Error::usage("--cv needs at least 2 folds")) ==
        "mltrain: error: --cv needs at least 2 folds");
}

TEST_CASE("Output: a target that is not a regular file (a FIFO, /dev/null) is written in place, never replaced") {
  std::string path = temp_path(".fifo");
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  for (int way = 0; way < 2; ++way) {
    std::string got;
    std::thread reader([&] { got = read_output_file(path); });  // opening a FIFO waits for the other end
    if (way == 0) {
      Output out(path);
      out.write("through the pipe\n");
      out.commit();
    } else {
      write_file_atomically(path, "through the pipe\n");
    }
    reader.join();
    CHECK(got == "through the pipe\n");
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
  }
  std::remove(path.c_str());
}
