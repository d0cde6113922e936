// The one error type of mlpipe. Library code throws it; exactly one place per
// program (run_tool / mlmr's main) turns it into "tool: error: FILE:LINE: message"
// and an exit status.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mlpipe {

// Exit statuses shared by every program (documented in each man page).
enum class Exit : int {
  ok = 0,
  failure = 1,  // runtime or data error
  usage = 2,    // bad command line
  broken_pipe = 141,  // the reader went away: stop quietly, like SIGPIPE would
};

class Error : public std::runtime_error {
 public:
  enum class Kind { data, usage };

  explicit Error(std::string message, Kind kind = Kind::data)
      : std::runtime_error(std::move(message)), kind_(kind) {}
  Error(std::string file, std::uint64_t line, std::string message)
      : std::runtime_error(std::move(message)), file_(std::move(file)), line_(line) {}

  static Error usage(std::string message) { return Error(std::move(message), Kind::usage); }

  Kind kind() const { return kind_; }
  bool is_usage() const { return kind_ == Kind::usage; }
  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }  // 0: no line (whole file, or a byte offset in the message)
  bool has_location() const { return !file_.empty(); }

  // Attaches a location unless the error already names one (the innermost place wins).
  Error& locate(std::string_view file, std::uint64_t line) {
    if (file_.empty()) {
      file_ = std::string(file);
      line_ = line;
    }
    return *this;
  }

 private:
  Kind kind_ = Kind::data;
  std::string file_;
  std::uint64_t line_ = 0;
};

// Thrown by output when the reader of stdout has gone (EPIPE): the program ends quietly.
struct BrokenPipe {};

// "FILE:LINE: message" (location parts omitted when unknown): what every report of an
// Error says after its prefix.
std::string describe(const Error& e);
// "tool: error: FILE:LINE: message".
std::string format_error(std::string_view tool, const Error& e);
// "tool: warning: FILE:LINE: message", for an Error the program survives (a replaced
// model refused while the running one is kept).
std::string format_warning(std::string_view tool, const Error& e);

}  // namespace mlpipe
