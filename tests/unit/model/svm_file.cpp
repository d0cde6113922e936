// The model file parser: what it accepts, what it refuses and where it says so.
#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/model/svm_file.h"

using namespace mlpipe;

namespace {

const char* kGood =
    "svm_type c_svc\n"
    "kernel_type rbf\n"
    "gamma 0.5\n"
    "nr_class 3\n"
    "total_sv 4\n"
    "rho 0.1 -0.2 0.3\n"
    "label 2 1 3\n"
    "nr_sv 2 1 1\n"
    "SV\n"
    "1 0.5 1:0.25 3:1\n"
    "-1 0 2:1\n"
    "0.25 -1 1:-1 4:2\n"
    "-0.25 0.5 \n";

// The message and line of the error parsing `text` throws.
std::string svm_file_error_of(const std::string& text) {
  try {
    parse_svm_file(text, "m.model");
  } catch (const Error& e) {
    return std::to_string(e.line()) + ": " + e.what();
  }
  return "no error";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid model is read whole") {
  SvmFile m = parse_svm_file(kGood, "m.model");
  CHECK(m.type == SvmType::c_svc);
  CHECK(m.kernel == KernelType::rbf);
  CHECK(m.gamma == 0.5);
  CHECK(m.nr_class == 3);
  CHECK(m.total_sv() == 4);
  CHECK(m.rho.size() == 3);
  CHECK(m.label == std::vector<int>{2, 1, 3});
  CHECK(m.coef_rows() == 2);
  CHECK(m.coef(0, 2) == 0.25);
  CHECK(m.coef(1, 2) == -1);
  CHECK(m.sv_start == std::vector<std::size_t>{0, 2, 3, 5, 5});
  CHECK(m.max_index == 4);
}

TEST_CASE("format and parse round-trip") {
  SvmFile m = parse_svm_file(kGood, "m.model");
  std::string text = format_svm_file(m);
  SvmFile again = parse_svm_file(text, "again.model");
  CHECK(format_svm_file(again) == text);
  CHECK(again.sv_value == m.sv_value);
  CHECK(again.sv_coef == m.sv_coef);
}

TEST_CASE("CRLF line ends and trailing blank lines are accepted") {
  std::string crlf;
  for (char c : std::string(kGood)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  CHECK(parse_svm_file(crlf + "\n\n", "m.model").total_sv() == 4);
}

TEST_CASE("errors name the line and what was expected") {
  CHECK(svm_file_error_of("") == "1: empty file (expected a libsvm model: 'svm_type …' first)");
  CHECK(svm_file_error_of("svm_type c_svc\nkernel_type rbf\n") ==
        "3: unexpected end of file in the header (expected a line 'SV' before the support vectors)");
  CHECK(svm_file_error_of(std::string(kGood) + "1 1 1:1\n") == "14: more support vectors than total_sv (4, line 5)");

  // The good model with one piece of text replaced: "LINE: message" of the error.
  struct Row {
    std::string from;
    std::string to;
    std::string error;
  };
  const Row rows[] = {
      {"nr_class 3", "nr_class x", "4: nr_class: expected an integer from 1 to 65535, found 'x'"},
      {"rho 0.1 -0.2 0.3", "rho 0.1 -0.2", "6: rho: 2 values, expected 3 for c_svc with nr_class 3"},
      {"nr_sv 2 1 1", "nr_sv 2 1 2", "8: nr_sv: the counts add up to 5, but total_sv is 4 (line 5)"},
      {"-1 0 2:1", "-1 0 2:1 1:3", "11: support vector 2: index 1 after 2: indices must be strictly increasing"},
      {"-1 0 2:1", "-1 0 -2:1", "11: support vector 2: index '-2': expected an integer from 0 to 2147483647"},
      {"1 0.5 1:0.25", "1 nan 1:0.25", "10: support vector 1: coefficient 2: expected a finite number, found 'nan'"},
      {"-0.25 0.5 \n", "", "13: file ends after 3 of 4 support vectors (total_sv on line 5): truncated?"},
      {"label 2 1 3", "label 2 1 2", "7: label: 2 appears twice"},
      {"total_sv 4", "total_sv 99999999999",
       "5: total_sv: expected an integer from 0 to 2147483647, found '99999999999'"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.from);
    CAPTURE(row.to);
    CHECK(svm_file_error_of(with(kGood, row.from, row.to)) == row.error);
  }
}
