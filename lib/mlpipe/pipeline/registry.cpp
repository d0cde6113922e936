#include "mlpipe/pipeline/registry.h"

#include "mlpipe/features/tool_mlfeat.h"
#include "mlpipe/model/tool_mlclassify.h"
#include "mlpipe/model/tool_mltrain.h"
#include "mlpipe/pairs/tool_mljoin.h"
#include "mlpipe/pairs/tool_mllink.h"
#include "mlpipe/text/tool_mlsplit.h"

namespace mlpipe::pipeline {

ToolList known_tools() {
  return {&mlsplit_tool(), &mlfeat_tool(), &mlclassify_tool(), &mljoin_tool(), &mllink_tool(), &mltrain_tool()};
}

const ToolDef* find_tool(const ToolList& tools, std::string_view name) {
  for (const ToolDef* t : tools)
    if (t->name == name) return t;
  return nullptr;
}

}  // namespace mlpipe::pipeline
