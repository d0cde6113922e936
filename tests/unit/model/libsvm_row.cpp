#include "mlpipe/model/libsvm_row.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mlpipe/core/error.h"

using namespace mlpipe;

namespace {
std::string row_error_of(std::string_view line) {
  double label;
  std::vector<std::uint32_t> idx;
  std::vector<double> val;
  try {
    parse_libsvm_row(line, label, idx, val);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("libsvm rows: label, index:value pairs, comments, tabs and CR") {
  double label = 0;
  std::vector<std::uint32_t> idx{9};
  std::vector<double> val{9};
  parse_libsvm_row("+1 1:0.5\t3:-2e-3 # a comment 4:1\r", label, idx, val);
  CHECK(label == 1);
  CHECK(idx == std::vector<std::uint32_t>{1, 3});
  CHECK(val == std::vector<double>{0.5, -2e-3});
  parse_libsvm_row("-2.5", label, idx, val);
  CHECK(label == -2.5);
  CHECK(idx.empty());
  CHECK(val.empty());
  parse_libsvm_row("0 2147483647:1", label, idx, val);
  CHECK(idx == std::vector<std::uint32_t>{2147483647u});
  // A line that is only a comment is no row (mltrain(1): '#' starts a comment).
  CHECK_FALSE(parse_libsvm_row("  # only a comment", label, idx, val));
  CHECK_FALSE(parse_libsvm_row("#", label, idx, val));
  CHECK(parse_libsvm_row("1 # a row with a comment", label, idx, val));
}

TEST_CASE("libsvm rows: what is refused") {
  CHECK(row_error_of("") == "empty line (expected 'LABEL index:value …')");
  CHECK(row_error_of(" \t") == "empty line (expected 'LABEL index:value …')");
  CHECK(row_error_of(std::string_view("1 3:\0x", 6)) == "'3:\\x00x': the value is not a finite number");
  CHECK(row_error_of("x 1:1") == "label 'x' is not a number (libsvm format: 'LABEL index:value …')");
  CHECK(row_error_of("1 0:1") == "'0:1': expected index:value with an index from 1 to 2147483647");
  CHECK(row_error_of("1 2147483648:1") == "'2147483648:1': expected index:value with an index from 1 to 2147483647");
  CHECK(row_error_of("1 3") == "'3': expected index:value with an index from 1 to 2147483647");
  CHECK(row_error_of("1 3:nan") == "'3:nan': the value is not a finite number");
  CHECK(row_error_of("1 3:1 2:1") == "index 2 after 3: indices must be strictly increasing");
  CHECK(row_error_of("1 3:1 3:1") == "index 3 after 3: indices must be strictly increasing");
}
