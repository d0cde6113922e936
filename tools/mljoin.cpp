#include "mlpipe/pairs/tool_mljoin.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mljoin_tool()); }
