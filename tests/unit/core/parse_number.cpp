// Numbers read from whole pieces of text: what is a number, what is not, and the edges of
// each type's range.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "mlpipe/core/parse_number.h"

using namespace mlpipe;

TEST_CASE("parse_double: the whole text as a finite number") {
  struct Row {
    std::string text;
    double value;
  };
  const Row rows[] = {
      {"0", 0.0},  {"-2.5", -2.5}, {"1e3", 1000.0}, {"1.5E-2", 0.015},
      {".5", 0.5}, {"5.", 5.0},    {"007", 7.0},    {"1e-310", 1e-310},  // a subnormal is still a double
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(parse_double(row.text) == row.value);
  }
  CHECK(std::signbit(*parse_double("-0")));
}

TEST_CASE("parse_double: text that is not exactly one number") {
  for (std::string_view text : {"", " ", "-", ".", "e5", "1e", "abc", "12abc", "1 ", " 1", "\t1", "1\n", "1,5", "1_0",
                                "--1", "0x10", "0x1p3", "1.2.3"})
    CHECK_MESSAGE(!parse_double(text), "'", std::string(text), "'");
  CHECK(!parse_double(std::string_view("1\0", 2)));
}

TEST_CASE("parse_double: infinities, NaN and values out of range are no answer") {
  for (std::string_view text :
       {"inf", "-inf", "INF", "infinity", "nan", "-nan", "NaN", "nan(1)", "1e999", "-1e999", "1e-999"})
    CHECK_MESSAGE(!parse_double(text), "'", std::string(text), "'");
}

TEST_CASE("parse_double: a leading '+' only when allowed, and only one") {
  CHECK(!parse_double("+1"));
  CHECK(parse_double("+1", Plus::allowed) == 1.0);
  CHECK(parse_double("-1", Plus::allowed) == -1.0);
  CHECK(parse_double("+.5", Plus::allowed) == 0.5);
  for (std::string_view text : {"+", "++1", "+-1", "-+1", "+ 1", "+inf", "+nan"})
    CHECK_MESSAGE(!parse_double(text, Plus::allowed), "'", std::string(text), "'");
}

TEST_CASE("parse_floating: infinities and NaN come through for the caller to judge") {
  CHECK(std::isinf(*parse_floating<double>("inf")));
  CHECK(*parse_floating<double>("-infinity") < 0);
  CHECK(std::isnan(*parse_floating<double>("nan")));
  CHECK(std::isinf(*parse_floating<float>("inf")));
  CHECK(parse_floating<float>("0.1") == 0.1f);  // read as a float, not a double rounded to one
  CHECK(!parse_floating<double>("1e999"));      // out of range is not an infinity
  CHECK(!parse_floating<float>("1e39"));
  CHECK(!parse_floating<float>("+1"));
  CHECK(!parse_floating<double>("inf "));
  CHECK(!parse_floating<double>(""));
}

TEST_CASE("parse_integer: decimal digits, the whole text, within the type") {
  CHECK(parse_integer<int>("0") == 0);
  CHECK(parse_integer<int>("-17") == -17);
  CHECK(parse_integer<int>("0042") == 42);
  CHECK(parse_integer<std::int64_t>("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_integer<std::int64_t>("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  CHECK(!parse_integer<std::int64_t>("9223372036854775808"));
  CHECK(!parse_integer<std::int64_t>("-9223372036854775809"));
  CHECK(parse_integer<std::uint32_t>("4294967295") == 4294967295u);
  CHECK(!parse_integer<std::uint32_t>("4294967296"));
  CHECK(!parse_integer<std::int8_t>("128"));
  CHECK(!parse_integer<std::int8_t>("-129"));
  CHECK(!parse_integer<int>("99999999999999999999999"));
}

TEST_CASE("parse_integer: text that is not exactly one integer") {
  for (std::string_view text :
       {"", "-", " 1", "1 ", "1\t", "+1", "1.0", "1.", "1e2", "0x1A", "1A", "abc", "--1", "inf", "nan"})
    CHECK_MESSAGE(!parse_integer<int>(text), "'", std::string(text), "'");
}

TEST_CASE("parse_integer: no sign at all for an unsigned type") {
  CHECK(!parse_integer<unsigned>("-1"));
  CHECK(!parse_integer<unsigned>("-0"));
  CHECK(!parse_integer<std::uint64_t>("-18446744073709551615"));
  CHECK(parse_integer<std::uint64_t>("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("parse_integer: a leading '+' only when allowed") {
  CHECK(parse_integer<long long>("+3", Plus::allowed) == 3);
  CHECK(parse_integer<unsigned>("+3", Plus::allowed) == 3u);
  CHECK(parse_integer<long long>("-3", Plus::allowed) == -3);
  CHECK(!parse_integer<long long>("+-3", Plus::allowed));
  CHECK(!parse_integer<long long>("+", Plus::allowed));
  CHECK(!parse_integer<long long>("++3", Plus::allowed));
  CHECK(!parse_integer<unsigned>("+-0", Plus::allowed));
}
