// A sparse feature vector: the `features` field of a record.
// Indices are 1-based (libsvm's convention) and strictly increasing.
#pragma once

#include <cstdint>
#include <vector>

namespace mlpipe {

struct SparseVector {
  std::vector<std::uint32_t> idx;
  std::vector<float> val;

  std::size_t size() const { return idx.size(); }
  bool empty() const { return idx.empty(); }
  void clear() {
    idx.clear();
    val.clear();
  }
  void push(std::uint32_t i, float v) {
    idx.push_back(i);
    val.push_back(v);
  }
};

// What two sparse vectors (both sorted by index) have in common: their dot product and the
// number of indices both hold, from one merge pass.
struct Overlap {
  double dot = 0;
  std::size_t shared = 0;
};
Overlap overlap(const SparseVector& a, const SparseVector& b);
// The same over the indices up to `limit` only.
Overlap overlap(const SparseVector& a, const SparseVector& b, std::uint32_t limit);
// The Euclidean norm over the indices up to `limit`, and how many there are.
double norm_upto(const SparseVector& a, std::uint32_t limit, std::size_t* count);
// Dot product of two sparse vectors (both sorted by index).
inline double dot(const SparseVector& a, const SparseVector& b) { return overlap(a, b).dot; }
// Euclidean norm.
double norm(const SparseVector& a);
// Scales to unit L2 norm; a zero vector stays zero.
void l2_normalize(SparseVector& a);

}  // namespace mlpipe
