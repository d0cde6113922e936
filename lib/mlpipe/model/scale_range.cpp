#include "mlpipe/model/scale_range.h"

#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

std::string format_scale_range(const Scaling& s, std::uint32_t dimension) {
  if (s.method == ScaleMethod::none) throw Error("the model has no scaling: it needs no range file");
  const std::uint32_t scaled = s.dimension();
  if (dimension < scaled) dimension = scaled;
  std::string out = "x\n0 1\n";
  out.reserve(out.size() + std::size_t(dimension) * 24);
  for (std::uint32_t j = 1; j <= dimension; ++j) {
    if (j > scaled) {  // never in a training row: mlclassify passes it through
      fmt::format_to(std::back_inserter(out), "{} 0 1\n", j);
      continue;
    }
    const double offset = s.offset[j], factor = s.factor[j];
    if (!(std::isfinite(offset) && std::isfinite(factor) && factor > 0))
      throw Error(fmt::format("feature {}: offset {} and factor {} are no map svm-scale can apply", j, offset, factor));
    const double max = offset + 1 / factor;
    // svm-scale divides by max - min, from the numbers as written; "{}" writes the shortest
    // text that reads back as the same double, so this is what it will divide by.
    const double span = max - offset;
    if (!std::isfinite(max) || !(span > 0) || std::fabs(span * factor - 1) > kRangeFactorTolerance)
      throw Error(fmt::format("feature {}: its offset {} is too large against its spread {} for svm-scale's "
                              "form (max - min loses the factor's digits)",
                              j, offset, 1 / factor));
    fmt::format_to(std::back_inserter(out), "{} {} {}\n", j, offset, max);
  }
  return out;
}

}  // namespace mlpipe
