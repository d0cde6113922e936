#include "mlpipe/features/tool_mlfeat.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mlfeat_tool()); }
