#include "mlpipe/core/sparse.h"

#include <cmath>

namespace mlpipe {

Overlap overlap(const SparseVector& a, const SparseVector& b, std::uint32_t limit) {
  Overlap o;
  std::size_t i = 0, j = 0;
  while (i < a.idx.size() && j < b.idx.size() && a.idx[i] <= limit && b.idx[j] <= limit) {
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

Overlap overlap(const SparseVector& a, const SparseVector& b) { return overlap(a, b, UINT32_MAX); }

double norm_upto(const SparseVector& a, std::uint32_t limit, std::size_t* count) {
  double s = 0;
  std::size_t n = 0;
  for (; n < a.idx.size() && a.idx[n] <= limit; ++n) s += double(a.val[n]) * a.val[n];
  if (count) *count = n;
  return std::sqrt(s);
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
