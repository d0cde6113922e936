// See served_pipeline.h.
#include "mlpipe/serve/served_pipeline.h"

#include <fmt/format.h>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/record.h"
#include "mlpipe/pipeline/pipeline.h"

namespace mlpipe::serve {

namespace {

const std::string kPipelineRequestSource = "request";

std::string metadata_of(const std::string& name, const std::string& text, bool reads_text) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("name").string(name);
  w.key("versions").begin_array().string("1").end_array();
  w.key("platform").string("mlpipe-pipeline");
  w.key("inputs").begin_array();
  if (reads_text) {
    w.begin_object().key("name").string("text").key("datatype").string("BYTES").key("shape").begin_array().integer(-1)
        .end_array().end_object();
    w.begin_object().key("name").string("doc").key("datatype").string("BYTES").key("shape").begin_array().integer(-1)
        .end_array().key("optional").boolean(true).end_object();
  } else {
    w.begin_object().key("name").string("records").key("datatype").string("BYTES").key("shape").begin_array()
        .integer(-1).end_array().end_object();
  }
  w.end_array();
  w.key("outputs").begin_array();
  w.begin_object().key("name").string("records").key("datatype").string("BYTES").key("shape").begin_array()
      .integer(-1).end_array().end_object();
  w.end_array();
  w.key("parameters").begin_object().key("pipeline").string(text).end_object();
  w.end_object();
  return out;
}

}  // namespace

ServedPipeline::ServedPipeline(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  job_ = pipeline::build_job_stages(pipeline::split_pipeline(text_), local_files(), pipeline::StageDefaults{},
                                    pipeline::known_tools());
  metadata_ = metadata_of(name_, text_, reads_text());
}

std::string ServedPipeline::run(const std::vector<Batch>& batches) const {
  std::vector<std::string> sources;
  for (const pipeline::JobStage& s : job_.stages)
    sources.push_back(sources.empty() ? kPipelineRequestSource : fmt::format("{} (input of {})", kPipelineRequestSource, s.name));
  pipeline::StageChain chain(pipeline::make_executors(job_, 0, job_.stages.size(), 1), std::move(sources));
  std::string out;
  auto emit = [&](std::string_view part) { out += part; };
  for (const Batch& b : batches) chain.run(b, emit);
  chain.finish(emit);
  return out;
}

std::string ServedPipeline::run_documents(const std::vector<Document>& documents) const {
  std::vector<Batch> batches(documents.size());
  for (std::size_t i = 0; i < documents.size(); ++i) {
    Batch& b = batches[i];
    b.buffer = documents[i].text;
    b.buffer.reserve(b.buffer.size() + kJsonPadding);
    b.bytes = b.buffer.size();
    Record r;
    r.data = b.buffer;
    r.readable = b.buffer.capacity();
    r.source = &documents[i].name;  // a text document is named by its source, as a file is
    r.is_text = true;
    b.records.push_back(r);
  }
  return run(batches);
}

std::string ServedPipeline::run_records(std::string records) const {
  std::vector<Batch> batches(1);
  Batch::from_lines(batches[0], std::move(records), &kPipelineRequestSource);
  return run(batches);
}

}  // namespace mlpipe::serve
