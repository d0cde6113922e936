// From feature indices to the output vector: counting, weighting, normalising, and
// writing it as JSON or libsvm text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/sparse.h"
#include "mlpipe/features/spec.h"

namespace mlpipe::features {

class Vocabulary;

// `indices` holds one 1-based index per feature occurrence, in any order (it is sorted
// in place). Writes the weighted vector, indices strictly increasing:
//   binary 1; tf the count; sublinear 1 + ln(count); tfidf count * idf (needs `vocab`);
// then, with `l2`, scaled to unit Euclidean norm.
void weigh(std::vector<std::uint32_t>& indices, Weight weight, const Vocabulary* vocab, bool l2, SparseVector& out);
// The same, faster: every index is <= max_index, and `scratch` is reused between calls.
void weigh(std::vector<std::uint32_t>& indices, Weight weight, const Vocabulary* vocab, bool l2, SparseVector& out,
           std::uint32_t max_index, std::vector<std::uint32_t>& scratch);

// Writes sparse vectors; remembers recent values' text, since most values in a vector
// repeat (every term seen once has the same weight).
class VectorWriter {
 public:
  // {"idx":[…],"val":[…]}, numbers as JsonWriter writes them.
  void json(std::string& out, const SparseVector& v);
  // " idx:val" for each element (after the label).
  void libsvm(std::string& out, const SparseVector& v);

 private:
  // Writes the text of `v` at p (using up to 24 bytes) and returns its end.
  char* value(char* p, float v);
  char* reserve(std::size_t elements);
  struct Slot {
    std::uint32_t bits = 0xFFFFFFFF;  // a NaN pattern no weight has
    std::uint8_t len = 0;
    char text[24];
  };
  Slot cache_[16];
  std::string scratch_;  // one vector's text, appended to the output in one copy
};

}  // namespace mlpipe::features
