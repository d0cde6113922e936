#include "mlpipe/mpi/rank_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/read_at.h"
#include "mlpipe/mpi/agree.h"

namespace mlpipe::mpi {

namespace {

constexpr std::size_t kSendBlock = std::size_t(4) << 20;

std::string mpi_message(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int n = 0;
  MPI_Error_string(code, text, &n);
  return std::string(text, std::size_t(n));
}

// A part file read a block at a time.
class PartReader {
 public:
  explicit PartReader(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(path, 0, fmt::format("cannot open the part file: {}", std::strerror(errno)));
    off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) throw Error(path, 0, fmt::format("cannot read the part file: {}", std::strerror(errno)));
    size_ = std::uint64_t(end);
  }
  ~PartReader() { ::close(fd_); }
  PartReader(const PartReader&) = delete;
  PartReader& operator=(const PartReader&) = delete;
  std::uint64_t size() const { return size_; }
  void read(std::uint64_t at, std::size_t n, std::string& out) const {
    out.resize(n);
    if (!read_exactly_at(fd_, at, out.data(), n))
      throw Error(path_, 0, fmt::format("cannot read the part file: {}", errno ? std::strerror(errno) : "short"));
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace

RankOutput::RankOutput(const Comm& c, const mapreduce::OutputTarget& target, const std::string& spool_dir) : c_(c) {
  if (!target.to_stdout())
    out_.emplace(target.part_path(c.rank));
  else if (c.rank == 0)
    out_.emplace("");
  else
    spool_ = std::make_unique<mapreduce::Spool>(spool_dir);
}

void RankOutput::write(std::string_view bytes) {
  bytes_ += bytes.size();
  if (out_)
    out_->write(bytes);
  else
    spool_->write(bytes);
}

void RankOutput::close() {
  if (out_ && !out_->is_stdout()) {
    out_->commit();
    return;
  }
  gather_to_root(c_, out_ ? &*out_ : nullptr, spool_.get());
}

void gather_to_root(const Comm& c, Output* root, const mapreduce::Spool* spool) {
  if (c.rank == 0) {
    for (int r = 1; r < c.size; ++r) receive_stream(c, r, [&](std::string_view b) { root->write(b); });
    return;
  }
  std::string block;
  for (std::uint64_t at = 0; at < spool->size(); at += kSendBlock) {
    spool->read(at, std::size_t(std::min<std::uint64_t>(kSendBlock, spool->size() - at)), block);
    send_stream(c, 0, block);
  }
  end_stream(c, 0);
}

FileWriteCounts write_one_file(const Comm& c, const mapreduce::OutputTarget& target, std::size_t block_bytes) {
  auto t0 = std::chrono::steady_clock::now();
  FileWriteCounts counts;
  const std::string tmp = target.parts_dir() + "/_output.tmp";
  std::optional<PartReader> part;
  agree(c, [&] { part.emplace(target.part_path(c.rank)); });
  std::uint64_t mine = part->size(), offset = 0;
  MPI_Exscan(&mine, &offset, 1, MPI_UINT64_T, MPI_SUM, c.comm);
  if (c.rank == 0) offset = 0;  // MPI_Exscan leaves rank 0's undefined
  std::uint64_t my_rounds = (mine + block_bytes - 1) / block_bytes, rounds = 0;
  MPI_Allreduce(&my_rounds, &rounds, 1, MPI_UINT64_T, MPI_MAX, c.comm);

  // A file left by an interrupted run would keep its tail past this run's end.
  if (c.rank == 0) std::remove(tmp.c_str());
  MPI_File fh = MPI_FILE_NULL;
  int rc = MPI_File_open(c.comm, tmp.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  agree(c, [&] {
    if (rc != MPI_SUCCESS) throw Error(tmp, 0, fmt::format("cannot create the output file: {}", mpi_message(rc)));
  });
  // Every rank takes part in every round (with nothing to write once its part is done); a
  // failure is carried to the end, where the ranks agree on it, since a rank leaving the
  // collective early would leave the others waiting.
  std::string failure;
  std::string block;
  for (std::uint64_t r = 0; r < rounds; ++r) {
    std::uint64_t at = r * block_bytes;
    std::size_t n = at < mine ? std::size_t(std::min<std::uint64_t>(block_bytes, mine - at)) : 0;
    block.clear();
    if (n > 0 && failure.empty()) {
      try {
        part->read(at, n, block);
      } catch (const Error& e) {
        failure = describe(e);
        n = 0;
      }
    }
    if (!failure.empty()) n = 0;
    MPI_Status st;
    rc = MPI_File_write_at_all(fh, MPI_Offset(offset + at), block.data(), int(n), MPI_BYTE, &st);
    if (rc != MPI_SUCCESS && failure.empty()) failure = fmt::format("{}: cannot write: {}", tmp, mpi_message(rc));
    counts.bytes += n;
  }
  rc = MPI_File_sync(fh);
  if (rc != MPI_SUCCESS && failure.empty()) failure = fmt::format("{}: cannot write: {}", tmp, mpi_message(rc));
  rc = MPI_File_close(&fh);
  if (rc != MPI_SUCCESS && failure.empty()) failure = fmt::format("{}: cannot close: {}", tmp, mpi_message(rc));
  part.reset();
  agree(c, [&] {
    if (!failure.empty()) throw Error(failure);
  });
  // Every rank's bytes are in place: the file appears whole, under its name, at once.
  agree(c, [&] {
    if (c.rank != 0) return;
    if (std::rename(tmp.c_str(), target.path.c_str()) != 0)
      throw Error(target.path, 0, fmt::format("cannot rename the finished output into place: {}", std::strerror(errno)));
    mapreduce::remove_parts(target);
  });
  counts.rounds = rounds;
  counts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return counts;
}

}  // namespace mlpipe::mpi
