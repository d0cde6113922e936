#include "mlpipe/mapreduce/manifest.h"

#include <fmt/format.h>

#include <sstream>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_writer.h"

namespace mlpipe::mapreduce {

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

std::string encode_plan(const std::string& pipeline, const Plan& plan) {
  return (plan.complete ? "complete\n" : "incomplete\n") + manifest_text(pipeline, plan);
}

Plan decode_plan(const std::string& text, const std::string& pipeline, const std::vector<std::string>& inputs,
                 int ranks) {
  Plan plan;
  std::size_t nl = text.find('\n');
  std::string state = text.substr(0, nl);
  if (nl == std::string::npos || (state != "complete" && state != "incomplete")) throw Error("internal: not a plan");
  plan.complete = state == "complete";
  const std::string manifest = text.substr(nl + 1);
  // The inputs' sizes and times, from their lines in the manifest.
  std::istringstream in(manifest);
  std::string line;
  while (std::getline(in, line) && line.rfind("partition", 0) != 0) {
    if (line.rfind("input ", 0) != 0) continue;
    if (plan.files.size() == inputs.size()) throw Error("internal: a plan with more inputs than the job's");
    InputFile f;
    std::istringstream ls(line.substr(6));
    ls >> f.size >> f.mtime_ns;
    f.path = inputs[plan.files.size()];
    plan.files.push_back(f);
  }
  if (!read_manifest(manifest, manifest_header(pipeline, plan.files), plan)) throw Error("internal: unreadable plan");
  plan.owner = assign_owners(plan.parts, ranks);
  return plan;
}

}  // namespace mlpipe::mapreduce
