// The arguments in the Argument Interchange Format, as the JSON that AIFdb exports and OVA
// loads: every claim and support is an I-node (information), every link an S-node between
// them — an RA-node ("Default Inference") when the support backs its claim, a CA-node
// ("Default Conflict") when it attacks it — with edges premise -> S-node -> conclusion.
// One graph for the whole input: node ids are unique across documents.
#pragma once

#include <string>

#include "mlpipe/show/argument_graph.h"

namespace mlpipe::show {

// Appends one JSON object {"nodes":[…],"edges":[…],"locutions":[]} for `graph` (after its
// finish()), a node or an edge a line. I-node "<i+1>" is sentence i; S-nodes follow.
void write_aif(const ArgumentGraph& graph, std::string& out);

}  // namespace mlpipe::show
