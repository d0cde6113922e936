// Rows of libsvm's text format (mltrain --format libsvm), one per input line: a row that
// parses has finite numbers and strictly increasing indices in libsvm's range.
#include "mlpipe/model/libsvm_row.h"

#include <cmath>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  std::vector<std::uint32_t> index;
  std::vector<double> value;
  while (!input.empty()) {
    std::size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    double label = 0;
    try {
      if (!parse_libsvm_row(line, label, index, value)) continue;
    } catch (const Error&) {
      continue;
    }
    fuzz::expect(std::isfinite(label) && index.size() == value.size(), "a row has a label and one value per index");
    for (std::size_t i = 0; i < index.size(); ++i) {
      fuzz::expect(std::isfinite(value[i]), "values are finite");
      fuzz::expect(index[i] >= 1 && index[i] <= 2147483647u && (i == 0 || index[i - 1] < index[i]),
                   "indices are in libsvm's range and strictly increasing");
    }
  }
  return 0;
}
