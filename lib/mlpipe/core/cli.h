// Command lines: each program is a ToolDef — its name, and a function that declares
// its own options on a CLI11 app and returns the factory of its stage. The same
// declaration serves the program's main (run_tool) and mlmr's pipeline parser, so a
// stage means the same thing in a shell pipeline and on a cluster.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/runner.h"
#include "mlpipe/core/stage.h"

namespace CLI {
class App;
class Validator;
}

namespace mlpipe {

// Builds the stage after the command line has been parsed, reading the files its options
// name (models, specs, vocabularies) through `files` and no other way. Building writes
// nothing (files a stage makes are written by Stage::write_files). May return nullptr when
// the program has done all its work already (e.g. `mltrain --info MODEL`).
using StageFactory = std::function<std::unique_ptr<Stage>(const FileSource& files)>;

struct ToolDef {
  std::string_view name;     // "mlfeat"
  std::string_view summary;  // one line, for --help
  // Declares the tool's own options on `app`; called once per command line.
  std::function<StageFactory(CLI::App& app)> declare;
  // Whether run_tool adds -o/--output (tools that write models declare their own).
  bool writes_records = true;
};

// The version of mlpipe, printed by every program's --version.
std::string_view version();

// The whole main of a record-processing program: parses the command line (common
// I/O options plus the tool's own), runs the stage, and turns errors into
// "tool: error: …" and exit statuses 0/1/2.
int run_tool(int argc, char** argv, const ToolDef& tool);

// Checks that an option's value is a number above 0 ("--idle: must be a number above 0, not 0").
// (CLI11's PositiveNumber prints the largest double as the upper bound.)
const CLI::Validator& positive_number();

// --on-error=fail|skip, setting `skip`; mlmr declares it with its own help text.
void add_on_error_option(CLI::App& app, bool& skip, const std::string& help);
// --max-record-bytes SIZE (suffixes K, M, G), default 64M.
void add_max_record_bytes_option(CLI::App& app, std::size_t& bytes, const std::string& help);

// --progress and --no-progress (they exclude each other), setting `choice`.
void add_progress_options(CLI::App& app, ProgressChoice& choice, const std::string& help);

// Declares the I/O options shared by every program on `app`.
void add_io_options(CLI::App& app, IoOptions& io, bool writes_records);

// Parses argv with CLI11, mapping its outcomes onto ours: help and version go to stdout
// and it returns false (exit 0); parse errors become Error::usage (status 2).
bool parse_command_line(CLI::App& app, int argc, char** argv);

// Runs `body`, turning Error, BrokenPipe and other exceptions into a message on
// stderr and an exit status; the one place every program's errors end up.
int report_errors(std::string_view tool, const std::function<int()>& body);

}  // namespace mlpipe
