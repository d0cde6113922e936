// mlshow: the argument-mining pipeline's output made into something a person looks at —
// an HTML page, a Graphviz graph, AIF JSON for argument tools, or plain text. It holds every record
// (they may come in any order) and writes once, at the end of its input.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/show/argument_records.h"

namespace mlpipe::show {

enum class Format { html, dot, aif, text };

// Everything mlshow's command line sets.
struct MlshowOptions {
  Format format = Format::html;
  RoleNames names;
  std::string title = "mlpipe: arguments";
  std::vector<std::string> docs;         // text files, shown whole
  std::vector<std::string> docs_ndjson;  // files of document records
  std::size_t claims = 5;                // --claims: per document in the text format (0: all)
};

// Reads the documents the options name through `files`; throws Error::usage for bad
// options and Error naming a document file that cannot be read.
std::unique_ptr<Stage> make_show_stage(MlshowOptions options, const FileSource& files);

}  // namespace mlpipe::show

namespace mlpipe {

const ToolDef& mlshow_tool();

}  // namespace mlpipe
