// See solver_common.h.
#include "mlpipe/model/solver_common.h"

#include <linear.h>
#include <svm.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace mlpipe {

namespace {

// libsvm and liblinear print progress and warnings through one global C hook without a
// context pointer. Training runs on many threads at once, so each thread counts the
// iteration-limit warnings of its own training; the tool turns them into one line.
thread_local std::size_t iteration_limit_count = 0;

void count_warnings(const char* text) {
  if (std::string_view(text).find("reaching max number of iterations") != std::string_view::npos)
    ++iteration_limit_count;
}

struct Quiet {
  Quiet() {
    svm_set_print_string_function(count_warnings);
    set_print_string_function(count_warnings);
  }
};

// libc's rand() is one sequence per process (see seed_rand).
std::mutex& rand_lock() {
  static std::mutex lock;
  return lock;
}

}  // namespace

void quiet_solvers() { static Quiet quiet_once; }

void reset_iteration_limit_warnings() { iteration_limit_count = 0; }

std::size_t iteration_limit_warnings() { return iteration_limit_count; }

std::unique_lock<std::mutex> seed_rand(unsigned seed) {
  std::unique_lock<std::mutex> seeded(rand_lock());
  std::srand(seed);
  return seeded;
}

double solver_label(const Dataset& d, std::size_t r) {
  return d.classification ? double(d.class_labels[std::size_t(d.target[r])]) : d.target[r];
}

void solver_class_weights(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                          std::vector<int>& labels, std::vector<double>& weights) {
  labels.clear();
  weights.clear();
  if (!d.classification) return;
  const std::vector<double> w = class_weight_of(d, p, rows);
  for (std::size_t c = 0; c < d.classes(); ++c)
    if (w[c] != 1.0) {
      labels.push_back(d.class_labels[c]);
      weights.push_back(w[c]);
    }
}

void set_weight_vectors(SvmFile& f, const std::vector<std::vector<double>>& w) {
  f.sv_start.assign(1, 0);
  f.sv_index.clear();
  f.sv_value.clear();
  f.max_index = 0;
  for (const auto& v : w) {
    for (std::size_t i = 1; i < v.size(); ++i)
      if (v[i] != 0) {
        f.sv_index.push_back(std::uint32_t(i));
        f.sv_value.push_back(v[i]);
        f.max_index = std::max(f.max_index, std::uint32_t(i));  // vectors end at different indices
      }
    f.sv_start.push_back(f.sv_index.size());
  }
}

}  // namespace mlpipe
