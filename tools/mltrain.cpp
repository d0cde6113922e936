#include "mlpipe/model/tool_mltrain.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mltrain_tool()); }
