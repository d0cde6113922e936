#include <doctest/doctest.h>

#include <limits>
#include <optional>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/record.h"

using namespace mlpipe;

namespace {
// A record over its own padded copy of `json`.
struct Owned {
  std::string buf;
  std::string name = "t.ndjson";
  Record rec;
  explicit Owned(std::string_view json) : buf(json) {
    buf.reserve(buf.size() + kJsonPadding);
    rec.data = buf;
    rec.readable = buf.capacity();
    rec.source = &name;
    rec.line = 1;
  }
};
}  // namespace

TEST_CASE("index finds top-level fields with raw values") {
  Owned r(R"({"doc":"a.txt","n":3, "x":[1,0,2.5],"o":{"p":{"q":"deep"}},"b":true,"z":null})");
  JsonReader reader;
  const auto& fields = reader.index(r.rec);
  REQUIRE(fields.size() == 6);
  CHECK(fields[0].key == "doc");
  CHECK(fields[0].raw == "\"a.txt\"");
  CHECK(fields[1].raw == "3");
  CHECK(fields[2].raw == "[1,0,2.5]");
  CHECK(fields[3].type == JsonType::object);
  CHECK(reader.get_string(*reader.find("doc")) == "a.txt");
  CHECK(reader.get_integer(*reader.find("n")) == 3);
  CHECK(reader.get_bool(*reader.find("b")));
  std::optional<Field> deep = reader.find("o.p.q");
  REQUIRE(deep.has_value());
  CHECK(reader.get_string(*deep) == "deep");
  CHECK(!reader.find("o.missing"));
  CHECK(!reader.find("nope"));
}

TEST_CASE("dense and sparse vectors") {
  JsonReader reader;
  SparseVector v;
  Owned dense(R"({"x":[1,0,2.5]})");
  reader.index(dense.rec);
  reader.get_sparse(*reader.find("x"), v);
  CHECK(v.idx == std::vector<std::uint32_t>{1, 3});
  CHECK(v.val == std::vector<float>{1.0f, 2.5f});

  Owned sparse(R"({"features":{"val":[0.5,0.25],"idx":[2,7]}})");
  reader.index(sparse.rec);
  reader.get_sparse(*reader.find("features"), v);
  CHECK(v.idx == std::vector<std::uint32_t>{2, 7});

  Owned unsorted(R"({"features":{"idx":[7,2],"val":[1,1]}})");
  reader.index(unsorted.rec);
  CHECK_THROWS_WITH_AS(reader.get_sparse(*reader.find("features"), v),
                       doctest::Contains("strictly increasing"), Error);
  Owned mismatch(R"({"features":{"idx":[1,2],"val":[1]}})");
  reader.index(mismatch.rec);
  CHECK_THROWS_WITH_AS(reader.get_sparse(*reader.find("features"), v), doctest::Contains("\"val\" has 1"), Error);
  Owned zero(R"({"features":{"idx":[0],"val":[1]}})");
  reader.index(zero.rec);
  CHECK_THROWS_AS(reader.get_sparse(*reader.find("features"), v), Error);
}

TEST_CASE("invalid records are errors, not crashes") {
  JsonReader reader;
  for (const char* bad : {"{\"a\":", "[1,2]", "{\"a\":1} {\"b\":2}", "{\"a\":tru}", "{\"a\":1,}", "nope", "{\"a\":\"\x01\"}"}) {
    CAPTURE(bad);
    Owned r(bad);
    CHECK_THROWS_AS(reader.index(r.rec), Error);
  }
  Owned wrong(R"({"text":5})");
  reader.index(wrong.rec);
  CHECK_THROWS_WITH_AS(reader.get_string(*reader.find("text")), "field 'text': expected a string, found a number",
                       Error);
}

TEST_CASE("writer escapes, formats numbers and copies fields") {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("s").string("a\"b\\c\n\x01").key("i").integer(-3).key("d").number(0.1).key("f").number(2.0);
  SparseVector v;
  v.push(1, 0.5f);
  v.push(9, 1.0f);
  w.key("v").sparse(v).key("n").number(std::numeric_limits<double>::quiet_NaN()).end_object().end_record();
  CHECK(out == "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":-3,\"d\":0.1,\"f\":2,\"v\":{\"idx\":[1,9],\"val\":[0.5,1]},\"n\":null}\n");

  Owned r(R"({"a":1,"b":[2],"c":"x"})");
  JsonReader reader;
  out.clear();
  JsonWriter w2(out);
  w2.begin_object().copy_fields(reader.index(r.rec), {"b"}).key("d").boolean(false).end_object();
  CHECK(out == R"({"a":1,"c":"x","d":false})");
}

TEST_CASE("string escaping finds special bytes at every position of long strings") {
  for (std::size_t pos = 0; pos < 40; ++pos) {
    for (char special : {'"', '\\', '\n', '\x1f'}) {
      std::string s(40, 'a');
      s[pos] = special;
      s += "\xC3\xA9tail";  // non-ASCII bytes pass through unescaped
      std::string out;
      append_json_string(out, s);
      std::string esc = special == '"' ? "\\\"" : special == '\\' ? "\\\\" : special == '\n' ? "\\n" : "\\u001f";
      CHECK(out == "\"" + s.substr(0, pos) + esc + s.substr(pos + 1) + "\"");
    }
  }
}

TEST_CASE("JsonText reads a whole-file JSON object and locates its errors") {
  JsonText spec("{\"a\":1,\"b\":\"x\"}\n\n", "spec.json");
  CHECK(spec.text() == "{\"a\":1,\"b\":\"x\"}");
  CHECK(spec.reader().get_string(*spec.reader().find("b")) == "x");
  try {
    JsonText bad("{\"a\":", "bad.json");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.file() == "bad.json");
    CHECK(std::string(e.what()).find("invalid JSON") == 0);
  }
}

TEST_CASE("what the reader returns stays valid until the next record") {
  Owned r(R"({"a":"x\ty","b":"p\"q","m":{"n":{"k\u0041":"v\\w"}},"n":1e400,"e":[1,1e400],"s":"plain"})");
  JsonReader reader;
  reader.index(r.rec);
  std::string_view a = reader.get_string(*reader.find("a"));
  std::optional<Field> nested = reader.find("m.n.kA");
  std::string_view b = reader.get_string(*reader.find("b"));
  std::optional<Field> plain = reader.find("s");
  REQUIRE(nested);
  std::string_view w = reader.get_string(*nested);
  // Earlier results survive later calls: no shared scratch buffer behind them.
  CHECK(a == "x\ty");
  CHECK(b == "p\"q");
  CHECK(w == "v\\w");
  CHECK(nested->key == "kA");
  CHECK(reader.get_string(*plain) == "plain");
  // A number no double holds is refused only when read, with a message that says so.
  CHECK_THROWS_WITH_AS(reader.get_number(*reader.find("n")), "field 'n': 1e400 is too large for a double", Error);
  SparseVector v;
  CHECK_THROWS_WITH_AS(reader.get_sparse(*reader.find("e"), v), doctest::Contains("too large for a double"), Error);
}

TEST_CASE("every field is checked, read or not") {
  JsonReader reader;
  for (const char* bad : {R"({"text":"ok","v":{]}})", R"({"text":"ok","v":[1,,2]})", R"({"text":"ok","v":[NaN]})",
                          R"({"text":"ok","v":"\x"})", R"({"text":"ok","v":"\ud800"})", R"({"text":"ok","v":[1,]})"}) {
    CAPTURE(bad);
    Owned r(bad);
    CHECK_THROWS_WITH_AS(reader.index(r.rec), doctest::Contains("invalid JSON at column"), Error);
  }
  Owned big(R"({"v":0e9999999999999999999999999999,"w":1e0000000000000000000000000000000000000000000000000000000000})");
  REQUIRE(reader.index(big.rec).size() == 2);
  CHECK(reader.get_number(*reader.find("v")) == 0);
  CHECK(reader.get_number(*reader.find("w")) == 1);
}
