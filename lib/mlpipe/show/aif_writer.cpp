#include "mlpipe/show/aif_writer.h"

#include <fmt/format.h>

#include "mlpipe/core/json_writer.h"
#include "mlpipe/show/text_fit.h"

namespace mlpipe::show {

namespace {

void node(std::string& out, bool& first, std::size_t id, std::string_view text, std::string_view type) {
  out += first ? "\n" : ",\n";
  first = false;
  out += fmt::format("{{\"nodeID\":\"{}\",\"text\":", id);
  append_json_string(out, text);
  out += fmt::format(",\"type\":\"{}\",\"timestamp\":\"\"}}", type);
}

void edge(std::string& out, bool& first, std::size_t& next_id, std::size_t from, std::size_t to) {
  out += first ? "\n" : ",\n";
  first = false;
  out +=
      fmt::format("{{\"edgeID\":\"{}\",\"fromID\":\"{}\",\"toID\":\"{}\",\"formEdgeID\":null}}", next_id++, from, to);
}

}  // namespace

void write_aif(const ArgumentGraph& graph, std::string& out) {
  const std::vector<Sentence>& sentences = graph.sentences();
  const std::vector<Link>& links = graph.links();
  out += "{\"nodes\":[";
  bool first = true;
  // Sentence text is what the records hold; a document given whole may not be UTF-8.
  for (std::size_t i = 0; i < sentences.size(); ++i) node(out, first, i + 1, repaired_utf8(sentences[i].text), "I");
  for (std::size_t k = 0; k < links.size(); ++k) {
    const bool attack = links[k].attack;
    node(out, first, sentences.size() + k + 1, attack ? "Default Conflict" : "Default Inference", attack ? "CA" : "RA");
  }
  out += first ? "],\"edges\":[" : "\n],\"edges\":[";
  first = true;
  std::size_t edge_id = 1;
  for (std::size_t k = 0; k < links.size(); ++k) {
    const std::size_t s_node = sentences.size() + k + 1;
    edge(out, first, edge_id, links[k].support + 1, s_node);
    edge(out, first, edge_id, s_node, links[k].claim + 1);
  }
  out += first ? "],\"locutions\":[]}\n" : "\n],\"locutions\":[]}\n";
}

}  // namespace mlpipe::show
