// One live progress line on stderr, shared by every program: a label, counters in units the
// caller names (documents, sentences, bytes, partitions, fits), one of them measured against
// a total when the total is known (then a percentage and an ETA), a rate, and a note (what is
// running now). Counting is an atomic add that never looks at the clock; drawing happens in
// poll(), at most every `interval`, by whichever thread gets there first, so worker threads
// may count and poll freely. Clock and output are injectable for tests.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mlpipe {

// Where the line goes. A terminal gets the line redrawn in place ("\r…", erased at the end);
// anything else (a file, with --progress) gets one line per draw and a last summary line.
struct ProgressOutput {
  std::function<void(std::string_view)> write;  // default: stderr, unbuffered
  bool terminal = false;
  std::size_t width = 0;                        // 0: no limit; else lines are cut to fit
  std::function<double()> seconds;              // a monotonic clock; default steady_clock
};

// stderr as a ProgressOutput: terminal and width from the descriptor itself.
ProgressOutput stderr_progress_output();

// Formatting helpers, exposed for the tests: 1.2k, 3.4M; 12.0 MB; 45s, 2m10s, 1h05m.
std::string format_count(double n);
std::string format_bytes(double n);
std::string format_duration(double seconds);

// --progress, --no-progress, or neither.
enum class ProgressChoice { automatic, on, off };

// Whether a program that streams records draws its line. Forced either way by the options;
// otherwise only when stderr is a terminal and the program reads no pipe: in a shell
// pipeline that is the first stage, reading files or a terminal, and it alone draws (the
// stages after it read pipes), so a terminal shows one line for the whole pipeline, and the
// first stage knows the size of what it reads, hence an ETA. `inputs`: the files the
// program reads ("-" or none: standard input).
bool show_stream_progress(ProgressChoice choice, const std::vector<std::string>& inputs);
// For a program's own long work (mltrain's fits): stderr a terminal, unless forced.
bool show_progress(ProgressChoice choice);

// Sum of the sizes of `inputs` when every one is an uncompressed regular file, else 0 (no
// total: a pipe's size is unknown, and a compressed file's size is not what is counted).
std::uint64_t plain_input_bytes(const std::vector<std::string>& inputs);

class Progress {
 public:
  // `enabled` false: every call is a cheap no-op (one branch), nothing is ever written.
  Progress(std::string label, bool enabled, ProgressOutput out = stderr_progress_output());
  ~Progress();  // finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }

  // Declares a counter (at most four), before counting starts; returns its id. The counter with a total
  // (the first one that has one, else counter 0) is the measured one: rate and ETA come
  // from it. Unit "bytes" is shown as KB/MB/GB.
  std::size_t counter(std::string unit, std::uint64_t total = 0);
  void set_total(std::size_t id, std::uint64_t total);
  // Makes counter `id` the measured one whatever the others' totals (mlmr: bytes, not partitions).
  void measure(std::size_t id) { measured_ = id; }

  // Thread-safe and clock-free.
  void add(std::size_t id, std::uint64_t n = 1) {
    if (enabled_) counters_[id].done.fetch_add(n, std::memory_order_relaxed);
  }
  void set(std::size_t id, std::uint64_t v) {
    if (enabled_) counters_[id].done.store(v, std::memory_order_relaxed);
  }
  std::uint64_t value(std::size_t id) const { return counters_[id].done.load(std::memory_order_relaxed); }

  // What is running now, after the counters ("rbf-svm C=8 fold 3/5"). Thread-safe.
  void note(std::string text);

  // Draws when the last draw is `interval` old (the first poll draws at once). Reads the
  // clock once; thread-safe (a thread finding another drawing returns at once).
  void poll();
  // Draws now (e.g. when a slow step starts).
  void draw();
  // Erases the line before another message goes to stderr; the next poll draws again.
  void clear();
  // Ends: a terminal's line erased, a file's last line written. Idempotent.
  void finish();

  // The text of the line as it would be drawn now (no "\r"), for tests and summaries.
  std::string line() const;

  // Redraw period on a terminal and in a file.
  static constexpr double kTerminalInterval = 0.25;
  static constexpr double kFileInterval = 1.0;

 private:
  struct Counter {
    std::string unit;
    std::atomic<std::uint64_t> total{0};
    std::atomic<std::uint64_t> done{0};
  };
  std::string line_at(double now) const;
  void draw_at(double now);
  std::size_t measured() const;

  std::string label_;
  bool enabled_;
  ProgressOutput out_;
  static constexpr std::size_t kMaxCounters = 4;
  Counter counters_[kMaxCounters];
  std::size_t counter_count_ = 0;
  std::size_t measured_ = kMaxCounters;  // kMaxCounters: the first with a total
  mutable std::mutex note_mutex_;
  std::mutex draw_mutex_;  // one thread draws at a time
  std::string note_;
  double start_ = 0;
  std::atomic<double> next_draw_{0};
  bool drawn_ = false;     // the terminal shows our line now
  bool finished_ = false;
  std::size_t last_width_ = 0;
};

// Polls a meter from a thread of its own while the caller is inside one long call (a
// single fit): the elapsed time and the ETA keep moving. Nothing when the meter is off.
class Heartbeat {
 public:
  explicit Heartbeat(Progress& meter);
  ~Heartbeat();  // stop()
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;
  void stop();

 private:
  Progress& meter_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mlpipe
