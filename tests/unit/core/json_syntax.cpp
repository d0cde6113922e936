// RFC 8259 conformance of check_json, case by case: every corner of the grammar that a
// record's untouched field could hit (numbers, escapes, surrogates, nesting, white space,
// control characters, UTF-8), and the walking functions over checked text.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_syntax.h"

using namespace mlpipe;

namespace {

bool valid(std::string_view text) {
  try {
    check_json(text);
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::string message(std::string_view text) {
  try {
    check_json(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("values RFC 8259 accepts") {
  for (std::string_view text : std::initializer_list<std::string_view>{
           // scalars at the top level
           "0", "-0", "1", "-1", "10", "1.5", "-1.5", "0.0", "1e5", "1E5", "1e+5", "1e-5", "1.25E-07", "-0e0",
           "123456789012345678901234567890", "1e400", "-1e400", "1e-400", "0e9999999999999999999999999999",
           "1e0000000000000000000000000000000000000000000000000000000000", "true", "false", "null", "\"\"",
           "\"plain\"",
           // escapes
           R"("\"")", R"("\\")", R"("\/")", R"("\b\f\n\r\t")", R"("\u0000")", R"("\u00e9")", R"("\u00E9")",
           R"("\uFFFF")", R"("\uD83D\uDE00")", R"("\udbff\udfff")", R"("a\u0041b")",
           // raw UTF-8 and characters that need no escape
           "\"\xC3\xA9\"", "\"\xE2\x82\xAC\"", "\"\xF0\x9F\x98\x80\"", "\"\xEF\xBF\xBF\"", "\"\x7F\"", "\"'\"",
           // containers and white space
           "{}", "[]", "[[]]", "{\"a\":{}}", " { \"a\" : [ 1 , 2 ] } ", "\t\r\n{\"a\":1}\n", "[1,\"a\",true,null,{},[]]",
           "{\"a\":1,\"a\":2}", "{\"\":0}", "[-0.0e-0]"}) {
    CAPTURE(text);
    CHECK(valid(text));
  }
}

TEST_CASE("texts RFC 8259 refuses") {
  using namespace std::string_view_literals;
  for (std::string_view text : std::initializer_list<std::string_view>{
           // not one value
           "", " ", "{\"a\":1} {\"b\":2}", "1 2", "{}}", "{}x", "[]]",
           // numbers
           "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "1E-", "0x10", "NaN", "Infinity", "-Infinity",
           "1.5.2", "--1", "1_000", "\xEF\xBC\x91",
           // literals
           "tru", "True", "nul", "NULL", "falsey", "[t]",
           // strings
           "\"", "\"abc", "'a'", R"("\x")", R"("\u12")", R"("\u12G4")", R"("\U0041")", R"("\)", "\"\\\"",
           "\"a\x01\"", "\"a\x1F\"", "\"tab\there\"", "\"line\nbreak\"", "\"nul\0\""sv,
           // surrogates
           R"("\uD800")", R"("\uDBFF x")", R"("\uDC00")", R"("\uDFFF\uD800")", R"("\uD800\u0041")", R"("\uD800\n")",
           R"("\uD800\uD800")",
           // objects and arrays
           "{", "}", "[", "]", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a:1}", "{\"a\":1,}", "{,\"a\":1}", "{1:2}",
           "[1,]", "[,1]", "[1,,2]", "[1 2]", "{\"a\":1 \"b\":2}", "{]", "[}", "{\"a\":[}", "{\"a\":{]}",
           // white space JSON does not know
           "\v{}", "{}\f", "\xC2\xA0{}",
           // UTF-8
           "\"\xFF\"", "\"\xC0\xAF\"", "\"\xE0\x80\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xC3\"",
           "\"\xE2\x82\"", "\"\x80\"", "\"\xF8\x88\x80\x80\x80\""}) {
    CAPTURE(text);
    CHECK_FALSE(valid(text));
  }
}

TEST_CASE("messages say where and what") {
  CHECK(message(R"({"v":{]})") == "invalid JSON at column 7: expected a member name in quotes, found ']'");
  CHECK(message("[1,,2]") == "invalid JSON at column 4: expected a value, found ','");
  CHECK(message(R"({"a":"x\q"})") ==
        R"(invalid JSON at column 8: \q is not an escape (expected one of \" \\ \/ \b \f \n \r \t \uXXXX))");
  CHECK(message("{\"a\":\"\x01\"}") ==
        "invalid JSON at column 7: byte 0x01 inside a string (control characters must be escaped as \\u00XX)");
  CHECK(message("{\"a\":\"\xC3(\"}") == "invalid JSON at column 7: byte 0xC3 is not valid UTF-8");
  CHECK(message(R"(["\uDC00"])") == R"(invalid JSON at column 3: \uDC00 is a low surrogate without a high one before it)");
  CHECK(message("{\"a\":1}x") == "invalid JSON at column 8: 'x' after the end of the value");
  CHECK(message("{\"a\":1") == "invalid JSON at column 7: expected ',' or '}', found the end of the text");
  CHECK(message("[01]") == "invalid JSON at column 2: a number with a leading zero");
}

TEST_CASE("nesting is limited, without recursion") {
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(valid(ok));
  std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  CHECK(message(deep).find("more than 1024 nested") != std::string::npos);
  // Far deeper than any stack would allow for a recursive checker.
  CHECK_FALSE(valid(std::string(1'000'000, '[')));
  CHECK_FALSE(valid(std::string(1'000'000, '{')));
}

TEST_CASE("top-level members are reported with their raw text") {
  std::vector<JsonMember> members;
  check_json(R"( {"a" : 1 , "b\"c":{"d":[1,{"e":2}]}, "f":"x,}" ,"g":[]} )", &members);
  REQUIRE(members.size() == 4);
  CHECK(members[0].key == "a");
  CHECK(members[0].value == "1");
  CHECK(members[1].key == R"(b\"c)");
  CHECK(members[1].key_escaped);
  CHECK(members[1].value == R"({"d":[1,{"e":2}]})");
  CHECK(members[2].value == R"("x,}")");
  CHECK(members[3].value == "[]");
  members.clear();
  check_json("[1,2]", &members);
  CHECK(members.empty());
}

TEST_CASE("walking checked text") {
  std::vector<JsonMember> members;
  object_members(R"({ "a":[1,"]"], "b" : {"c":"}"} ,"d":-1e5})", members);
  REQUIRE(members.size() == 3);
  CHECK(members[0].value == R"([1,"]"])");
  CHECK(members[1].value == R"({"c":"}"})");
  CHECK(members[2].value == "-1e5");

  JsonElements elements(R"([ 1, "a\"]" ,[2,[3]],{"x":[]} , null])");
  std::vector<std::string_view> seen;
  for (std::string_view e; elements.next(e);) seen.push_back(e);
  CHECK(seen == std::vector<std::string_view>{"1", R"("a\"]")", "[2,[3]]", R"({"x":[]})", "null"});
  JsonElements empty("[ ]");
  std::string_view e;
  CHECK_FALSE(empty.next(e));

  CHECK(json_type_of("{}") == JsonType::object);
  CHECK(json_type_of("-1") == JsonType::number);
  CHECK(json_type_of("false") == JsonType::boolean);
}

TEST_CASE("unescaping") {
  std::string out;
  append_unescaped(R"(a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00\u0000z)", out);
  CHECK(out == std::string("a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 21) + std::string(1, '\0') + "z");
}

TEST_CASE("numbers convert only when asked, and say when they cannot") {
  double d = -1;
  CHECK(json_number_to_double("1e0000000000000000000000000000000000000000000000000000000000", d));
  CHECK(d == 1);
  CHECK(json_number_to_double("0e9999999999999999999999999999", d));
  CHECK(d == 0);
  CHECK(json_number_to_double("1e-400", d));
  CHECK(d == 0);
  CHECK(json_number_to_double("-1e-400", d));
  CHECK((d == 0 && std::signbit(d)));
  CHECK(json_number_to_double("0.000000000000000000000000000001e-300", d));
  CHECK(d == 0);
  CHECK(json_number_to_double("4.9e-324", d));
  CHECK(d > 0);
  CHECK(json_number_to_double("1.7976931348623157e308", d));
  CHECK_FALSE(json_number_to_double("1e400", d));
  CHECK_FALSE(json_number_to_double("-1.8e308", d));
  CHECK(json_number_to_double("100000000000000000000000000000000000000e-10000000000000000000000", d));
  CHECK(d == 0);
  CHECK_FALSE(json_number_to_double("1000e99999999999999999999999", d));

  std::int64_t i = 0;
  CHECK(json_number_to_int64("-9223372036854775808", i));
  CHECK(i == INT64_MIN);
  CHECK_FALSE(json_number_to_int64("9223372036854775808", i));
  CHECK_FALSE(json_number_to_int64("1.0", i));
  CHECK_FALSE(json_number_to_int64("1e2", i));
}

TEST_CASE("short decimals convert exactly like the general path") {
  // The fast path for feature values must give the correctly rounded double, as from_chars does.
  std::uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
  for (int i = 0; i < 200000; ++i) {
    int digits = int(next() % 15) + 1, fraction = int(next() % (digits + 1));
    std::string s = (next() & 1) ? "-" : "";
    std::string d;
    for (int k = 0; k < digits; ++k) d.push_back(char('0' + next() % 10));
    if (digits - fraction > 1) d.erase(0, d.find_first_not_of('0') == std::string::npos ? d.size() - fraction - 1 : std::min(d.find_first_not_of('0'), std::size_t(digits - fraction - 1)));
    std::string whole = d.substr(0, d.size() - fraction), part = d.substr(d.size() - fraction);
    s += (whole.empty() ? "0" : whole) + (part.empty() ? "" : "." + part);
    double fast = 0, slow = 0, element = 0;
    CHECK(json_number_to_double(s, fast));
    std::from_chars(s.data(), s.data() + s.size(), slow);
    if (fast != slow) FAIL_CHECK(s);
    // The same number read as an element of a feature vector.
    std::string array = "[" + s + "]";
    JsonNumbers numbers(array);
    std::string_view text;
    CHECK(numbers.next_double(element, text) == JsonNumbers::Next::number);
    if (element != slow || text != s) FAIL_CHECK(s);
  }
}

TEST_CASE("arrays of numbers read where they lie") {
  JsonNumbers numbers(R"([ 0.5,-2 , 1e400 ,7e-1, "x"])");
  double v = 0;
  std::string_view text;
  CHECK(numbers.next_double(v, text) == JsonNumbers::Next::number);
  CHECK(v == 0.5);
  CHECK(numbers.next_double(v, text) == JsonNumbers::Next::number);
  CHECK(v == -2);
  CHECK(numbers.next_double(v, text) == JsonNumbers::Next::too_large);
  CHECK(text == "1e400");
  CHECK(numbers.next_double(v, text) == JsonNumbers::Next::number);
  CHECK(v == 0.7);
  CHECK(numbers.next_double(v, text) == JsonNumbers::Next::other);

  JsonNumbers indices("[1, 20,4294967296,3.0]");
  std::uint64_t i = 0;
  CHECK(indices.next_index(i, text) == JsonNumbers::Next::number);
  CHECK(i == 1);
  CHECK(indices.next_index(i, text) == JsonNumbers::Next::number);
  CHECK(i == 20);
  CHECK(indices.next_index(i, text) == JsonNumbers::Next::number);
  CHECK(i == 4294967296u);
  CHECK(indices.next_index(i, text) == JsonNumbers::Next::other);
  JsonNumbers empty("[]");
  CHECK(empty.next_index(i, text) == JsonNumbers::Next::end);
}
