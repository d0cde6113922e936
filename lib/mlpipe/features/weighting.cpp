#include "mlpipe/features/weighting.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/features/vocabulary.h"

namespace mlpipe::features {

void weigh(std::vector<std::uint32_t>& indices, Weight weight, const Vocabulary* vocab, bool l2, SparseVector& out) {
  out.clear();
  std::sort(indices.begin(), indices.end());
  const std::size_t n = indices.size();
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && indices[j] == indices[i]) ++j;
    const double count = double(j - i);
    double v = count;
    switch (weight) {
      case Weight::binary: v = 1; break;
      case Weight::tf: break;
      case Weight::sublinear: v = 1 + std::log(count); break;
      case Weight::tfidf: v = count * vocab->idf(indices[i]); break;
    }
    out.push(indices[i], float(v));
    i = j;
  }
  if (l2) l2_normalize(out);
}

void VectorWriter::value(std::string& out, float v) {
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
  out.append(s.text, s.len);
}

namespace {
void append_index(std::string& out, std::uint32_t i) {
  char buf[12];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, std::size_t(r.ptr - buf));
}
}  // namespace

void VectorWriter::json(std::string& out, const SparseVector& v) {
  out += "{\"idx\":[";
  for (std::size_t i = 0; i < v.idx.size(); ++i) {
    if (i) out.push_back(',');
    append_index(out, v.idx[i]);
  }
  out += "],\"val\":[";
  for (std::size_t i = 0; i < v.val.size(); ++i) {
    if (i) out.push_back(',');
    value(out, v.val[i]);
  }
  out += "]}";
}

void VectorWriter::libsvm(std::string& out, const SparseVector& v) {
  for (std::size_t i = 0; i < v.idx.size(); ++i) {
    out.push_back(' ');
    append_index(out, v.idx[i]);
    out.push_back(':');
    value(out, v.val[i]);
  }
}

}  // namespace mlpipe::features
