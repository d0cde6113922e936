// Input quoted in a message. A message is one line on a terminal or in a log: bytes of
// input (a label, a token, a key) are shown short and with control bytes escaped, so a NUL
// cannot cut the message and a stray escape sequence cannot reach the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mlpipe {

// At most `limit` bytes of `text` (cut at a UTF-8 character boundary, then "…"), with each
// byte below 0x20 and 0x7f written as \xHH.
std::string input_snippet(std::string_view text, std::size_t limit = 40);

}  // namespace mlpipe
