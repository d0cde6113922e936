#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/core/record.h"
#include "mlpipe/text/stage_mlsplit.h"

using namespace mlpipe;

namespace {

// A record over `buffer`, padded as the runner pads its buffers.
Record make_record(std::string& buffer, const std::string& source, bool is_text) {
  buffer.reserve(buffer.size() + kJsonPadding);
  Record r;
  r.data = buffer;
  r.readable = buffer.capacity();
  r.source = &source;
  r.line = is_text ? 0 : 1;
  r.is_text = is_text;
  return r;
}

}  // namespace

TEST_CASE("the stage splits a text document into sentence records") {
  text::SplitStage stage(text::SplitSettings{}, local_files());
  CHECK(stage.reads_text());
  auto worker = stage.make_worker();
  std::string name = "a.txt", doc = "Hi there. Bye \"now\".\n\nNew para";
  std::string out;
  worker->process(make_record(doc, name, true), out);
  CHECK(out ==
        "{\"doc\":\"a.txt\",\"para\":0,\"sent\":0,\"para_sent\":0,\"para_sents\":2,\"doc_paras\":2,\"doc_sents\":3,\"start\":0,\"end\":9,\"text\":\"Hi there.\"}\n"
        "{\"doc\":\"a.txt\",\"para\":0,\"sent\":1,\"para_sent\":1,\"para_sents\":2,\"doc_paras\":2,\"doc_sents\":3,\"start\":10,\"end\":20,\"text\":\"Bye \\\"now\\\".\"}\n"
        "{\"doc\":\"a.txt\",\"para\":1,\"sent\":2,\"para_sent\":0,\"para_sents\":1,\"doc_paras\":2,\"doc_sents\":3,\"start\":22,\"end\":30,\"text\":\"New para\"}\n");
}

TEST_CASE("text from standard input is named by --stdin-name; bad bytes follow --encoding") {
  text::SplitSettings o;
  o.stdin_name = "memo";
  text::SplitStage stage(o, local_files());
  auto worker = stage.make_worker();
  std::string name = "<stdin>", doc = "Caf\xE9.";
  std::string out;
  CHECK_THROWS_WITH_AS(worker->process(make_record(doc, name, true), out),
                       "invalid UTF-8 at byte 3 (use --encoding=latin1 or --encoding=replace)", Error);
  o.encoding = text::Encoding::latin1;
  text::SplitStage latin(o, local_files());
  auto w2 = latin.make_worker();
  w2->process(make_record(doc, name, true), out);
  CHECK(out == "{\"doc\":\"memo\",\"para\":0,\"sent\":0,\"para_sent\":0,\"para_sents\":1,\"doc_paras\":1,\"doc_sents\":1,\"start\":0,\"end\":6,\"text\":\"Caf\xC3\xA9.\"}\n");
}

TEST_CASE("NDJSON documents carry their other fields") {
  text::SplitSettings o;
  o.ndjson = true;
  o.doc_field = "id";
  text::SplitStage stage(o, local_files());
  CHECK_FALSE(stage.reads_text());
  auto worker = stage.make_worker();
  std::string name = "d.ndjson";
  std::string line = R"({"id":"x","text":"A b. C d.","sent":5,"tag":[1,2]})";
  std::string out;
  worker->process(make_record(line, name, false), out);
  CHECK(out ==
        "{\"doc\":\"x\",\"para\":0,\"sent\":0,\"para_sent\":0,\"para_sents\":2,\"doc_paras\":1,\"doc_sents\":2,\"start\":0,\"end\":4,\"text\":\"A b.\",\"tag\":[1,2]}\n"
        "{\"doc\":\"x\",\"para\":0,\"sent\":1,\"para_sent\":1,\"para_sents\":2,\"doc_paras\":1,\"doc_sents\":2,\"start\":5,\"end\":9,\"text\":\"C d.\",\"tag\":[1,2]}\n");
  std::string missing = R"({"id":"x"})";
  CHECK_THROWS_AS(worker->process(make_record(missing, name, false), out), Error);
}
