// The arguments as plain text for a terminal, a mail or a log: per document, its thesis, then
// its claims with the supports linked to them, strongest links first, each sentence on one
// line and cut to a width a reader takes in at a glance. What `make demo` prints.
#pragma once

#include <cstddef>
#include <string>

#include "mlpipe/show/argument_graph.h"
#include "mlpipe/show/argument_records.h"

namespace mlpipe::show {

struct TextLayout {
  std::size_t claims = 5;     // claims shown per document (those with links first): 0 for all
  std::size_t width = 110;    // characters of a quoted sentence before it is cut with "…"
};

// Appends the text for `graph` (after its finish()).
void write_text(const ArgumentGraph& graph, const RoleNames& names, const TextLayout& layout, std::string& out);

}  // namespace mlpipe::show
