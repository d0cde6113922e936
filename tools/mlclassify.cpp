#include "mlpipe/model/tool_mlclassify.h"

int main(int argc, char** argv) { return mlpipe::run_tool(argc, argv, mlpipe::mlclassify_tool()); }
