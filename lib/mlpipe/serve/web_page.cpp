// See web_page.h. The page's text comes from web/index.html through CMake (web_page.inc).
#include "mlpipe/serve/web_page.h"

namespace mlpipe::serve {

namespace {
#include "mlpipe/serve/web_page.inc"
}  // namespace

std::string_view web_page() { return {kWebPage, sizeof(kWebPage) - 1}; }

}  // namespace mlpipe::serve
