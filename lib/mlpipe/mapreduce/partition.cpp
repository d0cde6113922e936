#include "mlpipe/mapreduce/partition.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/frame_scan.h"

namespace mlpipe::mapreduce {

std::vector<InputFile> stat_inputs(const std::vector<std::string>& paths) {
  std::vector<InputFile> files;
  for (const std::string& p : paths) {
    if (p == "-") throw Error::usage("mlmr reads input files, not standard input (give FILE… after the pipeline)");
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) throw Error(p, 0, fmt::format("cannot open: {}", std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) throw Error(p, 0, "not a regular file (mlmr splits files by size)");
    InputFile f{p, std::uint64_t(st.st_size), std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(p, 0, fmt::format("cannot open: {}", std::strerror(errno)));
    const Compression format = compression_of_file(fd);
    f.compressed = format != Compression::none;
    f.cuts = frame_starts(fd, f.size, format);
    ::close(fd);
    files.push_back(std::move(f));
  }
  return files;
}

std::uint64_t auto_partition_bytes(std::uint64_t total_bytes, int ranks) {
  const std::uint64_t lo = std::uint64_t(1) << 20, hi = std::uint64_t(256) << 20;
  return std::clamp<std::uint64_t>(total_bytes / (std::uint64_t(std::max(1, ranks)) * 4), lo, hi);
}

std::vector<Partition> plan_partitions(const std::vector<InputFile>& files, bool whole_files, std::uint64_t target) {
  target = std::max<std::uint64_t>(target, 1);
  std::vector<Partition> parts;
  Partition cur;
  auto close = [&] {
    if (!cur.pieces.empty()) parts.push_back(std::move(cur));
    cur = Partition{};
  };
  for (std::uint32_t f = 0; f < files.size(); ++f) {
    const std::uint64_t size = files[f].size;
    if (whole_files || size == 0) {
      cur.pieces.push_back({f, 0, size});
      cur.bytes += size;
      if (cur.bytes >= target) close();
      continue;
    }
    const std::vector<std::uint64_t>& cuts = files[f].cuts;
    for (std::uint64_t at = 0; at < size;) {
      std::uint64_t take = std::min(size - at, target - cur.bytes);
      if (files[f].compressed) {
        // To the first frame start that gives the partition its share (or the file's end).
        auto cut = std::lower_bound(cuts.begin(), cuts.end(), at + take);
        take = (cut == cuts.end() ? size : *cut) - at;
      }
      cur.pieces.push_back({f, at, at + take});
      cur.bytes += take;
      at += take;
      if (cur.bytes >= target) close();
    }
  }
  close();
  return parts;
}

std::vector<int> assign_owners(const std::vector<Partition>& parts, int ranks) {
  std::uint64_t total = 0;
  for (const Partition& p : parts) total += p.bytes;
  std::vector<int> owner(parts.size(), 0);
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    // The rank whose share of the bytes holds this partition's middle.
    long double mid = total ? (before + parts[i].bytes / 2.0L) / total : (i + 0.5L) / parts.size();
    owner[i] = std::min(ranks - 1, int(mid * ranks));
    if (i > 0) owner[i] = std::max(owner[i], owner[i - 1]);
    before += parts[i].bytes;
  }
  return owner;
}

}  // namespace mlpipe::mapreduce
