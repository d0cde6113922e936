#include "mlpipe/pairs/tool_mllink.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mllink_tool()); }
