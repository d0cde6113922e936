#include "mlpipe/model/imputation.h"

#include <cmath>

#include "mlpipe/model/dataset.h"

namespace mlpipe {

Imputation fit_imputation(const Dataset& d, const std::vector<std::size_t>& rows_in) {
  const std::size_t dim = d.kinds.empty() ? 0 : d.kinds.size() - 1;
  Imputation im;
  im.fill.assign(dim + 1, 0.0);
  im.unseen.assign(dim + 1, 0);
  std::vector<double> sum(dim + 1, 0.0);
  std::vector<std::size_t> count(dim + 1, 0);
  auto add = [&](std::size_t r) {
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
      const std::size_t j = std::size_t(d.nodes[k].index);
      if (j > dim || std::isnan(d.nodes[k].value)) continue;
      sum[j] += d.nodes[k].value;
      ++count[j];
    }
  };
  if (rows_in.empty()) {
    for (std::size_t r = 0; r < d.rows(); ++r) add(r);
  } else {
    for (std::size_t r : rows_in) add(r);
  }
  for (std::size_t j = 1; j <= dim; ++j) {
    if (d.kinds[j] == FeatureKind::indicator)
      im.unseen[j] = count[j] == 0;
    else if (count[j])
      im.fill[j] = sum[j] / double(count[j]);
  }
  return im;
}

Dataset impute_dataset(const Dataset& d, const Imputation& im, bool keep_missing) {
  Dataset out;
  out.classification = d.classification;
  out.class_names = d.class_names;
  out.class_labels = d.class_labels;
  out.target = d.target;
  out.kinds = d.kinds;
  out.max_index = d.max_index;  // the layout's width, whatever the rows hold
  out.nodes.reserve(d.nodes.size());
  out.start.reserve(d.rows());
  const std::size_t dim = im.fill.empty() ? 0 : im.fill.size() - 1;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    out.start.push_back(out.nodes.size());
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
      const std::size_t j = std::size_t(d.nodes[k].index);
      double v = d.nodes[k].value;
      if (j <= dim && im.unseen[j]) continue;
      if (j <= dim && std::isnan(v) && !keep_missing) v = im.fill[j];
      out.nodes.push_back({int(j), v});
    }
    out.nodes.push_back({-1, 0});
  }
  return out;
}

}  // namespace mlpipe
