// A pipeline served under a name: the same string mlmr takes ('mlsplit | mlfeat … | mllink …'),
// its stages built once (models read once), and a fresh chain of workers per request, since
// a join holds state between records of one input but never between requests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlpipe/pipeline/job_stages.h"
#include "mlpipe/serve/oip_tensors.h"

namespace mlpipe::serve {

class ServedPipeline {
 public:
  // Parses and builds the pipeline; throws Error::usage naming the stage for a bad one.
  ServedPipeline(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  // True when its first stage reads text documents (mlsplit); else it reads NDJSON records.
  bool reads_text() const { return job_.reads_text(); }
  const std::string& metadata() const { return metadata_; }

  // The pipeline's records for these documents (reads_text) …
  std::string run_documents(const std::vector<Document>& documents) const;
  // … or for these NDJSON records. Errors are located at the stage's input line.
  std::string run_records(std::string records) const;

 private:
  std::string run(const std::vector<Batch>& batches) const;

  std::string name_, text_;
  pipeline::JobStages job_;
  std::string metadata_;
};

}  // namespace mlpipe::serve
