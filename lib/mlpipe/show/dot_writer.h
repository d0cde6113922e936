// The arguments as a Graphviz graph: one cluster per document, a node per claim and
// support (the thesis in bold), and an edge from each support to its claim labelled with
// the link's score, attacks red and dashed. `dot -Tsvg` draws it.
#pragma once

#include <string>
#include <string_view>

#include "mlpipe/show/argument_graph.h"

namespace mlpipe::show {

// `text` as a DOT double-quoted string, quotes included: " and \ escaped, every line break
// and control character a space, invalid UTF-8 replaced by U+FFFD (Graphviz reads UTF-8).
std::string dot_quoted(std::string_view text);

// A node label: the sentence on lines of about `width` characters, joined with DOT's \n
// (a centred line break), as a quoted DOT string.
std::string dot_label(std::string_view text, std::size_t width = 40);

// Appends one `digraph` for `graph` (after its finish()); node n<i+1> is sentence i.
void write_dot(const ArgumentGraph& graph, std::string_view title, std::string& out);

}  // namespace mlpipe::show
