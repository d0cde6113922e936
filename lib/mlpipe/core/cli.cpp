#include "mlpipe/core/cli.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <new>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/threads.h"

#ifndef MLPIPE_VERSION
#define MLPIPE_VERSION "0.0.0"
#endif

namespace mlpipe {

std::string_view version() { return MLPIPE_VERSION; }

int report_errors(std::string_view tool, const std::function<int()>& body) {
  try {
    return body();
  } catch (const BrokenPipe&) {
    return int(Exit::broken_pipe);
  } catch (const Error& e) {
    fmt::print(stderr, "{}\n", format_error(tool, e));
    if (e.is_usage()) {
      fmt::print(stderr, "Run '{} --help' for the options.\n", tool);
      return int(Exit::usage);
    }
    return int(Exit::failure);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: error: out of memory\n", tool);
    return int(Exit::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: error: {}\n", tool, e.what());
    return int(Exit::failure);
  }
}

const CLI::Validator& positive_number() {
  static const CLI::Validator check(
      [](std::string& value) -> std::string {
        // "inf" is above 0 and has always passed (--window inf); "nan" is not.
        const std::optional<double> v = parse_floating<double>(value);
        if (!v || !(*v > 0)) return fmt::format("must be a number above 0, not {}", value);
        return {};
      },
      "POSITIVE");
  return check;
}

void add_on_error_option(CLI::App& app, bool& skip, const std::string& help) {
  app.add_option_function<std::string>(
         "--on-error", [&skip](const std::string& v) { skip = v == "skip"; }, help)
      ->check(CLI::IsMember({"fail", "skip"}))
      ->type_name("fail|skip")
      ->default_str("fail");
}

void add_max_record_bytes_option(CLI::App& app, std::size_t& bytes, const std::string& help) {
  app.add_option("--max-record-bytes", bytes, help)->transform(CLI::AsSizeValue(false))->default_str("64M");
}

void add_io_options(CLI::App& app, IoOptions& io, bool writes_records) {
  app.add_option("inputs", io.inputs, "Input files ('-' or none: standard input)")->type_name("FILE");
  if (writes_records)
    app.add_option("-o,--output", io.output, "Write records to FILE, atomically (default: standard output)")
        ->type_name("FILE");
  app.add_option("--threads", io.threads, "Worker threads (default: the CPUs this process may use)")
      ->check(CLI::Range(1, 1024));
  add_on_error_option(app, io.skip_errors, "On a bad record: fail (stop, exit 1) or skip (count it and go on)");
  app.add_option_function<std::string>(
         "--rejects",
         [&io](const std::string& v) {
           io.rejects = v;
           io.skip_errors = true;
         },
         "Write skipped input lines, verbatim, to FILE (implies --on-error=skip)")
      ->type_name("FILE");
  add_max_record_bytes_option(app, io.max_record_bytes,
                              "Longest input line accepted; longer is a bad record (suffixes K, M, G)");
  if (writes_records)
    app.add_flag("--line-buffered", io.line_buffered, "Process and write each record as soon as it arrives");
  add_progress_options(app, io.progress_choice,
                       "Report progress on stderr (default: only when stderr is a terminal and the input is not a "
                       "pipe: in a shell pipeline, the first stage alone)");
}

void add_progress_options(CLI::App& app, ProgressChoice& choice, const std::string& help) {
  CLI::Option* on = app.add_flag_callback("--progress", [&choice] { choice = ProgressChoice::on; }, help);
  app.add_flag_callback("--no-progress", [&choice] { choice = ProgressChoice::off; }, "Never report progress")
      ->excludes(on);
}

namespace {

void report_skips(std::string_view tool, const RunSummary& summary) {
  if (summary.skipped == 0) return;
  for (const Error& e : summary.skips) fmt::print(stderr, "{}: skipped: {}\n", tool, describe(e));
  fmt::print(stderr, "{}: skipped {} bad record{} of {}\n", tool, summary.skipped, summary.skipped == 1 ? "" : "s",
             summary.records_in);
}

}  // namespace

// See cli.h.
bool parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return true;
  } catch (const CLI::Success& e) {  // --help, --version
    app.exit(e);
    return false;
  } catch (const CLI::ParseError& e) {
    throw Error::usage(e.what());
  }
}

int run_tool(int argc, char** argv, const ToolDef& tool) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout shows up as EPIPE: end quietly
  return report_errors(tool.name, [&]() -> int {
    CLI::App app(std::string(tool.summary), std::string(tool.name));
    app.set_version_flag("--version", fmt::format("{} (mlpipe) {}", tool.name, version()));
    IoOptions io;
    io.threads = default_threads();
    add_io_options(app, io, tool.writes_records);
    StageFactory factory = tool.declare(app);
    if (!parse_command_line(app, argc, argv)) return int(Exit::ok);
    io.progress = show_stream_progress(io.progress_choice, io.inputs);
    std::unique_ptr<Stage> stage = factory(local_files());
    if (!stage) return int(Exit::ok);
    RunSummary summary = run_stage(*stage, io, tool.name);
    report_skips(tool.name, summary);
    return int(Exit::ok);
  });
}

}  // namespace mlpipe
