#include "mlpipe/model/calibration.h"

#include <cmath>

#include "mlpipe/core/error.h"

namespace mlpipe {

PlattCalibration fit_platt(const std::vector<double>& dec, const std::vector<bool>& positive) {
  const std::size_t n = dec.size();
  if (n == 0 || positive.size() != n) throw Error("Platt scaling needs decision values with their labels");
  double prior1 = 0, prior0 = 0;
  for (bool p : positive) (p ? prior1 : prior0) += 1;
  // Smoothed targets instead of 0/1: the fit stays finite on separable data, and behaves
  // like a Bayesian prior of one pseudo-example per class.
  const double hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2);
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = positive[i] ? hi : lo;

  const int max_iter = 100;
  const double min_step = 1e-10, sigma = 1e-12, eps = 1e-5;
  double a = 0, b = std::log((prior0 + 1) / (prior1 + 1));
  // The negative log-likelihood, written in the two forms that cannot overflow.
  auto objective = [&](double A, double B) {
    double f = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double z = dec[i] * A + B;
      f += z >= 0 ? t[i] * z + std::log1p(std::exp(-z)) : (t[i] - 1) * z + std::log1p(std::exp(z));
    }
    return f;
  };
  double fval = objective(a, b);
  for (int iter = 0; iter < max_iter; ++iter) {
    // Gradient and Hessian (plus sigma on the diagonal, so that it is positive definite).
    double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double z = dec[i] * a + b, p, q;
      if (z >= 0) {
        p = std::exp(-z) / (1 + std::exp(-z));
        q = 1 / (1 + std::exp(-z));
      } else {
        p = 1 / (1 + std::exp(z));
        q = std::exp(z) / (1 + std::exp(z));
      }
      double d2 = p * q;
      h11 += dec[i] * dec[i] * d2;
      h22 += d2;
      h21 += dec[i] * d2;
      double d1 = t[i] - p;
      g1 += dec[i] * d1;
      g2 += d1;
    }
    if (std::fabs(g1) < eps && std::fabs(g2) < eps) break;
    double det = h11 * h22 - h21 * h21;
    double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
    double gd = g1 * da + g2 * db;
    double step = 1;
    while (step >= min_step) {  // backtracking line search (Armijo)
      double na = a + step * da, nb = b + step * db, nf = objective(na, nb);
      if (nf < fval + 0.0001 * step * gd) {
        a = na;
        b = nb;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < min_step) break;  // no further progress possible: keep the best so far
  }
  return {a, b};
}

double apply_platt(const PlattCalibration& c, double d) {
  double z = d * c.a + c.b;
  if (z >= 0) return std::exp(-z) / (1 + std::exp(-z));
  return 1 / (1 + std::exp(z));
}

}  // namespace mlpipe
