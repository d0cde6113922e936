// The predictor against libsvm itself: random models of every type and kernel, written
// as model files, loaded by both, and compared on random inputs.
#include <doctest/doctest.h>
#include <svm.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/svm_file.h"

using namespace mlpipe;

namespace {

SvmFile random_model(std::mt19937& rng, SvmType type, KernelType kernel, int nr_class, std::size_t l, int dim,
                     bool probability) {
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> pick(1, dim);
  SvmFile m;
  m.type = type;
  m.kernel = kernel;
  m.degree = 3;
  m.gamma = 0.3;
  m.coef0 = 0.5;
  bool cls = is_classification(type);
  m.nr_class = cls ? nr_class : 2;
  std::size_t nfunc = cls ? std::size_t(nr_class * (nr_class - 1) / 2) : 1;
  for (std::size_t p = 0; p < nfunc; ++p) m.rho.push_back(u(rng));
  if (cls) {
    for (int c = 0; c < nr_class; ++c) m.label.push_back(c == 0 ? 1 : -c);  // 1, -1, -2, …
    std::size_t left = l;
    for (int c = 0; c < nr_class; ++c) {
      std::size_t n = c + 1 == nr_class ? left : std::min(left, l / std::size_t(nr_class));
      m.nr_sv.push_back(int(n));
      left -= n;
    }
    if (probability)
      for (std::size_t p = 0; p < nfunc; ++p) {
        m.probA.push_back(-1 - std::abs(u(rng)) * 3);
        m.probB.push_back(u(rng) * 0.2);
      }
  }
  std::size_t rows = m.coef_rows();
  m.sv_coef.assign(rows * l, 0);
  for (std::size_t s = 0; s < l; ++s) {
    for (int i = 1; i <= dim; ++i)
      if (pick(rng) <= dim / 3 + 1) {
        m.sv_index.push_back(std::uint32_t(i));
        m.sv_value.push_back(std::round(u(rng) * 1000) / 1000);
        m.max_index = std::max(m.max_index, std::uint32_t(i));
      }
    m.sv_start.push_back(m.sv_index.size());
    for (std::size_t r = 0; r < rows; ++r) m.sv_coef[r * l + s] = std::round(u(rng) * 1e6) / 1e6;
  }
  return m;
}

struct LibsvmModel {
  svm_model* model = nullptr;
  explicit LibsvmModel(const std::string& text) {
    char path[] = "/tmp/mlpipe-unit-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, text.data(), text.size()) == ssize_t(text.size()));
    close(fd);
    model = svm_load_model(path);
    unlink(path);
    REQUIRE(model != nullptr);
  }
  ~LibsvmModel() { svm_free_and_destroy_model(&model); }
};

std::vector<svm_node> to_nodes(const SparseVector& x) {
  std::vector<svm_node> nodes;
  for (std::size_t k = 0; k < x.size(); ++k) nodes.push_back({int(x.idx[k]), double(x.val[k])});
  nodes.push_back({-1, 0});
  return nodes;
}

SparseVector random_input(std::mt19937& rng, int dim) {
  std::uniform_real_distribution<double> u(-1, 1);
  SparseVector x;
  for (int i = 1; i <= dim + 3; ++i)  // a few indices beyond the model's
    if (u(rng) > 0.2) x.push(std::uint32_t(i), float(std::round(u(rng) * 256) / 256));
  return x;
}

void compare(SvmType type, KernelType kernel, int nr_class, bool probability) {
  CAPTURE(int(type));
  CAPTURE(nr_class);
  CAPTURE(probability);
  std::mt19937 rng(unsigned(int(type) * 100 + int(kernel) * 10 + nr_class));
  SvmFile f = random_model(rng, type, kernel, nr_class, 40, 12, probability);
  std::string text = format_svm_file(f);
  Model model(parse_svm_file(text, "random.model"), ModelInfo{});
  LibsvmModel ref(text);
  Model::Scratch scratch;
  std::vector<double> ours, probs;
  std::vector<double> theirs(std::size_t(nr_class * nr_class), 0), their_probs(std::size_t(nr_class), 0);
  for (int t = 0; t < 200; ++t) {
    SparseVector x = random_input(rng, 12);
    auto nodes = to_nodes(x);
    double their_label = svm_predict_values(ref.model, nodes.data(), theirs.data());
    model.decision_values(x, scratch, ours);
    for (std::size_t p = 0; p < ours.size(); ++p) CHECK(ours[p] == doctest::Approx(theirs[p]).epsilon(1e-9));
    CHECK(model.predict(x, scratch) == doctest::Approx(their_label).epsilon(1e-9));
    if (probability) {
      double their_plabel = svm_predict_probability(ref.model, nodes.data(), their_probs.data());
      std::size_t best = model.predict_probability(x, scratch, probs);
      CHECK(double(model.labels()[best]) == their_plabel);
      for (int c = 0; c < nr_class; ++c) CHECK(probs[std::size_t(c)] == doctest::Approx(their_probs[std::size_t(c)]).epsilon(1e-9));
    }
  }
}

}  // namespace

TEST_CASE("predictions equal libsvm's for every kernel and type") {
  svm_set_print_string_function([](const char*) {});
  for (KernelType k : {KernelType::linear, KernelType::poly, KernelType::rbf, KernelType::sigmoid}) {
    CAPTURE(kernel_name(k));
    compare(SvmType::c_svc, k, 2, false);
    compare(SvmType::c_svc, k, 2, true);
    compare(SvmType::nu_svc, k, 4, true);
    compare(SvmType::c_svc, k, 3, false);
    compare(SvmType::epsilon_svr, k, 2, false);
    compare(SvmType::nu_svr, k, 2, false);
    compare(SvmType::one_class, k, 2, false);
  }
}

TEST_CASE("a linear model collapses to weights that give the same decision") {
  std::mt19937 rng(7);
  SvmFile f = random_model(rng, SvmType::c_svc, KernelType::linear, 2, 30, 10, false);
  Model model(f, ModelInfo{});
  REQUIRE(model.is_linear());
  LinearWeights w = model.linear_weights();
  for (int t = 0; t < 50; ++t) {
    SparseVector x = random_input(rng, 10);
    double d = w.bias;
    for (std::size_t k = 0; k < x.size(); ++k)
      for (std::size_t j = 0; j < w.index.size(); ++j)
        if (w.index[j] == x.idx[k]) d += w.weight[j] * x.val[k];
    CHECK(model.decision(x) == doctest::Approx(d).epsilon(1e-12));
  }
}

TEST_CASE("huge feature indices use compact tables, not huge allocations") {
  std::string text =
      "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2\nrho 0.5\nlabel 1 -1\nnr_sv 1 1\nSV\n"
      "1 3:1 2000000000:2\n-1 3:0.5\n";
  Model model(parse_svm_file(text, "big.model"), ModelInfo{});
  SparseVector x;
  x.push(3, 1);
  x.push(2000000000u, 1);
  CHECK(model.decision(x) == doctest::Approx(0.5 + 2 - 0.5));
  LinearWeights w = model.linear_weights();
  REQUIRE(w.index.size() == 2);
  CHECK(w.index[1] == 2000000000u);

  std::string rbf =
      "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0.5\nlabel 1 -1\nnr_sv 1 1\nSV\n"
      "1 3:1 2000000000:2\n-1 3:0.5\n";
  Model m2(parse_svm_file(rbf, "big.model"), ModelInfo{});
  LibsvmModel ref(rbf);
  auto nodes = to_nodes(x);
  double theirs = 0;
  svm_predict_values(ref.model, nodes.data(), &theirs);
  CHECK(m2.decision(x) == doctest::Approx(theirs).epsilon(1e-12));
}

TEST_CASE("decision() needs exactly one decision function") {
  std::mt19937 rng(3);
  Model model(random_model(rng, SvmType::c_svc, KernelType::rbf, 3, 9, 4, false), ModelInfo{});
  SparseVector x;
  x.push(1, 1);
  CHECK_THROWS_AS(model.decision(x), Error);
  CHECK_THROWS_AS(model.linear_weights(), Error);
}
