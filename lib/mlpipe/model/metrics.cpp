#include "mlpipe/model/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlpipe {

namespace {

// Row order by score, high to low (stable, so equal scores keep input order).
std::vector<std::size_t> by_score(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

std::optional<double> roc_auc(const std::vector<bool>& positive, const std::vector<double>& scores) {
  std::size_t pos = std::size_t(std::count(positive.begin(), positive.end(), true));
  std::size_t neg = positive.size() - pos;
  if (pos == 0 || neg == 0) return std::nullopt;
  // Mann-Whitney U over ranks, ties sharing the average rank.
  std::vector<std::size_t> order = by_score(scores);
  double rank_sum = 0;  // ranks of positives, counted from the lowest score (rank 1)
  std::size_t i = 0;
  const std::size_t n = order.size();
  while (i < n) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) ++j;
    // Positions i..j (high to low) hold ranks n-j .. n-i; their average:
    double avg = (double(n - j) + double(n - i)) / 2;
    for (std::size_t k = i; k <= j; ++k)
      if (positive[order[k]]) rank_sum += avg;
    i = j + 1;
  }
  double u = rank_sum - double(pos) * double(pos + 1) / 2;
  return u / (double(pos) * double(neg));
}

std::optional<double> average_precision(const std::vector<bool>& positive, const std::vector<double>& scores) {
  std::size_t pos = std::size_t(std::count(positive.begin(), positive.end(), true));
  if (pos == 0) return std::nullopt;
  std::vector<std::size_t> order = by_score(scores);
  double ap = 0, prev_recall = 0;
  std::size_t tp = 0, seen = 0, i = 0;
  const std::size_t n = order.size();
  while (i < n) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) {
      ++seen;
      if (positive[order[k]]) ++tp;
    }
    double recall = double(tp) / double(pos);
    double precision = double(tp) / double(seen);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
    i = j + 1;
  }
  return ap;
}

Metrics classification_metrics(const std::vector<int>& truth, const std::vector<int>& predicted, std::size_t classes,
                               const std::vector<double>* first_class_scores) {
  Metrics m;
  m.n = truth.size();
  std::vector<std::size_t> tp(classes, 0), predicted_n(classes, 0), support(classes, 0);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    auto t = std::size_t(truth[i]), p = std::size_t(predicted[i]);
    ++support[t];
    ++predicted_n[p];
    if (t == p) {
      ++tp[t];
      ++correct;
    }
  }
  m.accuracy = m.n ? double(correct) / double(m.n) : 0;
  double f1_sum = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    ClassMetrics cm;
    cm.support = support[c];
    cm.precision = predicted_n[c] ? double(tp[c]) / double(predicted_n[c]) : 0;
    cm.recall = support[c] ? double(tp[c]) / double(support[c]) : 0;
    cm.f1 = cm.precision + cm.recall > 0 ? 2 * cm.precision * cm.recall / (cm.precision + cm.recall) : 0;
    f1_sum += cm.f1;
    m.per_class.push_back(cm);
  }
  m.macro_f1 = classes ? f1_sum / double(classes) : 0;
  if (classes == 2 && first_class_scores) {
    std::vector<bool> positive(truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) positive[i] = truth[i] == 0;
    m.roc_auc = roc_auc(positive, *first_class_scores);
    m.average_precision = average_precision(positive, *first_class_scores);
  }
  return m;
}

Metrics regression_metrics(const std::vector<double>& truth, const std::vector<double>& predicted) {
  Metrics m;
  m.regression = true;
  m.n = truth.size();
  if (m.n == 0) return m;
  double mean = std::accumulate(truth.begin(), truth.end(), 0.0) / double(m.n);
  double sse = 0, sae = 0, sst = 0;
  for (std::size_t i = 0; i < m.n; ++i) {
    double e = predicted[i] - truth[i];
    sse += e * e;
    sae += std::fabs(e);
    sst += (truth[i] - mean) * (truth[i] - mean);
  }
  m.mse = sse / double(m.n);
  m.mae = sae / double(m.n);
  m.r2 = sst > 0 ? 1 - sse / sst : (sse == 0 ? 1.0 : 0.0);
  return m;
}

}  // namespace mlpipe
