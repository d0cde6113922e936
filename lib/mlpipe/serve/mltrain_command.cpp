// See mltrain_command.h.
#include "mlpipe/serve/mltrain_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/runner.h"
#include "mlpipe/model/tool_mltrain.h"
#include "mlpipe/serve/request_error.h"

namespace mlpipe::serve {

namespace {

// The options a client may give, by long name: how to learn from the rows, never where files
// are. Reviewed one by one; an option mltrain gains later stays refused until added here.
// clang-format off
constexpr std::string_view kOffered[] = {
    // the rows
    "label", "features-field", "ignore", "group", "on-error", "max-record-bytes",
    // the learner and its parameters
    "learner", "task", "type", "kernel", "cost", "gamma", "degree", "coef0", "nu", "epsilon", "tolerance",
    "weight", "balanced", "probability", "seed", "solver", "compact", "scale", "trees", "depth", "eta", "positive",
    // model selection and decisions
    "cv", "grid", "grid-c", "grid-gamma", "grid-depth", "grid-eta", "compare", "metric", "calibrate", "threshold"};
// clang-format on

// Why an option mltrain has is not offered, for the message.
struct Refusal {
  std::string_view option, reason;
};
constexpr Refusal kRefused[] = {
    {"output", "the service names the model's files"},
    {"info", "it reads a file on the server; the service describes its models itself"},
    {"json", "it goes with --info, which reads a file on the server"},
    {"refresh-sidecar", "it rewrites a file on the server"},
    {"oof", "it writes a file on the server"},
    {"spec", "it reads a file on the server"},
    {"rejects", "it writes a file on the server"},
    {"format", "the service sets it from the rows' content type"},
    {"threads", "the service shares its CPUs among its jobs"},
    {"progress", "the service reports a job's progress itself"},
    {"no-progress", "the service reports a job's progress itself"},
    {"cache-mb", "the memory a training may take is the operator's to set"},
};

bool offered(std::string_view name) {
  return std::find(std::begin(kOffered), std::end(kOffered), name) != std::end(kOffered);
}

std::string_view refusal_reason(std::string_view name) {
  for (const Refusal& r : kRefused)
    if (r.option == name) return r.reason;
  return "the service does not offer it";
}

// A key that can only be a long option's name: anything else (an '=', a leading '-', a
// space) could make a word that means something other than the key it came from.
bool option_name(std::string_view key) {
  if (key.empty() || key.front() == '-') return false;
  return std::all_of(key.begin(), key.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// mltrain's command line as run_tool declares it (the shared I/O options, then mltrain's
// own), with no --help: a request cannot ask for a help text.
StageFactory declare_mltrain(CLI::App& app, IoOptions& io) {
  app.set_help_flag();
  add_io_options(app, io, mltrain_tool().writes_records);
  return mltrain_tool().declare(app);
}

// Parses `words` (without the program's name) as mltrain's command line; CLI11's complaint
// is thrown as it is.
void parse_words(CLI::App& app, const std::vector<std::string>& words) {
  std::vector<const char*> argv{"mltrain"};
  for (const std::string& w : words) argv.push_back(w.c_str());
  app.parse(int(argv.size()), argv.data());
}

// The files a stage built only to check its options may read: none. The options that name
// files are refused before, so this is a guard, not a rule a client can meet.
class NoFiles : public FileSource {
 public:
  std::string read(const std::string& path) const override {
    throw Error(path, 0, "the service reads no file named by a request");
  }
  bool exists(const std::string& /*path*/) const override { return false; }
};

}  // namespace

std::vector<std::string> mltrain_words(const std::vector<std::pair<std::string, std::string>>& query) {
  CLI::App app;
  IoOptions io;
  declare_mltrain(app, io);
  std::vector<std::string> words;
  for (const auto& [key, value] : query) {
    if (!option_name(key))
      throw RequestError::bad_request(
          fmt::format("train: parameter '{}': not an option name (mltrain's long options, without '--')", key));
    const std::string word = "--" + key;
    // An option mltrain has but the service does not offer is refused by name; an unknown
    // one is left to mltrain's parser, whose message says so.
    if (app.get_option_no_throw(word) && !offered(key))
      throw RequestError::bad_request(fmt::format("train: parameter '{}': not allowed ({})", key, refusal_reason(key)));
    words.push_back(value.empty() ? word : word + "=" + value);
  }
  try {
    parse_words(app, words);
  } catch (const CLI::ParseError& e) {
    throw RequestError::bad_request(fmt::format("train: {}", e.what()));
  }
  return words;
}

void check_mltrain_command(std::string_view format, const std::vector<std::string>& options) {
  CLI::App app;
  IoOptions io;
  StageFactory factory = declare_mltrain(app, io);
  std::vector<std::string> words{"--format", std::string(format)};
  words.insert(words.end(), options.begin(), options.end());
  words.insert(words.end(), {"-o", "model"});
  try {
    parse_words(app, words);
    factory(NoFiles());
  } catch (const CLI::ParseError& e) {
    throw RequestError::bad_request(fmt::format("train: {}", e.what()));
  } catch (const Error& e) {
    throw RequestError::bad_request(fmt::format("train: {}", describe(e)));
  }
}

void run_mltrain(const MltrainRun& run) {
  CLI::App app;
  IoOptions io;
  StageFactory factory = declare_mltrain(app, io);
  std::vector<std::string> words{"--format", run.format};
  words.insert(words.end(), run.options.begin(), run.options.end());
  // Progress off: a job's progress is its record's. "--" before the rows: whatever their
  // path, it is the input.
  words.insert(words.end(),
               {"--threads", std::to_string(run.threads), "--no-progress", "-o", run.model_path, "--", run.rows_path});
  try {
    parse_words(app, words);
  } catch (const CLI::ParseError& e) {
    // Checked at submission; met here only by a job queued before the service changed.
    throw Error::usage(e.what());
  }
  io.progress = false;
  io.output = run.printed_path;
  io.records_read = run.rows_read;
  try {
    std::unique_ptr<Stage> stage = factory(local_files());
    if (!stage) throw Error("mltrain: no training to run");  // only --info and --refresh-sidecar, refused
    run_stage(*stage, io, "mltrain");
  } catch (const Error& e) {
    // The client knows its rows as what it posted, not as a file of the server's.
    if (e.file() == run.rows_path) throw Error(run.rows_name, e.line(), e.what());
    throw;
  }
}

std::string selection_report(std::string_view sidecar, std::string_view printed, const std::string& name) {
  JsonText text(sidecar, name);
  JsonReader& r = text.reader();
  std::optional<Field> cv = r.find("cv");
  if (!cv || cv->type != JsonType::object) return {};
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (std::string_view key : {"learner", "type", "kernel", "solver", "params", "cv", "calibration", "threshold"})
    if (std::optional<Field> f = r.find(key)) w.key(key).raw(f->raw);
  if (!printed.empty()) w.key("printed").string(printed);
  w.end_object();
  return out;
}

}  // namespace mlpipe::serve
