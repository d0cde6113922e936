// The libsvm model file format: a validating parser and a writer.
//
// A model file is untrusted input. parse_svm_file checks every line (keys, counts,
// numbers, index order) before anything is built from it, allocates in proportion to
// the text it has read (never to a count the file claims), and throws
// Error(NAME, LINE, what) on the first problem. libsvm's own svm_load_model is never
// called on a file: it trusts the counts it reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe {

enum class SvmType { c_svc, nu_svc, one_class, epsilon_svr, nu_svr };
enum class KernelType { linear, poly, rbf, sigmoid };

// Names as in libsvm model files ("c_svc", "rbf") and as on mlpipe command lines ("c-svc").
std::string_view svm_type_file_name(SvmType t);
std::string_view svm_type_option_name(SvmType t);
std::string_view kernel_name(KernelType k);
bool is_classification(SvmType t);  // c_svc, nu_svc
bool is_regression(SvmType t);      // epsilon_svr, nu_svr

// The contents of a libsvm model file, validated: every count agrees with the data.
struct SvmFile {
  SvmType type = SvmType::c_svc;
  KernelType kernel = KernelType::rbf;
  int degree = 3;      // poly
  double gamma = 0;    // poly, rbf, sigmoid
  double coef0 = 0;    // poly, sigmoid
  int nr_class = 2;    // 2 for regression and one-class, as libsvm writes it
  std::vector<double> rho;    // one per decision function: nr_class*(nr_class-1)/2, or 1
  std::vector<int> label;     // classification: the class labels, in model order
  std::vector<int> nr_sv;     // classification: support vectors per class
  std::vector<double> probA;  // optional: pairwise sigmoid parameters, or the SVR Laplace sigma
  std::vector<double> probB;
  // Support vectors in compressed rows: vector s has entries [sv_start[s], sv_start[s+1]).
  std::vector<std::size_t> sv_start{0};
  std::vector<std::uint32_t> sv_index;  // 1-based, strictly increasing within a vector
  std::vector<double> sv_value;
  // Coefficients: coef_rows() rows of total_sv() values, row-major (libsvm's sv_coef[r][s]).
  std::vector<double> sv_coef;
  std::uint32_t max_index = 0;  // largest feature index of any support vector (0: none)

  std::size_t total_sv() const { return sv_start.size() - 1; }
  // Coefficient rows: nr_class-1 for classification (0 for a one-class-only C-SVC), else 1.
  std::size_t coef_rows() const { return is_classification(type) ? std::size_t(nr_class - 1) : 1; }
  std::size_t decision_functions() const { return rho.size(); }
  double coef(std::size_t row, std::size_t sv) const { return sv_coef[row * total_sv() + sv]; }
  bool has_probability() const { return !probA.empty(); }
};

// Parses and validates the text of a model file; `name` is used in errors.
SvmFile parse_svm_file(std::string_view text, const std::string& name);
// The bytes of a model file (at most 2 GiB), whatever its format; Error(path, 0, …) when
// it cannot be read.
std::string read_model_text(const std::string& path);
// The text of `m` as a libsvm model file (readable by svm-predict and parse_svm_file).
std::string format_svm_file(const SvmFile& m);

}  // namespace mlpipe
