#include "mlpipe/features/weighting.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "mlpipe/features/vocabulary.h"

namespace mlpipe::features {

namespace {

// Sorts indices from 1 to `max_index`: a counting pass into about n buckets by the top
// bits, then insertion sort over the nearly sorted result. Hashed indices are uniform,
// so buckets hold one or two each; O(n) where std::sort pays a mispredicted branch per
// comparison. Long or skewed inputs go to std::sort.
void sort_indices(std::vector<std::uint32_t>& v, std::uint32_t max_index, std::vector<std::uint32_t>& tmp) {
  const std::size_t n = v.size();
  if (n < 2) return;
  if (n > 2048) {
    std::sort(v.begin(), v.end());
    return;
  }
  int bits = 1;
  while (bits < 32 && (std::uint64_t(1) << bits) <= max_index) ++bits;
  int bucket_bits = 1;
  while ((std::size_t(1) << bucket_bits) < n) ++bucket_bits;
  if (bucket_bits > bits) bucket_bits = bits;
  const int shift = bits - bucket_bits;
  const std::size_t buckets = std::size_t(1) << bucket_bits;
  std::uint32_t counts[2049];
  std::fill(counts, counts + buckets + 1, 0u);
  for (std::uint32_t x : v) ++counts[(x >> shift) + 1];
  for (std::size_t b = 1; b <= buckets; ++b) counts[b] += counts[b - 1];
  tmp.resize(n);
  for (std::uint32_t x : v) tmp[counts[x >> shift]++] = x;
  std::size_t moves = 0;
  for (std::size_t i = 1; i < n; ++i) {
    std::uint32_t x = tmp[i];
    std::size_t j = i;
    while (j > 0 && tmp[j - 1] > x) {
      tmp[j] = tmp[j - 1];
      --j;
    }
    tmp[j] = x;
    moves += i - j;
    if (moves > 8 * n) {  // skewed: stop paying quadratic time
      std::sort(tmp.begin() + std::ptrdiff_t(i) + 1, tmp.end());
      std::inplace_merge(tmp.begin(), tmp.begin() + std::ptrdiff_t(i) + 1, tmp.end());
      break;
    }
  }
  v.swap(tmp);
}

template <Weight W>
void weigh_sorted(const std::vector<std::uint32_t>& indices, const Vocabulary* vocab, SparseVector& out) {
  const std::size_t n = indices.size();
  out.idx.resize(n);
  out.val.resize(n);
  std::uint32_t* oi = out.idx.data();
  float* ov = out.val.data();
  std::size_t m = 0;
  for (std::size_t i = 0; i < n;) {
    const std::uint32_t index = indices[i];
    std::size_t j = i + 1;
    while (j < n && indices[j] == index) ++j;
    const double count = double(j - i);
    double v;
    if constexpr (W == Weight::binary)
      v = 1;
    else if constexpr (W == Weight::tf)
      v = count;
    else if constexpr (W == Weight::sublinear)
      v = 1 + std::log(count);
    else
      v = count * vocab->idf(index);
    oi[m] = index;
    ov[m] = float(v);
    ++m;
    i = j;
  }
  out.idx.resize(m);
  out.val.resize(m);
}

}  // namespace

void weigh(std::vector<std::uint32_t>& indices, Weight weight, const Vocabulary* vocab, bool l2, SparseVector& out,
           std::uint32_t max_index, std::vector<std::uint32_t>& scratch) {
  sort_indices(indices, max_index, scratch);
  switch (weight) {
    case Weight::binary:
      weigh_sorted<Weight::binary>(indices, vocab, out);
      break;
    case Weight::tf:
      weigh_sorted<Weight::tf>(indices, vocab, out);
      break;
    case Weight::sublinear:
      weigh_sorted<Weight::sublinear>(indices, vocab, out);
      break;
    case Weight::tfidf:
      weigh_sorted<Weight::tfidf>(indices, vocab, out);
      break;
  }
  if (l2) l2_normalize(out);
}

void weigh(std::vector<std::uint32_t>& indices, Weight weight, const Vocabulary* vocab, bool l2, SparseVector& out) {
  std::vector<std::uint32_t> scratch;
  weigh(indices, weight, vocab, l2, out, 0xFFFFFFFFu, scratch);
}

char* VectorWriter::value(char* p, float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, 4);
  Slot& s = cache_[(bits ^ (bits >> 7) ^ (bits >> 15)) & 15];
  if (s.bits != bits) {
    // As JsonWriter::number(float): integral values without a fraction, others shortest.
    char* end;
    if (v == std::floor(v) && std::fabs(v) < 1e7f)
      end = fmt::format_to(s.text, "{}", static_cast<long long>(v));
    else
      end = fmt::format_to(s.text, "{}", v);
    s.len = std::uint8_t(end - s.text);
    s.bits = bits;
  }
  // A fixed-size copy: cheaper than a variable one for a few bytes.
  std::memcpy(p, s.text, sizeof s.text);
  return p + s.len;
}

char* VectorWriter::reserve(std::size_t elements) {
  // Per element at most 10 digits, ',' or ':' or ' ', and 24 bytes of value text.
  std::size_t need = 32 + elements * 40;
  if (scratch_.size() < need) scratch_.resize(need);
  return scratch_.data();
}

void VectorWriter::json(std::string& out, const SparseVector& v) {
  const std::size_t n = v.idx.size();
  char* const begin = reserve(n);
  char* p = begin;
  std::memcpy(p, "{\"idx\":[", 8);
  p += 8;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) *p++ = ',';
    p = std::to_chars(p, p + 10, v.idx[i]).ptr;
  }
  std::memcpy(p, "],\"val\":[", 9);
  p += 9;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) *p++ = ',';
    p = value(p, v.val[i]);
  }
  *p++ = ']';
  *p++ = '}';
  out.append(begin, std::size_t(p - begin));
}

void VectorWriter::libsvm(std::string& out, const SparseVector& v) {
  const std::size_t n = v.idx.size();
  char* const begin = reserve(n);
  char* p = begin;
  for (std::size_t i = 0; i < n; ++i) {
    *p++ = ' ';
    p = std::to_chars(p, p + 10, v.idx[i]).ptr;
    *p++ = ':';
    p = value(p, v.val[i]);
  }
  out.append(begin, std::size_t(p - begin));
}

}  // namespace mlpipe::features
