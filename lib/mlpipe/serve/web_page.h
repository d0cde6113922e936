// The web client served at GET /: one page (web/index.html, compiled in), no external
// resources, that speaks the same API as any other client.
#pragma once

#include <string_view>

namespace mlpipe::serve {

std::string_view web_page();

}  // namespace mlpipe::serve
