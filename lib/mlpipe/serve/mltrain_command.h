// mltrain as the service runs it: the options a client may choose, checked by mltrain's own
// declaration of them (model/tool_mltrain.h) so that the service and the program can never
// disagree on what an option means; one training run in-process on a job's rows; and what
// the model's sidecar tells the client of the model selection.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlpipe::serve {

// mltrain's command words for a job, from the request's query parameters: key=value becomes
// "--key=value" (one word, so that a value starting with '-' stays a value), a key alone the
// flag "--key". Keys are mltrain's long option names, and only those the service offers:
// the ones that read or write files on the server (-o, --info, --oof, --spec,
// --refresh-sidecar, --rejects, …) and those the service sets itself (--format, --threads,
// --progress) are refused with RequestError 400 naming the parameter; an option the service
// has not reviewed is refused too, so that a new mltrain option is not offered unawares.
// Unknown options and bad values are refused with mltrain's own message (RequestError 400).
std::vector<std::string> mltrain_words(const std::vector<std::pair<std::string, std::string>>& query);

// Checks the whole command a job will run, rows in `format` and `options` from mltrain_words,
// as mltrain does when it builds its stage (which reads and writes nothing for these
// options), so that options that contradict each other (--calibrate without --cv, --ignore
// without CSV) are an answer now rather than a failed job later: RequestError 400.
void check_mltrain_command(std::string_view format, const std::vector<std::string>& options);

struct MltrainRun {
  std::string format;                // "ndjson" or "csv"
  std::vector<std::string> options;  // mltrain_words
  std::string rows_path;             // the rows, read as mltrain's input
  std::string rows_name;             // what a message about a row calls that file ("rows:3: …")
  std::string model_path;            // -o: MODEL, MODEL.json and maybe MODEL.range
  std::string printed_path;          // what mltrain prints (cross-validated figures, the --compare table)
  int threads = 1;                   // --threads
  std::atomic<std::uint64_t>* rows_read = nullptr;  // counted as they are read, when set
};

// Runs mltrain in this process as its main would (core/cli.h's run_tool), without progress
// and with its printed lines going to printed_path: nothing reaches stdout; its notes and
// warnings (a kernel model's range file, solver limits) go to stderr, as the program's do.
// Throws Error, located in rows_name for a bad row, or another std::exception; never exits.
// Several runs may go at once on different threads: what mltrain shares in a process is
// read-only here or guarded (docs/HACKING.md's list: the libsvm print hook counts per thread,
// rand() draws take model/solver_common.cpp's lock, mltrain's MPI ranks are never set in a service).
void run_mltrain(const MltrainRun& run);

// What the sidecar keeps of model selection, as one JSON object: the learner and parameters
// kept, "cv" (the cross-validated figures), "calibration" and "threshold" when chosen, and
// "printed", mltrain's printed lines (the --compare or --grid table, which the sidecar does
// not keep). Empty when the model was trained without cross-validation (no --cv, --grid or
// --compare). Throws Error located at `name` for a sidecar that is not JSON.
std::string selection_report(std::string_view sidecar, std::string_view printed, const std::string& name);

}  // namespace mlpipe::serve
