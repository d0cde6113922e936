#include "mlpipe/model/libsvm_row.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "mlpipe/core/error.h"
#include "mlpipe/core/snippet.h"

namespace mlpipe {

bool parse_libsvm_row(std::string_view line, double& label, std::vector<std::uint32_t>& index,
                      std::vector<double>& value) {
  if (auto hash = line.find('#'); hash != std::string_view::npos) {
    line = line.substr(0, hash);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return false;
  }
  std::size_t i = 0;
  auto token = [&]() -> std::string_view {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    std::string_view t = line.substr(i, j - i);
    i = j;
    return t;
  };
  std::string_view label_text = token();
  if (label_text.empty()) throw Error("empty line (expected 'LABEL index:value …')");
  // libsvm's files write positive labels as "+1"; from_chars takes no '+'.
  std::string_view digits = label_text.size() > 1 && label_text[0] == '+' ? label_text.substr(1) : label_text;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), label);
  if (ec != std::errc() || p != digits.data() + digits.size() || !std::isfinite(label))
    throw Error(fmt::format("label '{}' is not a number (libsvm format: 'LABEL index:value …')",
                            input_snippet(label_text)));
  index.clear();
  value.clear();
  for (std::string_view t = token(); !t.empty(); t = token()) {
    std::size_t colon = t.find(':');
    std::uint64_t k = 0;
    double v = 0;
    auto r1 = std::from_chars(t.data(), t.data() + (colon == std::string_view::npos ? 0 : colon), k);
    if (colon == std::string_view::npos || r1.ec != std::errc() || r1.ptr != t.data() + colon || k == 0 ||
        k > 2147483647u)
      throw Error(fmt::format("'{}': expected index:value with an index from 1 to 2147483647", input_snippet(t)));
    auto r2 = std::from_chars(t.data() + colon + 1, t.data() + t.size(), v);
    if (r2.ec != std::errc() || r2.ptr != t.data() + t.size() || !std::isfinite(v))
      throw Error(fmt::format("'{}': the value is not a finite number", input_snippet(t)));
    if (!index.empty() && k <= index.back())
      throw Error(fmt::format("index {} after {}: indices must be strictly increasing", k, index.back()));
    index.push_back(std::uint32_t(k));
    value.push_back(v);
  }
  return true;
}

}  // namespace mlpipe
