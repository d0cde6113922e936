#include "mlpipe/core/progress.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/decompress.h"

namespace mlpipe {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Straight to the descriptor: stdio's stderr is unbuffered anyway, and a half-drawn line
// from two threads is what the mutex around drawing prevents.
void write_stderr(std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // progress is never worth failing for
    s.remove_prefix(std::size_t(n));
  }
}

// At most `width` bytes, not ending inside a UTF-8 sequence.
void cut_to(std::string& s, std::size_t width) {
  if (width == 0 || s.size() <= width) return;
  std::size_t n = width;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

std::string amount(std::uint64_t n, const std::string& unit) {
  if (unit == "bytes") return format_bytes(double(n));
  std::string_view u = unit;
  if (n == 1 && u.size() > 1 && u.back() == 's') u.remove_suffix(1);
  return fmt::format("{} {}", format_count(double(n)), u);
}

}  // namespace

namespace {

bool is_pipe(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

}  // namespace

bool show_progress(ProgressChoice choice) {
  if (choice != ProgressChoice::automatic) return choice == ProgressChoice::on;
  return isatty(STDERR_FILENO) != 0;
}

bool show_stream_progress(ProgressChoice choice, const std::vector<std::string>& inputs) {
  if (choice != ProgressChoice::automatic) return choice == ProgressChoice::on;
  if (!isatty(STDERR_FILENO)) return false;
  if (inputs.empty()) return !is_pipe(STDIN_FILENO);
  for (const std::string& in : inputs) {
    if (in == "-") {
      if (is_pipe(STDIN_FILENO)) return false;
      continue;
    }
    struct stat st;
    if (::stat(in.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) return false;  // <(…)
  }
  return true;
}

std::uint64_t plain_input_bytes(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return 0;
  std::uint64_t total = 0;
  for (const std::string& in : inputs) {
    if (in == "-") return 0;
    const int fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;  // the reader reports it
    struct stat st;
    char head[4];
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const ssize_t n = regular ? ::pread(fd, head, sizeof head, 0) : -1;
    ::close(fd);
    if (!regular || n < 0 || compression_of(std::string_view(head, std::size_t(n))) != Compression::none) return 0;
    total += std::uint64_t(st.st_size);
  }
  return total;
}

ProgressOutput stderr_progress_output() {
  ProgressOutput out;
  out.write = write_stderr;
  out.terminal = isatty(STDERR_FILENO) != 0;
  if (out.terminal) {
    winsize ws{};
    // One column spare: a line filling the last column wraps on some terminals.
    out.width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? std::size_t(ws.ws_col) - 1 : 79;
  }
  return out;
}

std::string format_count(double n) {
  if (n < 10000) return fmt::format("{:.0f}", n);
  if (n < 1e6) return fmt::format("{:.1f}k", n / 1e3);
  if (n < 1e9) return fmt::format("{:.2f}M", n / 1e6);
  return fmt::format("{:.2f}G", n / 1e9);
}

std::string format_bytes(double n) {
  if (n < 1e3) return fmt::format("{:.0f} B", n);
  if (n < 1e6) return fmt::format("{:.1f} KB", n / 1e3);
  if (n < 1e9) return fmt::format("{:.1f} MB", n / 1e6);
  return fmt::format("{:.2f} GB", n / 1e9);
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 359999) return "?";
  const long s = std::lround(seconds);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

Progress::Progress(std::string label, bool enabled, ProgressOutput out)
    : label_(std::move(label)), enabled_(enabled), out_(std::move(out)) {
  if (!out_.write) out_.write = write_stderr;
  if (!out_.seconds) out_.seconds = steady_seconds;
  if (enabled_) start_ = out_.seconds();
}

Progress::~Progress() { finish(); }

std::size_t Progress::counter(std::string unit, std::uint64_t total) {
  const std::size_t id = counter_count_ < kMaxCounters ? counter_count_++ : kMaxCounters - 1;
  counters_[id].unit = std::move(unit);
  counters_[id].total.store(total, std::memory_order_relaxed);
  return id;
}

void Progress::set_total(std::size_t id, std::uint64_t total) { counters_[id].total.store(total, std::memory_order_relaxed); }

void Progress::note(std::string text) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(note_mutex_);
  note_ = std::move(text);
}

std::size_t Progress::measured() const {
  if (measured_ < counter_count_) return measured_;
  for (std::size_t i = 0; i < counter_count_; ++i)
    if (counters_[i].total.load(std::memory_order_relaxed) > 0) return i;
  return 0;
}

std::string Progress::line_at(double now) const {
  std::string s = label_ + ":";
  const std::size_t m = measured();
  const double elapsed = now - start_;
  const char* sep = " ";
  for (std::size_t i = 0; i < counter_count_; ++i) {
    const Counter& c = counters_[i];
    const std::uint64_t done = c.done.load(std::memory_order_relaxed);
    const std::uint64_t total = c.total.load(std::memory_order_relaxed);
    s += sep;
    sep = " · ";
    if (total > 0) {
      // "12.0 MB of 40.0 MB (30%)", "fit 4/40"
      if (c.unit == "bytes")
        s += fmt::format("{} of {} ({:.0f}%)", format_bytes(double(done)), format_bytes(double(total)),
                         100.0 * double(std::min(done, total)) / double(total));
      else
        s += fmt::format("{}/{} {}", done, total, c.unit);
    } else {
      s += amount(done, c.unit);
    }
  }
  double eta = -1;
  if (counter_count_ > 0 && elapsed > 0) {
    const Counter& c = counters_[m];
    const std::uint64_t done = c.done.load(std::memory_order_relaxed);
    const std::uint64_t total = c.total.load(std::memory_order_relaxed);
    const double rate = double(done) / elapsed;
    // A rate is worth showing for streams of many small things, not for a handful of fits.
    if (done > 0 && rate >= 1 && (c.unit == "bytes" || total == 0 || total >= 1000))
      s += c.unit == "bytes" ? fmt::format(" · {}/s", format_bytes(rate))
                             : fmt::format(" · {} {}/s", format_count(rate), c.unit);
    if (total > 0 && done > 0 && done < total) eta = double(total - done) / rate;
  }
  std::string note;
  {
    std::lock_guard<std::mutex> lock(note_mutex_);
    note = note_;
  }
  if (!note.empty()) s += (counter_count_ ? " · " : " ") + note;
  if (eta >= 0) s += fmt::format(" · {} left", format_duration(eta));
  else if (!finished_) s += fmt::format(" · {}", format_duration(elapsed));
  return s;
}

std::string Progress::line() const { return line_at(out_.seconds()); }

void Progress::draw_at(double now) {
  std::string s = line_at(now);
  if (out_.terminal) {
    cut_to(s, out_.width);
    out_.write("\r" + s + "\033[K");
    drawn_ = true;
  } else {
    out_.write(s + "\n");
    drawn_ = true;
  }
}

void Progress::poll() {
  if (!enabled_) return;
  const double now = out_.seconds();
  if (now < next_draw_.load(std::memory_order_relaxed)) return;
  std::unique_lock<std::mutex> lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;  // another thread is drawing: it is enough
  next_draw_.store(now + (out_.terminal ? kTerminalInterval : kFileInterval), std::memory_order_relaxed);
  draw_at(now);
}

void Progress::draw() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> draw_lock(draw_mutex_);
  if (finished_) return;
  const double now = out_.seconds();
  next_draw_.store(now + (out_.terminal ? kTerminalInterval : kFileInterval), std::memory_order_relaxed);
  draw_at(now);
}

void Progress::clear() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> draw_lock(draw_mutex_);
  if (out_.terminal && drawn_) out_.write("\r\033[K");
  drawn_ = false;
  next_draw_.store(0, std::memory_order_relaxed);
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> draw_lock(draw_mutex_);
  if (finished_) return;
  if (out_.terminal) {
    if (drawn_) out_.write("\r\033[K");
  } else if (drawn_) {
    // A file keeps the last state, with the time it took.
    const double now = out_.seconds();
    finished_ = true;
    out_.write(line_at(now) + fmt::format(" · done in {}\n", format_duration(now - start_)));
  }
  finished_ = true;
  drawn_ = false;
}

Heartbeat::Heartbeat(Progress& meter) : meter_(meter) {
  if (!meter_.enabled()) return;
  meter_.draw();  // at once: the call it watches may be long
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::duration<double>(Progress::kTerminalInterval), [this] { return stopping_; }))
      meter_.poll();
  });
}

Heartbeat::~Heartbeat() { stop(); }

void Heartbeat::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mlpipe
