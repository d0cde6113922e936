#include "mlpipe/model/train_ranks.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

TrainRanks* g_ranks = nullptr;

// The first byte of rank 0's message to the others.
constexpr char kRows = 'R';
constexpr char kEnd = 'E';

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <typename T>
  void value(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <typename T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    value<std::uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    out_ += s;
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  Reader(const std::string& in, std::size_t at) : in_(in), at_(at) {}
  template <typename T>
  T value() {
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  template <typename T>
  void array(std::vector<T>& v) {
    const auto n = value<std::uint64_t>();
    if (n > (in_.size() - at_) / sizeof(T)) fail();
    v.resize(std::size_t(n));
    const char* p = take(v.size() * sizeof(T));
    if (n) std::memcpy(v.data(), p, v.size() * sizeof(T));  // an empty vector's data() may be null
  }
  std::string text() {
    const auto n = value<std::uint64_t>();
    if (n > in_.size() - at_) fail();
    return std::string(take(std::size_t(n)), std::size_t(n));
  }
  bool at_end() const { return at_ == in_.size(); }

 private:
  [[noreturn]] void fail() const { throw Error("the rows rank 0 sent end early"); }
  const char* take(std::size_t n) {
    if (n > in_.size() - at_) fail();
    const char* p = in_.data() + at_;
    at_ += n;
    return p;
  }
  const std::string& in_;
  std::size_t at_;
};

}  // namespace

TrainRanks* train_ranks() { return g_ranks; }
void set_train_ranks(TrainRanks* ranks) { g_ranks = ranks; }

std::string pack_rows(const Dataset& d, const std::vector<int>& folds) {
  std::string out;
  Writer w(out);
  w.value<std::uint8_t>(d.classification ? 1 : 0);
  w.value<std::uint32_t>(d.max_index);
  w.array(d.nodes);
  std::vector<std::uint64_t> start(d.start.begin(), d.start.end());
  w.array(start);
  w.array(d.target);
  w.value<std::uint64_t>(d.class_names.size());
  for (const std::string& name : d.class_names) w.text(name);
  w.array(d.class_labels);
  w.array(d.kinds);
  w.array(folds);
  return out;
}

namespace {
void unpack_rows_at(const std::string& bytes, std::size_t at, Dataset& d, std::vector<int>& folds) {
  Reader r(bytes, at);
  d = Dataset{};
  d.classification = r.value<std::uint8_t>() != 0;
  d.max_index = r.value<std::uint32_t>();
  r.array(d.nodes);
  std::vector<std::uint64_t> start;
  r.array(start);
  d.start.assign(start.begin(), start.end());
  r.array(d.target);
  const auto classes = r.value<std::uint64_t>();
  for (std::uint64_t c = 0; c < classes; ++c) d.class_names.push_back(r.text());
  r.array(d.class_labels);
  r.array(d.kinds);
  r.array(folds);
  if (!r.at_end() || d.target.size() != d.start.size() || folds.size() != d.start.size() ||
      !(d.kinds.empty() || d.kinds.size() == std::size_t(d.max_index) + 1))
    throw Error("the rows rank 0 sent do not add up");
}
}  // namespace

void unpack_rows(const std::string& bytes, Dataset& d, std::vector<int>& folds) { unpack_rows_at(bytes, 0, d, folds); }

void TrainRanks::start(const Dataset& d, const std::vector<int>& folds) {
  if (started_ || rank() != 0) return;
  std::string message(1, kRows);
  message += pack_rows(d, folds);
  peers_.broadcast(message);
  started_ = true;
}

void TrainRanks::finish(int status) {
  if (started_ || rank() != 0) return;
  std::string message(1, kEnd);
  const std::int32_t s = status;
  message.append(reinterpret_cast<const char*>(&s), sizeof s);
  peers_.broadcast(message);
  started_ = true;
}

bool TrainRanks::wait(int& status) {
  message_.clear();
  peers_.broadcast(message_);
  if (!message_.empty() && message_[0] == kRows) return true;
  std::int32_t s = 1;
  if (message_.size() == 1 + sizeof s) std::memcpy(&s, message_.data() + 1, sizeof s);
  status = s;
  return false;
}

void TrainRanks::take(Dataset& d, std::vector<int>& folds) {
  unpack_rows_at(message_, 1, d, folds);
  message_.clear();
  message_.shrink_to_fit();
}

}  // namespace mlpipe
