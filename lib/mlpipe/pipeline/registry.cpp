#include "mlpipe/pipeline/registry.h"

#include "mlpipe/pipeline/test_tools.h"

#include "mlpipe/features/tool_mlfeat.h"
#include "mlpipe/model/tool_mlclassify.h"
#include "mlpipe/model/tool_mltrain.h"
#include "mlpipe/pairs/tool_mljoin.h"
#include "mlpipe/pairs/tool_mllink.h"
#include "mlpipe/text/tool_mlsplit.h"

namespace mlpipe::pipeline {

std::vector<const ToolDef*> known_tools(bool test_tools) {
  std::vector<const ToolDef*> tools{&mlsplit_tool(), &mlfeat_tool(), &mlclassify_tool(),
                                    &mljoin_tool(),  &mllink_tool(), &mltrain_tool()};
  if (test_tools)
    for (const ToolDef* t : test_tool_defs()) tools.push_back(t);
  return tools;
}

const ToolDef* find_tool(std::string_view name, bool test_tools) {
  for (const ToolDef* t : known_tools(test_tools))
    if (t->name == name) return t;
  return nullptr;
}

}  // namespace mlpipe::pipeline
