// Feature scaling fitted on training rows and stored with the model.
//
// Kernels and regularised linear models depend on the units of the features: an RBF
// kernel on raw breast-cancer measurements (areas in the thousands next to ratios below
// one) sees only the largest column. Scaling is fitted on the rows a model trains on
// (inside each fold when cross-validating, so held-out rows never leak into it), kept in
// the sidecar, and applied by Model to every vector it predicts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mlpipe/core/sparse.h"

namespace mlpipe {

struct Dataset;

enum class ScaleMethod {
  none,
  standard,  // (x - mean) / standard deviation: zeros become non-zero, vectors dense
  minmax,    // (x - min) / (max - min) into [0, 1]: non-negative sparse data stay sparse
};

std::string_view scale_method_name(ScaleMethod m);

// x' = (x - offset[j]) * factor[j] for features j = 1 .. dimension(); indices beyond
// that (never seen in training) pass through unchanged.
struct Scaling {
  ScaleMethod method = ScaleMethod::none;
  std::vector<double> offset;  // [0] unused: feature indices are 1-based
  std::vector<double> factor;

  std::uint32_t dimension() const { return offset.empty() ? 0 : std::uint32_t(offset.size() - 1); }
  // Writes the scaled `x` to `out` (sorted by index). Standard scaling fills every
  // feature up to dimension(); min-max keeps a zero absent when the offset is 0.
  void apply(const SparseVector& x, SparseVector& out) const;
};

// Fits `method` on `rows` of `d` (all rows when empty); absent features count as 0.
// A constant feature gets factor 1 (it scales to 0 for standard, as scikit-learn does).
Scaling fit_scaling(const Dataset& d, ScaleMethod method, const std::vector<std::size_t>& rows = {});

// Every row of `d` scaled (the targets and classes copied).
Dataset scale_dataset(const Dataset& d, const Scaling& s);

// The widest data for which --scale auto scales: tabular data, not hashed text features,
// whose dense scaled rows would be mostly zeros made non-zero.
inline constexpr std::uint32_t kAutoScaleMaxFeatures = 1000;

}  // namespace mlpipe
