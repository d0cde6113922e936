#include "mlpipe/mapreduce/shared_files.h"

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/mapreduce/raw_bytes.h"

namespace mlpipe::mapreduce {

namespace {

// Entries of a pack: [kind: u8][path: u64 size, bytes][payload: u64 size, bytes].
enum Kind : std::uint8_t { kFile = 0, kReadError = 1, kPresent = 2, kAbsent = 3 };

void put_string(std::string& out, std::string_view s) {
  put_raw<std::uint64_t>(out, s.size());
  out.append(s);
}

class PackReader {
 public:
  explicit PackReader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  std::uint8_t kind() {
    need(1);
    return std::uint8_t(in_[pos_++]);
  }
  std::string_view string() {
    need(sizeof(std::uint64_t));
    std::uint64_t n = get_raw<std::uint64_t>(in_, pos_);
    need(n);
    std::string_view s = in_.substr(pos_, std::size_t(n));
    pos_ += std::size_t(n);
    return s;
  }

 private:
  void need(std::uint64_t n) const {
    if (n > in_.size() - pos_) throw Error("internal: truncated file broadcast");
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

Error not_recorded(const std::string& path) {
  return Error(path, 0,
               "rank 0 did not read this file when it built the stages, so other ranks cannot have it (mlmr gives "
               "every rank the files rank 0's stages read)");
}

}  // namespace

std::size_t FileAnswers::files() const {
  std::size_t n = 0;
  for (const auto& [path, r] : reads) n += r.ok;
  return n;
}

std::uint64_t FileAnswers::bytes() const {
  std::uint64_t n = 0;
  for (const auto& [path, r] : reads)
    if (r.ok) n += r.bytes.size();
  return n;
}

std::string FileAnswers::pack() const {
  std::string out;
  for (const auto& [path, r] : reads) {
    out.push_back(char(r.ok ? kFile : kReadError));
    put_string(out, path);
    put_string(out, r.bytes);
  }
  for (const auto& [path, present] : exists) {
    out.push_back(char(present ? kPresent : kAbsent));
    put_string(out, path);
    put_string(out, "");
  }
  return out;
}

FileAnswers FileAnswers::unpack(std::string_view packed) {
  FileAnswers a;
  PackReader in(packed);
  while (!in.done()) {
    std::uint8_t kind = in.kind();
    std::string path(in.string());
    std::string_view payload = in.string();
    switch (kind) {
      case kFile:
      case kReadError: a.reads[path] = Read{kind == kFile, std::string(payload)}; break;
      case kPresent:
      case kAbsent: a.exists[path] = kind == kPresent; break;
      default: throw Error(fmt::format("internal: file broadcast entry of unknown kind {}", int(kind)));
    }
  }
  return a;
}

std::string RecordingFileSource::read(const std::string& path) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = answers_.reads.find(path); it != answers_.reads.end()) {
      if (!it->second.ok) throw Error(path, 0, it->second.bytes);
      return it->second.bytes;
    }
  }
  FileAnswers::Read r;
  try {
    r.bytes = inner_.read(path);
    r.ok = true;
  } catch (const Error& e) {
    // Kept, so that another rank's stage fails as this one does (or gets past it alike).
    r.bytes = e.what();
  }
  std::lock_guard lock(mutex_);
  auto [it, added] = answers_.reads.try_emplace(path, std::move(r));
  if (!it->second.ok) throw Error(path, 0, it->second.bytes);
  return it->second.bytes;
}

bool RecordingFileSource::exists(const std::string& path) const {
  std::lock_guard lock(mutex_);
  if (auto it = answers_.exists.find(path); it != answers_.exists.end()) return it->second;
  bool present = inner_.exists(path);
  answers_.exists[path] = present;
  return present;
}

std::string ServingFileSource::read(const std::string& path) const {
  auto it = answers_.reads.find(path);
  if (it == answers_.reads.end()) throw not_recorded(path);
  if (!it->second.ok) throw Error(path, 0, it->second.bytes);
  return it->second.bytes;
}

bool ServingFileSource::exists(const std::string& path) const {
  auto it = answers_.exists.find(path);
  if (it == answers_.exists.end()) throw not_recorded(path);
  return it->second;
}

}  // namespace mlpipe::mapreduce
