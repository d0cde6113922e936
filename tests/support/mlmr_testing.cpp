// mlmr's test build (build/test-bin/mlmr, not installed): the shipped mlmr with the test
// stages of test_tools.h among its tools, and `mlmr --run-tool TOOL [OPTIONS] [FILE…]`,
// which runs one of those tools as a plain program: the shell pipeline that tests/mpi/*.sh
// compare mlmr's output with.
#include <cstring>

#include "mlpipe/core/cli.h"
#include "mlpipe/mpi/mlmr_main.h"
#include "support/test_tools.h"

int main(int argc, char** argv) {
  const mlpipe::pipeline::ToolList tools = mlpipe::testing::tools_with_test_stages();
  if (argc >= 3 && std::strcmp(argv[1], "--run-tool") == 0) {
    const mlpipe::ToolDef* tool = mlpipe::pipeline::find_tool(tools, argv[2]);
    if (!tool) return 2;
    return mlpipe::run_tool(argc - 2, argv + 2, *tool);
  }
  return mlpipe::mpi::mlmr_main(argc, argv, tools);
}
