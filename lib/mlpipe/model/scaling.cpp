#include "mlpipe/model/scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mlpipe/model/dataset.h"

namespace mlpipe {

std::string_view scale_method_name(ScaleMethod m) {
  switch (m) {
    case ScaleMethod::none: return "none";
    case ScaleMethod::standard: return "standard";
    case ScaleMethod::minmax: return "minmax";
  }
  return "none";
}

void Scaling::apply(const SparseVector& x, SparseVector& out) const {
  out.clear();
  if (method == ScaleMethod::none) {
    out = x;
    return;
  }
  // Every feature up to dimension() is written (a zero becomes -offset × factor), except
  // that min-max leaves a zero absent when its offset is 0: it stays 0.
  const std::uint32_t dim = dimension();
  std::size_t k = 0;
  for (std::uint32_t j = 1; j <= dim; ++j) {
    const bool present = k < x.size() && x.idx[k] == j;
    const double v = present ? double(x.val[k++]) : 0.0;
    if (!present && method == ScaleMethod::minmax && offset[j] == 0) continue;
    out.push(j, float((v - offset[j]) * factor[j]));
  }
  for (; k < x.size(); ++k) out.push(x.idx[k], x.val[k]);
}

Scaling fit_scaling(const Dataset& d, ScaleMethod method, const std::vector<std::size_t>& rows_in) {
  Scaling s;
  s.method = method;
  if (method == ScaleMethod::none) return s;
  const std::size_t dim = std::size_t(d.max_index);
  std::vector<std::size_t> rows = rows_in;
  if (rows.empty()) {
    rows.resize(d.rows());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  }
  s.offset.assign(dim + 1, 0.0);
  s.factor.assign(dim + 1, 1.0);
  // Missing values (NaN: tabular rows a tree learner trains on) are left out of the fit.
  std::vector<std::size_t> missing(dim + 1, 0);
  for (std::size_t r : rows)
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k)
      if (std::isnan(d.nodes[k].value)) ++missing[std::size_t(d.nodes[k].index)];
  auto values = [&](std::size_t j) { return double(rows.size() - missing[j]); };
  if (method == ScaleMethod::standard) {
    // Two passes (mean, then squared deviations) for accuracy; absent values are zeros.
    std::vector<double> sum(dim + 1, 0.0), sq(dim + 1, 0.0);
    std::vector<std::size_t> present(dim + 1, 0);
    for (std::size_t r : rows)
      for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k)
        if (!std::isnan(d.nodes[k].value)) sum[std::size_t(d.nodes[k].index)] += d.nodes[k].value;
    for (std::size_t j = 1; j <= dim; ++j) s.offset[j] = values(j) > 0 ? sum[j] / values(j) : 0;
    for (std::size_t r : rows)
      for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
        const std::size_t j = std::size_t(d.nodes[k].index);
        if (std::isnan(d.nodes[k].value)) continue;
        const double dev = d.nodes[k].value - s.offset[j];
        sq[j] += dev * dev;
        ++present[j];
      }
    for (std::size_t j = 1; j <= dim; ++j) {
      // The rows without feature j hold 0: each adds mean² to the squared deviations.
      const double var =
          (sq[j] + (values(j) - double(present[j])) * s.offset[j] * s.offset[j]) / std::max(values(j), 1.0);
      const double sd = std::sqrt(var);
      s.factor[j] = sd > 1e-12 * std::max(1.0, std::fabs(s.offset[j])) ? 1.0 / sd : 1.0;
    }
    return s;
  }
  std::vector<double> lo(dim + 1, std::numeric_limits<double>::infinity());
  std::vector<double> hi(dim + 1, -std::numeric_limits<double>::infinity());
  std::vector<std::size_t> present(dim + 1, 0);
  for (std::size_t r : rows)
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
      const std::size_t j = std::size_t(d.nodes[k].index);
      if (std::isnan(d.nodes[k].value)) continue;
      lo[j] = std::min(lo[j], d.nodes[k].value);
      hi[j] = std::max(hi[j], d.nodes[k].value);
      ++present[j];
    }
  for (std::size_t j = 1; j <= dim; ++j) {
    if (double(present[j]) < values(j)) {  // some rows hold an implicit 0
      lo[j] = std::min(lo[j], 0.0);
      hi[j] = std::max(hi[j], 0.0);
    }
    if (!std::isfinite(lo[j])) lo[j] = hi[j] = 0;
    s.offset[j] = lo[j];
    s.factor[j] = hi[j] > lo[j] ? 1.0 / (hi[j] - lo[j]) : 1.0;
  }
  return s;
}

Dataset scale_dataset(const Dataset& d, const Scaling& s) {
  Dataset out;
  out.classification = d.classification;
  out.class_names = d.class_names;
  out.class_labels = d.class_labels;
  out.target = d.target;
  out.kinds = d.kinds;
  out.nodes.reserve(s.method == ScaleMethod::standard ? d.rows() * (std::size_t(d.max_index) + 1) : d.nodes.size());
  out.start.reserve(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) {
    // In double: training rows keep their precision (apply() gives floats, as records hold).
    out.start.push_back(out.nodes.size());
    std::size_t k = d.start[r];
    const std::uint32_t dim = s.dimension();
    auto emit = [&](int index, double v) {
      out.nodes.push_back({index, v});
      if (std::uint32_t(index) > out.max_index) out.max_index = std::uint32_t(index);
    };
    if (s.method == ScaleMethod::none) {
      for (; d.nodes[k].index != -1; ++k) emit(d.nodes[k].index, d.nodes[k].value);
    } else {
      for (std::uint32_t j = 1; j <= dim; ++j) {
        const bool present = d.nodes[k].index == int(j);
        const double v = present ? d.nodes[k++].value : 0.0;
        if (!present && (s.method == ScaleMethod::minmax && s.offset[j] == 0)) continue;
        const double scaled = (v - s.offset[j]) * s.factor[j];
        // A sparse row leaves zeros out; a tabular row keeps its number features' (a tree
        // learner tells a 0 from a missing value).
        if (scaled != 0 || (present && d.tabular() && d.kinds[j] == FeatureKind::number)) emit(int(j), scaled);
      }
      for (; d.nodes[k].index != -1; ++k) emit(d.nodes[k].index, d.nodes[k].value);
    }
    out.nodes.push_back({-1, 0});
  }
  if (d.tabular()) out.max_index = std::max(out.max_index, d.max_index);  // the layout's width
  return out;
}

}  // namespace mlpipe
