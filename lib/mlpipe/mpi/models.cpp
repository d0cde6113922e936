#include "mlpipe/mpi/models.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"

namespace mlpipe::mr {

namespace fs = std::filesystem;

namespace {

bool is_regular_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool looks_like_path(const std::string& p) { return p.find('/') != std::string::npos || p.find('.') != std::string::npos; }

// Files named, relative to `dir`, by the JSON strings in `text`: what a spec or sidecar
// refers to (mlfeat's fitted vocabulary, "file":"vocab.tsv"). Only plain relative names that
// exist as regular files count; nothing above `dir` is followed.
std::vector<std::string> named_files(std::string_view text, const fs::path& dir) {
  std::vector<std::string> names;
  for (std::size_t open = text.find('"'); open != std::string_view::npos;) {
    std::size_t close = text.find('"', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view word = text.substr(open + 1, close - open - 1);
    open = text.find('"', close + 1);
    if (word.empty() || word.size() > 4096 || word.front() == '/' || word.find("..") != std::string_view::npos ||
        word.find('\\') != std::string_view::npos)
      continue;
    if (is_regular_file((dir / std::string(word)).string())) names.emplace_back(word);
  }
  return names;
}

// The model file, its sidecars (NAME.json, NAME.vocab, …) and the files these name (a spec's
// vocabulary), as paths relative to the model's directory; the model first.
std::vector<std::string> with_sidecars(const std::string& path) {
  fs::path p(path);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::vector<std::string> files{p.filename().string()};
  std::string stem = p.filename().string() + ".";
  std::error_code ec;
  std::vector<std::string> side;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() > stem.size() && name.compare(0, stem.size(), stem) == 0 && entry.is_regular_file(ec))
      side.push_back(name);
  }
  std::sort(side.begin(), side.end());
  files.insert(files.end(), side.begin(), side.end());
  // Text files (specs, sidecars) may name more files beside them; a model file has no quotes.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (fs::file_size(dir / files[i], ec) > (std::uintmax_t(16) << 20)) continue;
    for (std::string& named : named_files(read_whole_file((dir / files[i]).string()), dir))
      if (std::find(files.begin(), files.end(), named) == files.end()) files.push_back(std::move(named));
  }
  return files;
}

void put_string(std::string& out, std::string_view s) {
  std::uint64_t n = s.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(s);
}

std::string_view get_string(std::string_view in, std::size_t& pos) {
  std::uint64_t n;
  if (pos + sizeof n > in.size()) throw Error("internal: truncated model broadcast");
  std::memcpy(&n, in.data() + pos, sizeof n);
  pos += sizeof n;
  std::string_view s = in.substr(pos, std::size_t(n));
  pos += std::size_t(n);
  return s;
}

}  // namespace

std::vector<FileWord> find_file_words(const std::vector<std::vector<std::string>>& stages) {
  std::vector<FileWord> found;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    for (std::size_t w = 1; w < stages[s].size(); ++w) {
      const std::string& word = stages[s][w];
      std::size_t eq = word.find('=');
      for (std::size_t cut : {std::size_t(0), eq == std::string::npos ? std::string::npos : eq + 1}) {
        if (cut == std::string::npos) continue;
        std::string path = word.substr(cut);
        if (!path.empty() && looks_like_path(path) && is_regular_file(path)) {
          found.push_back({s, w, word.substr(0, cut), path});
          break;
        }
      }
    }
  }
  return found;
}

ModelBroadcast::ModelBroadcast(const Comm& c, std::vector<std::vector<std::string>>& stages, const std::string& tmpdir) {
  // Rank 0 packs [status][message] [count] then per file word: its files as (name, bytes).
  std::string blob;
  std::vector<FileWord> words;
  if (c.rank == 0) {
    std::string packed, error;
    try {
      words = find_file_words(stages);
      std::uint64_t count = words.size();
      packed.append(reinterpret_cast<const char*>(&count), sizeof count);
      std::map<std::string, std::string> copies;  // path -> its copy's name, relative to the node's directory
      for (std::size_t i = 0; i < words.size(); ++i) {
        const FileWord& fw = words[i];
        put_string(packed, std::to_string(fw.stage) + " " + std::to_string(fw.word) + " " + fw.prefix);
        auto [it, added] = copies.try_emplace(fw.path, fmt::format("{}/{}", i, fs::path(fw.path).filename().string()));
        put_string(packed, it->second);
        // A file named by several words travels once.
        std::vector<std::string> files = added ? with_sidecars(fw.path) : std::vector<std::string>{};
        std::uint64_t nf = files.size();
        packed.append(reinterpret_cast<const char*>(&nf), sizeof nf);
        fs::path dir = fs::path(fw.path).parent_path();
        for (const std::string& f : files) {
          put_string(packed, fmt::format("{}/{}", i, f));
          put_string(packed, read_whole_file((dir.empty() ? fs::path(f) : dir / f).string()));
        }
      }
    } catch (const Error& e) {
      error = e.has_location() ? fmt::format("{}: {}", e.file(), e.what()) : e.what();
    }
    blob.push_back(error.empty() ? 0 : 1);
    blob += error.empty() ? packed : error;
  }
  bcast_bytes(c, blob, 0);
  if (blob.empty() || blob[0] != 0)
    throw Error(c.rank == 0 ? blob.substr(1) : "rank 0 could not read the model files");
  std::string_view in = std::string_view(blob).substr(1);
  std::size_t pos = 0;
  std::uint64_t count;
  std::memcpy(&count, in.data(), sizeof count);
  pos += sizeof count;
  if (count == 0) return;

  // One rank per node writes the copies; the others of the node use them.
  MPI_Comm node;
  MPI_Comm_split_type(c.comm, MPI_COMM_TYPE_SHARED, c.rank, MPI_INFO_NULL, &node);
  int node_rank = 0;
  MPI_Comm_rank(node, &node_rank);
  std::string dir, error;
  if (node_rank == 0) {
    try {
      std::string tmpl = tmpdir + "/mlmr-models.XXXXXX";
      if (!::mkdtemp(tmpl.data()))
        throw Error(tmpdir, 0, fmt::format("cannot create a directory for model copies: {}", std::strerror(errno)));
      dir = tmpl;
      owner_ = true;
    } catch (const Error& e) {
      error = fmt::format("{}: {}", e.file(), e.what());
    }
  }
  struct Rewrite {
    std::size_t stage, word;
    std::string prefix, relative;  // the new word: prefix + dir + "/" + relative
  };
  std::vector<Rewrite> rewrites;
  std::size_t p = pos;
  for (std::uint64_t i = 0; i < count; ++i) {
    Rewrite rw;
    std::string_view where = get_string(in, p);  // "STAGE WORD PREFIX"
    std::size_t sp1 = where.find(' '), sp2 = where.find(' ', sp1 + 1);
    rw.stage = std::stoul(std::string(where.substr(0, sp1)));
    rw.word = std::stoul(std::string(where.substr(sp1 + 1, sp2 - sp1 - 1)));
    rw.prefix = std::string(where.substr(sp2 + 1));
    rw.relative = std::string(get_string(in, p));
    std::uint64_t nf;
    std::memcpy(&nf, in.data() + p, sizeof nf);
    p += sizeof nf;
    for (std::uint64_t k = 0; k < nf; ++k) {
      std::string relative(get_string(in, p));
      std::string_view bytes = get_string(in, p);
      files_ += 1;
      bytes_ += bytes.size();
      if (owner_ && error.empty()) {
        try {
          std::error_code ec;
          fs::create_directories(fs::path(dir + "/" + relative).parent_path(), ec);
          write_file_atomically(dir + "/" + relative, bytes);
        } catch (const Error& e) {
          error = fmt::format("{}: {}", e.file(), e.what());
        }
      }
    }
    rewrites.push_back(std::move(rw));
  }
  // The node's directory (or its failure) to the node's other ranks.
  std::string shared = error.empty() ? "0" + dir : "1" + error;
  Comm nc{node, node_rank, 0};
  bcast_bytes(nc, shared, 0);
  MPI_Comm_free(&node);
  if (shared[0] != '0') {
    if (owner_) dir_ = dir;  // remove what was written
    remove_copies();
    throw Error(shared.substr(1));
  }
  dir_ = shared.substr(1);
  if (c.rank == 0) return;  // rank 0 keeps reading the originals
  for (const Rewrite& rw : rewrites) stages[rw.stage][rw.word] = rw.prefix + dir_ + "/" + rw.relative;
}

void ModelBroadcast::remove_copies() {
  if (owner_ && !dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  owner_ = false;
}

ModelBroadcast::~ModelBroadcast() { remove_copies(); }

}  // namespace mlpipe::mr
