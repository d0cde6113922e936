#include "mlpipe/text/tool_mlsplit.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mlsplit_tool()); }
