#include "mlpipe/mpi/manifest.h"

#include <fmt/format.h>

#include <sstream>

#include "mlpipe/core/json_writer.h"

namespace mlpipe::mr {

std::string manifest_header(const std::string& pipeline, const std::vector<InputFile>& files) {
  std::string h = "mlmr-manifest 1\npipeline ";
  append_json_string(h, pipeline);
  h += '\n';
  for (const InputFile& f : files) {
    h += fmt::format("input {} {} ", f.size, f.mtime_ns);
    append_json_string(h, f.path);
    h += '\n';
  }
  return h;
}

std::string manifest_text(const std::string& pipeline, const Plan& plan) {
  std::string m = manifest_header(pipeline, plan.files);
  m += fmt::format("ranks {}\n", plan.ranks);
  for (const Partition& p : plan.parts) {
    m += "partition";
    for (const Piece& pc : p.pieces) m += fmt::format(" {} {} {}", pc.file, pc.begin, pc.end);
    m += '\n';
  }
  return m;
}

bool read_manifest(const std::string& text, const std::string& header, Plan& plan) {
  if (text.compare(0, header.size(), header) != 0) return false;
  std::istringstream in(text.substr(header.size()));
  std::string line;
  std::vector<Partition>& parts = plan.parts;
  parts.clear();
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    if (ls >> word && word == "ranks" && ls >> plan.ranks) continue;
    if (word != "partition") return false;
    Partition p;
    Piece pc;
    while (ls >> pc.file >> pc.begin >> pc.end) {
      // The pieces are read from the inputs: one outside them would read past a file's
      // end or name a file that is not there.
      if (pc.file >= plan.files.size() || pc.begin > pc.end || pc.end > plan.files[pc.file].size) return false;
      p.pieces.push_back(pc);
      p.bytes += pc.end - pc.begin;
    }
    if (p.pieces.empty()) return false;
    parts.push_back(std::move(p));
  }
  return !parts.empty();
}

}  // namespace mlpipe::mr
