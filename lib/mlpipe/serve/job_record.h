// What the service knows of one training job, as it answers for it and as it keeps it on disk
// (ModelFiles::jobs_dir()/ID.json), so that a restarted service still answers for its jobs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::serve {

struct JobRecord {
  enum class State { queued, running, succeeded, failed };
  std::string id;     // a valid_name, ordered by submission
  std::string model;  // the model it trains
  State state = State::queued;
  std::string format;                             // "ndjson" or "csv": how the rows are written
  std::vector<std::string> options;               // mltrain's words (mltrain_words)
  double created = 0, started = 0, finished = 0;  // seconds since the epoch; 0: not yet
  std::uint64_t rows = 0;                         // rows read, while running and after
  std::uint64_t version = 0;                      // succeeded: the version it published
  std::string error;                              // failed: mltrain's located message
  std::string report;                             // succeeded: a JSON object, what the sidecar keeps of model selection
                                                  // (selection_report: learner, params, cv, …), or empty without one

  bool finished_state() const { return state == State::succeeded || state == State::failed; }

  // {"id","model","state","format","options","created","started","finished","rows","version","error","report"}
  // on one line; "report" is the object itself (null when empty), not a string.
  std::string to_json() const;
  // The record to_json wrote; throws Error located at `name` when `json` is not one.
  static JobRecord from_json(std::string_view json, const std::string& name);
};

std::string_view state_name(JobRecord::State state);

}  // namespace mlpipe::serve
