// The mlshow stage: the argument-mining pipeline's output made into something a person looks
// at — an HTML page, a Graphviz graph, AIF JSON for argument tools, or plain text. It holds
// every record (they may come in any order) and writes once, at the end of its input.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/show/argument_records.h"
#include "mlpipe/show/source_documents.h"

namespace mlpipe::show {

enum class Format { html, dot, aif, text };

// What the stage does (tool_mlshow.h makes it from the command line).
struct ShowSettings {
  Format format = Format::html;
  RoleNames names;
  std::string title = "mlpipe: arguments";
  std::vector<std::string> docs;         // text files, shown whole
  std::vector<std::string> docs_ndjson;  // files of document records
  std::size_t claims = 5;                // per document in the text format (0: all)
};

class ShowStage : public Stage {
 public:
  // Reads the documents the settings name through `files`; throws Error naming a document
  // file that cannot be read, or a document given twice.
  ShowStage(ShowSettings settings, const FileSource& files);

  // One picture of the whole input: every record reaches one worker, which writes at the end.
  bool concurrent() const override { return false; }
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override;

  const ShowSettings& settings() const { return settings_; }
  const std::vector<SourceDocument>& documents() const { return docs_; }

 private:
  ShowSettings settings_;
  std::vector<SourceDocument> docs_;
};

}  // namespace mlpipe::show
