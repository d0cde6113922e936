#include "mlpipe/mpi/registry.h"

#include "mlpipe/mpi/test_tools.h"

// Each module's tool header, where it exists yet (the programs are built in parallel).
#if __has_include("mlpipe/text/tool_mlsplit.h")
#include "mlpipe/text/tool_mlsplit.h"
#define MLMR_HAVE_MLSPLIT 1
#endif
#if __has_include("mlpipe/features/tool_mlfeat.h")
#include "mlpipe/features/tool_mlfeat.h"
#define MLMR_HAVE_MLFEAT 1
#endif
#if __has_include("mlpipe/model/tool_mlclassify.h")
#include "mlpipe/model/tool_mlclassify.h"
#define MLMR_HAVE_MLCLASSIFY 1
#endif
#if __has_include("mlpipe/model/tool_mltrain.h")
#include "mlpipe/model/tool_mltrain.h"
#define MLMR_HAVE_MLTRAIN 1
#endif
#if __has_include("mlpipe/pairs/tool_mljoin.h")
#include "mlpipe/pairs/tool_mljoin.h"
#define MLMR_HAVE_MLJOIN 1
#endif
#if __has_include("mlpipe/pairs/tool_mllink.h")
#include "mlpipe/pairs/tool_mllink.h"
#define MLMR_HAVE_MLLINK 1
#endif

namespace mlpipe::mr {

std::vector<const ToolDef*> known_tools(bool test_tools) {
  std::vector<const ToolDef*> tools;
#ifdef MLMR_HAVE_MLSPLIT
  tools.push_back(&mlsplit_tool());
#endif
#ifdef MLMR_HAVE_MLFEAT
  tools.push_back(&mlfeat_tool());
#endif
#ifdef MLMR_HAVE_MLCLASSIFY
  tools.push_back(&mlclassify_tool());
#endif
#ifdef MLMR_HAVE_MLJOIN
  tools.push_back(&mljoin_tool());
#endif
#ifdef MLMR_HAVE_MLLINK
  tools.push_back(&mllink_tool());
#endif
#ifdef MLMR_HAVE_MLTRAIN
  tools.push_back(&mltrain_tool());
#endif
  if (test_tools)
    for (const ToolDef* t : test_tool_defs()) tools.push_back(t);
  return tools;
}

const ToolDef* find_tool(std::string_view name, bool test_tools) {
  for (const ToolDef* t : known_tools(test_tools))
    if (t->name == name) return t;
  return nullptr;
}

}  // namespace mlpipe::mr
