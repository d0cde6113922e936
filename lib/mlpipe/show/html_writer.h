// The page mlshow writes for a person: one self-contained HTML file (inline CSS, no script,
// no external resource) that shows each document with its thesis, claims and supports
// marked in place, their scores, and the links between them. Everything that comes from
// records or documents is escaped, so a document holding markup shows it as text.
#pragma once

#include <string>
#include <string_view>

#include "mlpipe/show/argument_graph.h"
#include "mlpipe/show/argument_records.h"

namespace mlpipe::show {

// Appends `text` as HTML text or attribute value: & < > " ' escaped, invalid UTF-8 and
// control characters (other than white space) replaced by U+FFFD.
void append_html_escaped(std::string& out, std::string_view text);

// Appends the whole page for `graph` (after its finish()). `names` are the role names whose
// scores are shown for claims and supports.
void write_html(const ArgumentGraph& graph, const RoleNames& names, std::string_view title, std::string& out);

}  // namespace mlpipe::show
