// mlmr's pipeline string: 'mlsplit … | mlfeat … | mljoin …' split into stage command
// lines, each parsed by its tool's own option code (ToolDef::declare). MPI-free, so that
// every rank parses the same string to the same result without talking to the others.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/pipeline/registry.h"

namespace mlpipe::pipeline {

// Splits `pipeline` into stages (at unquoted '|') and each stage into words, like a POSIX
// shell without expansions: whitespace separates words, '…' is literal, "…" allows \" \\ \$ \`,
// a backslash outside quotes escapes the next character. Throws Error::usage on an
// unterminated quote or an empty stage.
std::vector<std::vector<std::string>> split_pipeline(std::string_view pipeline);

// One stage of the pipeline, parsed.
struct StageSpec {
  const ToolDef* tool = nullptr;
  std::vector<std::string> argv;  // argv[0] is the tool name
  std::shared_ptr<CLI::App> app;  // keeps what declare() bound alive for the factory
  StageFactory factory;           // builds the stage, reading its files (models) through a FileSource
  std::optional<bool> skip_errors;  // the stage's own --on-error, when given
  std::optional<std::size_t> max_record_bytes;  // the stage's own --max-record-bytes
};

// Parses every stage's words with its tool's declare(), the tool one of `tools`. Files the
// stage will open (models) are read by the factory, which is not called here. Throws
// Error::usage naming the stage: tools not in `tools`, bad options, and the I/O options
// that belong to mlmr itself (inputs, -o, --threads, --rejects …); a stage's --on-error
// and --max-record-bytes are kept.
std::vector<StageSpec> parse_pipeline(const std::vector<std::vector<std::string>>& stages, const ToolList& tools);

// The names of `tools`, for messages and --help.
std::vector<std::string_view> tool_names(const ToolList& tools);

}  // namespace mlpipe::pipeline
