// See dataset.h.
#include "mlpipe/model/dataset.h"

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

void throw_index_too_large(std::uint64_t index) {
  throw Error(fmt::format("feature index {} is larger than libsvm's limit 2147483647", index));
}

std::size_t Dataset::features_of(std::size_t r) const {
  std::size_t n = 0;
  for (std::size_t k = start[r]; nodes[k].index != -1; ++k) ++n;
  return n;
}

std::vector<double> balanced_weights(const Dataset& d, const std::vector<std::size_t>& rows) {
  std::vector<double> w(d.classes(), 1.0);
  std::vector<std::size_t> count(d.classes(), 0);
  for (std::size_t r : rows) ++count[std::size_t(d.target[r])];
  std::size_t present = 0;
  for (std::size_t c : count) present += c > 0;
  for (std::size_t c = 0; c < d.classes(); ++c)
    if (count[c]) w[c] = double(rows.size()) / (double(present) * double(count[c]));
  return w;
}

}  // namespace mlpipe
