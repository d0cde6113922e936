#include "mlpipe/core/sparse.h"

#include <cmath>

namespace mlpipe {

Overlap overlap(const SparseVector& a, const SparseVector& b) {
  Overlap o;
  std::size_t i = 0, j = 0;
  while (i < a.idx.size() && j < b.idx.size()) {
    if (a.idx[i] == b.idx[j]) {
      o.dot += double(a.val[i]) * b.val[j];
      ++o.shared;
      ++i;
      ++j;
    } else if (a.idx[i] < b.idx[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return o;
}

double norm(const SparseVector& a) {
  double s = 0;
  for (float v : a.val) s += double(v) * v;
  return std::sqrt(s);
}

void l2_normalize(SparseVector& a) {
  double n = norm(a);
  if (n == 0) return;
  for (float& v : a.val) v = float(v / n);
}

}  // namespace mlpipe
