#include "mlpipe/model/svm_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/snippet.h"

namespace mlpipe {

std::string_view svm_type_file_name(SvmType t) {
  switch (t) {
    case SvmType::c_svc: return "c_svc";
    case SvmType::nu_svc: return "nu_svc";
    case SvmType::one_class: return "one_class";
    case SvmType::epsilon_svr: return "epsilon_svr";
    case SvmType::nu_svr: return "nu_svr";
  }
  return "?";
}

std::string_view svm_type_option_name(SvmType t) {
  switch (t) {
    case SvmType::c_svc: return "c-svc";
    case SvmType::nu_svc: return "nu-svc";
    case SvmType::one_class: return "one-class";
    case SvmType::epsilon_svr: return "epsilon-svr";
    case SvmType::nu_svr: return "nu-svr";
  }
  return "?";
}

std::string_view kernel_name(KernelType k) {
  switch (k) {
    case KernelType::linear: return "linear";
    case KernelType::poly: return "polynomial";
    case KernelType::rbf: return "rbf";
    case KernelType::sigmoid: return "sigmoid";
  }
  return "?";
}

bool is_classification(SvmType t) { return t == SvmType::c_svc || t == SvmType::nu_svc; }
bool is_regression(SvmType t) { return t == SvmType::epsilon_svr || t == SvmType::nu_svr; }

namespace {

constexpr int kMaxClasses = 65535;  // keeps nr_class*(nr_class-1)/2 far from overflow

// A token as shown in messages: short, control bytes escaped.
std::string shown(std::string_view t) { return input_snippet(t); }

void split_tokens(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  SvmFile run() {
    if (text_.empty()) fail(1, "empty file (expected a libsvm model: 'svm_type …' first)");
    read_header();
    check_header();
    read_support_vectors();
    return std::move(m_);
  }

 private:
  [[noreturn]] void fail(std::uint64_t line, std::string message) { throw Error(name_, line, std::move(message)); }

  // The next line without its newline (and a trailing '\r'); false at the end.
  bool next_line(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t nl = text_.find('\n', pos_);
    std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no_;
    if (line.find('\0') != std::string_view::npos) fail(line_no_, "NUL byte in the model file (not a libsvm model?)");
    return true;
  }

  double number(std::string_view key, std::string_view t) {
    auto v = parse_double(t);
    if (!v) fail(line_no_, fmt::format("{}: expected a finite number, found '{}'", key, shown(t)));
    return *v;
  }
  long long integer(std::string_view key, std::string_view t, long long lo, long long hi) {
    auto v = parse_integer<long long>(t, Plus::allowed);
    if (!v || *v < lo || *v > hi)
      fail(line_no_, fmt::format("{}: expected an integer from {} to {}, found '{}'", key, lo, hi, shown(t)));
    return *v;
  }
  void one_value(std::string_view key) {
    if (tokens_.size() != 2)
      fail(line_no_, tokens_.size() == 1 ? fmt::format("{}: missing value", key)
                                         : fmt::format("{}: expected one value, found {}", key, tokens_.size() - 1));
  }

  void read_header() {
    std::string_view line;
    while (true) {
      if (!next_line(line))
        fail(line_no_ + 1, "unexpected end of file in the header (expected a line 'SV' before the support vectors)");
      split_tokens(line, tokens_);
      if (tokens_.empty()) fail(line_no_, "empty line in the header");
      std::string_view key = tokens_[0];
      if (key == "SV") {
        if (tokens_.size() != 1) fail(line_no_, "'SV' must be alone on its line");
        sv_line_ = line_no_;
        return;
      }
      std::uint64_t* seen = seen_slot(key);
      if (!seen && seen_[1] && (parse_double(key) || key.find(':') != std::string_view::npos))
        fail(line_no_, "a support vector before the line 'SV' (expected 'SV' after the header)");
      if (!seen)
        fail(line_no_, fmt::format("unknown key '{}' (expected svm_type, kernel_type, degree, gamma, coef0, nr_class, "
                                   "total_sv, rho, label, probA, probB, nr_sv or SV)",
                                   shown(key)));
      if (*seen) fail(line_no_, fmt::format("{} given twice (also on line {})", key, *seen));
      *seen = line_no_;
      if (key == "svm_type") {
        one_value(key);
        std::string_view v = tokens_[1];
        if (v == "c_svc") m_.type = SvmType::c_svc;
        else if (v == "nu_svc") m_.type = SvmType::nu_svc;
        else if (v == "one_class") m_.type = SvmType::one_class;
        else if (v == "epsilon_svr") m_.type = SvmType::epsilon_svr;
        else if (v == "nu_svr") m_.type = SvmType::nu_svr;
        else fail(line_no_, fmt::format("svm_type: unknown type '{}' (expected c_svc, nu_svc, one_class, epsilon_svr "
                                        "or nu_svr)", shown(v)));
      } else if (key == "kernel_type") {
        one_value(key);
        std::string_view v = tokens_[1];
        if (v == "linear") m_.kernel = KernelType::linear;
        else if (v == "polynomial") m_.kernel = KernelType::poly;
        else if (v == "rbf") m_.kernel = KernelType::rbf;
        else if (v == "sigmoid") m_.kernel = KernelType::sigmoid;
        else if (v == "precomputed") fail(line_no_, "kernel_type precomputed is not supported (the model needs kernel "
                                                     "values, not features)");
        else fail(line_no_, fmt::format("kernel_type: unknown kernel '{}' (expected linear, polynomial, rbf or "
                                        "sigmoid)", shown(v)));
      } else if (key == "degree") {
        one_value(key);
        m_.degree = int(integer(key, tokens_[1], 0, 1000));
      } else if (key == "gamma") {
        one_value(key);
        m_.gamma = number(key, tokens_[1]);
        if (m_.gamma < 0) fail(line_no_, fmt::format("gamma: expected a number >= 0, found {}", tokens_[1]));
      } else if (key == "coef0") {
        one_value(key);
        m_.coef0 = number(key, tokens_[1]);
      } else if (key == "nr_class") {
        one_value(key);
        m_.nr_class = int(integer(key, tokens_[1], 1, kMaxClasses));
      } else if (key == "total_sv") {
        one_value(key);
        total_sv_ = std::size_t(integer(key, tokens_[1], 0, INT_MAX));
      } else if (key == "rho") {
        for (std::size_t i = 1; i < tokens_.size(); ++i) m_.rho.push_back(number(key, tokens_[i]));
      } else if (key == "probA") {
        for (std::size_t i = 1; i < tokens_.size(); ++i) m_.probA.push_back(number(key, tokens_[i]));
      } else if (key == "probB") {
        for (std::size_t i = 1; i < tokens_.size(); ++i) m_.probB.push_back(number(key, tokens_[i]));
      } else if (key == "prob_density_marks") {
        // Written by newer libsvm for one-class probabilities; validated, not used.
        for (std::size_t i = 1; i < tokens_.size(); ++i) number(key, tokens_[i]);
      } else if (key == "label") {
        for (std::size_t i = 1; i < tokens_.size(); ++i)
          m_.label.push_back(int(integer(key, tokens_[i], INT_MIN, INT_MAX)));
      } else if (key == "nr_sv") {
        for (std::size_t i = 1; i < tokens_.size(); ++i) m_.nr_sv.push_back(int(integer(key, tokens_[i], 0, INT_MAX)));
      }
    }
  }

  std::uint64_t* seen_slot(std::string_view key) {
    static constexpr std::string_view keys[] = {"svm_type", "kernel_type", "degree", "gamma", "coef0",
                                                "nr_class", "total_sv",    "rho",    "label", "probA",
                                                "probB",    "nr_sv",       "prob_density_marks"};
    for (std::size_t i = 0; i < std::size(keys); ++i)
      if (keys[i] == key) return &seen_[i];
    return nullptr;
  }
  std::uint64_t seen(std::string_view key) { return *seen_slot(key); }

  // Whole-header consistency, reported at the line of the value that disagrees.
  void check_header() {
    for (std::string_view key : {"svm_type", "kernel_type", "nr_class", "total_sv", "rho"})
      if (!seen(key)) fail(sv_line_, fmt::format("header has no '{}' line", key));
    bool cls = is_classification(m_.type);
    KernelType k = m_.kernel;
    if (k == KernelType::poly && !seen("degree")) fail(sv_line_, "polynomial kernel without a 'degree' line");
    if (k != KernelType::linear && !seen("gamma")) fail(sv_line_, fmt::format("{} kernel without a 'gamma' line",
                                                                              kernel_name(k)));
    if ((k == KernelType::poly || k == KernelType::sigmoid) && !seen("coef0"))
      fail(sv_line_, fmt::format("{} kernel without a 'coef0' line", kernel_name(k)));
    std::size_t nk = std::size_t(m_.nr_class);
    std::size_t functions = 1;
    if (cls) {
      functions = nk * (nk - 1) / 2;
      if (!seen("label")) fail(sv_line_, "classification model without a 'label' line");
      if (!seen("nr_sv")) fail(sv_line_, "classification model without an 'nr_sv' line");
      if (m_.label.size() != nk)
        fail(seen("label"), fmt::format("label: {} values, but nr_class is {} (line {})", m_.label.size(), nk,
                                        seen("nr_class")));
      std::vector<int> sorted = m_.label;
      std::sort(sorted.begin(), sorted.end());
      if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end())
        fail(seen("label"), fmt::format("label: {} appears twice", *d));
      if (m_.nr_sv.size() != nk)
        fail(seen("nr_sv"), fmt::format("nr_sv: {} values, but nr_class is {} (line {})", m_.nr_sv.size(), nk,
                                        seen("nr_class")));
      std::size_t sum = 0;
      for (int n : m_.nr_sv) sum += std::size_t(n);
      if (sum != total_sv_)
        fail(seen("nr_sv"), fmt::format("nr_sv: the counts add up to {}, but total_sv is {} (line {})", sum, total_sv_,
                                        seen("total_sv")));
    } else {
      if (m_.nr_class != 2)
        fail(seen("nr_class"), fmt::format("nr_class: expected 2 for {}, found {}", svm_type_file_name(m_.type),
                                           m_.nr_class));
      if (seen("label")) fail(seen("label"), fmt::format("label: not allowed with svm_type {}", svm_type_file_name(m_.type)));
      if (seen("nr_sv")) fail(seen("nr_sv"), fmt::format("nr_sv: not allowed with svm_type {}", svm_type_file_name(m_.type)));
    }
    if (m_.rho.size() != functions)
      fail(seen("rho"), fmt::format("rho: {} values, expected {} for {} with nr_class {}", m_.rho.size(), functions,
                                    svm_type_file_name(m_.type), m_.nr_class));
    if (cls) {
      if (seen("probA") != 0 && seen("probB") == 0) fail(seen("probA"), "probA without probB");
      if (seen("probB") != 0 && seen("probA") == 0) fail(seen("probB"), "probB without probA");
      if (seen("probA") && m_.probA.size() != functions)
        fail(seen("probA"), fmt::format("probA: {} values, expected {}", m_.probA.size(), functions));
      if (seen("probB") && m_.probB.size() != functions)
        fail(seen("probB"), fmt::format("probB: {} values, expected {}", m_.probB.size(), functions));
    } else if (is_regression(m_.type)) {
      if (seen("probB")) fail(seen("probB"), "probB: not allowed in a regression model");
      if (seen("probA") && m_.probA.size() != 1)
        fail(seen("probA"), fmt::format("probA: {} values, expected 1 for a regression model", m_.probA.size()));
      if (seen("probA") && !(m_.probA[0] > 0)) fail(seen("probA"), "probA: expected a positive Laplace scale");
    } else {
      if (seen("probA") || seen("probB")) fail(seen(seen("probA") ? "probA" : "probB"),
                                               "probA/probB: not allowed in a one_class model");
    }
  }

  void read_support_vectors() {
    const std::size_t rows = m_.coef_rows();
    const std::size_t ncoef = is_classification(m_.type) ? std::size_t(m_.nr_class - 1) : 1;
    // Coefficients are gathered per vector, then transposed to libsvm's row-major layout.
    std::vector<double> coefs;
    std::string_view line;
    std::size_t count = 0;
    while (next_line(line)) {
      split_tokens(line, tokens_);
      if (tokens_.empty()) {
        // Blank lines are allowed only at the very end.
        std::size_t save_pos = pos_;
        std::uint64_t save_line = line_no_;
        std::string_view rest;
        bool only_blank = true;
        while (next_line(rest)) {
          split_tokens(rest, tokens_);
          if (!tokens_.empty()) {
            only_blank = false;
            break;
          }
        }
        if (only_blank) break;
        pos_ = save_pos;
        line_no_ = save_line;
        fail(line_no_, "empty line among the support vectors");
      }
      if (count == total_sv_)
        fail(line_no_, fmt::format("more support vectors than total_sv ({}, line {})", total_sv_, seen("total_sv")));
      if (tokens_.size() < ncoef)
        fail(line_no_, fmt::format("support vector {}: expected {} coefficient{} first, found {} value{}", count + 1,
                                   ncoef, ncoef == 1 ? "" : "s", tokens_.size(), tokens_.size() == 1 ? "" : "s"));
      for (std::size_t i = 0; i < ncoef; ++i) {
        std::string_view t = tokens_[i];
        if (t.find(':') != std::string_view::npos)
          fail(line_no_, fmt::format("support vector {}: expected {} coefficient{} before the first index:value, "
                                     "found {}",
                                     count + 1, ncoef, ncoef == 1 ? "" : "s", i));
        auto v = parse_double(t);
        if (!v) fail(line_no_, fmt::format("support vector {}: coefficient {}: expected a finite number, found '{}'",
                                           count + 1, i + 1, shown(t)));
        coefs.push_back(*v);
      }
      long long last = -1;
      for (std::size_t i = ncoef; i < tokens_.size(); ++i) {
        std::string_view t = tokens_[i];
        std::size_t colon = t.find(':');
        if (colon == std::string_view::npos)
          fail(line_no_, fmt::format("support vector {}: expected index:value, found '{}'", count + 1, shown(t)));
        auto idx = parse_integer<long long>(t.substr(0, colon), Plus::allowed);
        if (!idx || *idx < 0 || *idx > INT_MAX)
          fail(line_no_, fmt::format("support vector {}: index '{}': expected an integer from 0 to {}", count + 1,
                                     shown(t.substr(0, colon)), INT_MAX));
        if (*idx <= last)
          fail(line_no_, fmt::format("support vector {}: index {} after {}: indices must be strictly increasing",
                                     count + 1, *idx, last));
        last = *idx;
        auto v = parse_double(t.substr(colon + 1));
        if (!v) fail(line_no_, fmt::format("support vector {}: value of index {}: expected a finite number, found "
                                           "'{}'", count + 1, *idx, shown(t.substr(colon + 1))));
        m_.sv_index.push_back(std::uint32_t(*idx));
        m_.sv_value.push_back(*v);
        m_.max_index = std::max(m_.max_index, std::uint32_t(*idx));
      }
      m_.sv_start.push_back(m_.sv_index.size());
      ++count;
    }
    if (count < total_sv_)
      fail(line_no_ + 1, fmt::format("file ends after {} of {} support vectors (total_sv on line {}): truncated?",
                                     count, total_sv_, seen("total_sv")));
    // libsvm ends every line with a newline: a file that stops inside its last line lost
    // the rest of it (a collapsed linear model is a single line of weights).
    if (text_.back() != '\n')
      fail(line_no_, "the file ends in the middle of a line (no newline after the last support vector): truncated?");
    // Transpose: coefs[s*ncoef + r] -> sv_coef[r*l + s].
    m_.sv_coef.assign(rows * count, 0.0);
    if (ncoef == rows)
      for (std::size_t s = 0; s < count; ++s)
        for (std::size_t r = 0; r < rows; ++r) m_.sv_coef[r * count + s] = coefs[s * ncoef + r];
  }

  std::string_view text_;
  const std::string& name_;
  std::size_t pos_ = 0;
  std::uint64_t line_no_ = 0;
  std::uint64_t sv_line_ = 0;
  std::uint64_t seen_[13] = {};
  std::size_t total_sv_ = 0;
  std::vector<std::string_view> tokens_;
  SvmFile m_;
};

}  // namespace

SvmFile parse_svm_file(std::string_view text, const std::string& name) { return Parser(text, name).run(); }

std::string read_model_text(const std::string& path) {
  constexpr std::size_t kMaxBytes = std::size_t(2) << 30;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path, 0, fmt::format("cannot open model: {}", std::strerror(errno)));
  std::string text;
  std::size_t chunk = std::size_t(1) << 20;
  while (true) {
    std::size_t old = text.size();
    text.resize(old + chunk);
    ssize_t n = ::read(fd, text.data() + old, chunk);
    if (n < 0) {
      if (errno == EINTR) {
        text.resize(old);
        continue;
      }
      int e = errno;
      ::close(fd);
      throw Error(path, 0, fmt::format("cannot read model: {}", std::strerror(e)));
    }
    text.resize(old + std::size_t(n));
    if (n == 0) break;
    if (text.size() > kMaxBytes) {
      ::close(fd);
      throw Error(path, 0, "model file larger than 2 GiB");
    }
  }
  ::close(fd);
  return text;
}

std::string format_svm_file(const SvmFile& m) {
  std::string out;
  auto line = [&](std::string_view key, const auto& values) {
    out += key;
    for (const auto& v : values) fmt::format_to(std::back_inserter(out), " {}", v);
    out += '\n';
  };
  fmt::format_to(std::back_inserter(out), "svm_type {}\nkernel_type {}\n", svm_type_file_name(m.type),
                 kernel_name(m.kernel));
  if (m.kernel == KernelType::poly) fmt::format_to(std::back_inserter(out), "degree {}\n", m.degree);
  if (m.kernel != KernelType::linear) fmt::format_to(std::back_inserter(out), "gamma {}\n", m.gamma);
  if (m.kernel == KernelType::poly || m.kernel == KernelType::sigmoid)
    fmt::format_to(std::back_inserter(out), "coef0 {}\n", m.coef0);
  fmt::format_to(std::back_inserter(out), "nr_class {}\ntotal_sv {}\n", m.nr_class, m.total_sv());
  line("rho", m.rho);
  if (is_classification(m.type)) line("label", m.label);
  if (!m.probA.empty()) line("probA", m.probA);
  if (!m.probB.empty()) line("probB", m.probB);
  if (is_classification(m.type)) line("nr_sv", m.nr_sv);
  out += "SV\n";
  const std::size_t l = m.total_sv();
  const std::size_t rows = m.coef_rows();
  const std::size_t ncoef = is_classification(m.type) ? std::size_t(m.nr_class - 1) : 1;
  for (std::size_t s = 0; s < l; ++s) {
    for (std::size_t r = 0; r < ncoef && r < rows; ++r) fmt::format_to(std::back_inserter(out), "{} ", m.coef(r, s));
    for (std::size_t k = m.sv_start[s]; k < m.sv_start[s + 1]; ++k)
      fmt::format_to(std::back_inserter(out), "{}:{} ", m.sv_index[k], m.sv_value[k]);
    out += '\n';
  }
  return out;
}

}  // namespace mlpipe
