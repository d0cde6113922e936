#include "mlpipe/show/tool_mlshow.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mlshow_tool()); }
