#include "mlpipe/core/snippet.h"

#include <fmt/format.h>

namespace mlpipe {

std::string input_snippet(std::string_view text, std::size_t limit) {
  std::size_t cut = text.size();
  if (cut > limit) {
    cut = limit;
    // Back to the start of a character: half a character would be invalid UTF-8.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string out;
  out.reserve(cut + 8);
  for (char c : text.substr(0, cut)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) fmt::format_to(std::back_inserter(out), "\\x{:02x}", u);
    else out.push_back(c);
  }
  if (cut < text.size()) out += "…";
  return out;
}

}  // namespace mlpipe
