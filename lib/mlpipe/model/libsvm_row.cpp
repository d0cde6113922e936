#include "mlpipe/model/libsvm_row.h"

#include <fmt/format.h>

#include <optional>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
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
  const std::optional<double> label_value = parse_double(label_text, Plus::allowed);  // libsvm writes "+1"
  if (!label_value)
    throw Error(fmt::format("label '{}' is not a number (libsvm format: 'LABEL index:value …')",
                            input_snippet(label_text)));
  label = *label_value;
  index.clear();
  value.clear();
  for (std::string_view t = token(); !t.empty(); t = token()) {
    const std::size_t colon = t.find(':');
    const std::optional<std::uint32_t> k =
        colon == std::string_view::npos ? std::nullopt : parse_integer<std::uint32_t>(t.substr(0, colon));
    if (!k || *k == 0 || *k > 2147483647u)
      throw Error(fmt::format("'{}': expected index:value with an index from 1 to 2147483647", input_snippet(t)));
    const std::optional<double> v = parse_double(t.substr(colon + 1));
    if (!v) throw Error(fmt::format("'{}': the value is not a finite number", input_snippet(t)));
    if (!index.empty() && *k <= index.back())
      throw Error(fmt::format("index {} after {}: indices must be strictly increasing", *k, index.back()));
    index.push_back(*k);
    value.push_back(*v);
  }
  return true;
}

}  // namespace mlpipe
