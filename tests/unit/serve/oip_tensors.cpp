#include "mlpipe/serve/oip_tensors.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mlpipe/serve/request_error.h"
#include "status_of.h"

using namespace mlpipe::serve;
using Numbers = std::vector<double>;
using Strings = std::vector<std::string>;
using Shape = std::vector<std::int64_t>;

using mlpipe::serve::testing::status_of;

namespace {

InferRequest parse(const std::string& body, std::uint64_t max_rows = 1000) { return parse_infer_request(body, max_rows); }

// A request body with one input.
std::string one_input(const std::string& name, const std::string& datatype, const std::string& shape,
                      const std::string& data) {
  return R"({"inputs":[{"name":")" + name + R"(","datatype":")" + datatype + R"(","shape":)" + shape +
         R"(,"data":)" + data + "}]}";
}

}  // namespace

TEST_CASE("inference requests: data flat or nested, every datatype, id and outputs") {
  InferRequest flat = parse(one_input("x", "FP64", "[2,3]", "[1,2,3,4.5,5,6]"));
  REQUIRE(flat.inputs.size() == 1);
  const Tensor& t = flat.inputs[0];
  CHECK(t.name == "x");
  CHECK(t.datatype == "FP64");
  CHECK(t.shape == Shape{2, 3});
  CHECK(t.rows() == 2);
  CHECK(t.numbers == Numbers{1, 2, 3, 4.5, 5, 6});
  CHECK(t.strings.empty());
  CHECK(flat.id == "");
  CHECK(flat.outputs.empty());

  InferRequest nested = parse(one_input("x", "FP64", "[2,3]", "[[1,2,3],[4.5,5,6]]"));
  CHECK(nested.inputs[0].numbers == t.numbers);
  CHECK(parse(one_input("x", "FP32", "[2,1]", "[[[1]],[[2]]]")).inputs[0].numbers == Numbers{1, 2});

  struct Case {
    const char* datatype;
    const char* data;
    Numbers numbers;
  };
  const Case cases[] = {
      {"BOOL", "[true,false]", {1, 0}},
      {"INT8", "[-128,127]", {-128, 127}},
      {"INT16", "[-32768,32767]", {-32768, 32767}},
      {"INT32", "[-2147483648,2147483647]", {-2147483648.0, 2147483647.0}},
      {"INT64", "[-9223372036854775808,9223372036854775807]", {-9223372036854775808.0, 9223372036854775807.0}},
      {"UINT8", "[0,255]", {0, 255}},
      {"UINT16", "[0,65535]", {0, 65535}},
      {"UINT32", "[0,4294967295]", {0, 4294967295.0}},
      {"UINT64", "[0,18446744073709551615]", {0, 18446744073709551615.0}},
      {"FP16", "[0.5,-2]", {0.5, -2}},
      {"FP32", "[1e-3,3]", {1e-3, 3}},
      {"FP64", "[1e300,-0.25]", {1e300, -0.25}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.datatype);
    InferRequest r = parse(one_input("v", c.datatype, "[2]", c.data));
    CHECK(r.inputs[0].datatype == c.datatype);
    CHECK(r.inputs[0].numbers == c.numbers);
  }

  InferRequest text = parse(R"({"id":"req-7","inputs":[{"name":"text","datatype":"BYTES","shape":[2],)"
                            R"("data":["a \"b\"","é"]}],"outputs":[{"name":"class"},{"name":"score"}]})");
  CHECK(text.id == "req-7");
  CHECK(text.inputs[0].is_bytes());
  CHECK(text.inputs[0].strings == Strings{"a \"b\"", "é"});
  CHECK(text.outputs == Strings{"class", "score"});

  // Several inputs of the same number of rows; an empty request of zero rows.
  InferRequest two = parse(R"({"inputs":[{"name":"a","datatype":"FP64","shape":[2],"data":[1,2]},)"
                           R"({"name":"b","datatype":"INT32","shape":[2,1],"data":[[3],[4]]}]})");
  CHECK(two.inputs.size() == 2);
  CHECK(two.inputs[1].numbers == Numbers{3, 4});
  CHECK(parse(one_input("x", "FP64", "[0,4]", "[]")).inputs[0].rows() == 0);
}

TEST_CASE("malformed inference requests are 400s that say what is wrong") {
  struct Case {
    std::string body;
    const char* message;  // the start of the message
  };
  const Case cases[] = {
      {"", "the body is not valid JSON: "},
      {R"({"inputs":[)", "the body is not valid JSON: "},
      {"[1]", "the body is not a JSON object"},
      {R"({"id":1,"inputs":[]})", "'id' is not a string"},
      {"{}", "'inputs' is missing or not an array"},
      {R"({"inputs":{}})", "'inputs' is missing or not an array"},
      {R"({"inputs":[]})", "'inputs' is empty"},
      {R"({"inputs":[1]})", "inputs[0]: expected an object with name, shape, datatype and data"},
      {R"({"inputs":[{"datatype":"FP64","shape":[1],"data":[1]}]})", "inputs[0]: 'name' is missing or not a string"},
      {R"({"inputs":[{"name":"x","shape":[1],"data":[1]}]})", "input 'x': 'datatype' is missing or not a string"},
      {one_input("x", "FLOAT", "[1]", "[1]"), "input 'x': datatype 'FLOAT' is not one of BOOL, INT8"},
      {one_input("x", "fp64", "[1]", "[1]"), "input 'x': datatype 'fp64' is not one of"},
      {R"({"inputs":[{"name":"x","datatype":"FP64","data":[1]}]})", "input 'x': 'shape' is missing or not an array"},
      {one_input("x", "FP64", "[-1]", "[1]"), "input 'x': a shape holds non-negative integers"},
      {one_input("x", "FP64", "[1.5]", "[1]"), "input 'x': a shape holds non-negative integers"},
      {one_input("x", "FP64", "[]", "[1]"), "input 'x': shape [] is not [rows] or [rows, values]"},
      {one_input("x", "FP64", "[1,1,1]", "[1]"), "input 'x': shape [1, 1, 1] is not [rows] or [rows, values]"},
      {one_input("x", "FP64", "[4294967296,4294967296,4294967296]", "[1]"), "input 'x': shape [4294967296, 4294967296] is too large"},
      {R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1]}]})", "input 'x': 'data' is missing or not an array"},
      {one_input("x", "FP64", "[1]", "1"), "input 'x': 'data' is missing or not an array"},
      {one_input("x", "FP64", "[2,4]", "[1,2,3,4,5,6,7]"), "input 'x': shape [2, 4] holds 8 values, data has 7"},
      {one_input("x", "FP64", "[2]", "[[1,2],[3]]"), "input 'x': shape [2] holds 2 values, data has 3"},
      {one_input("x", "FP64", "[2]", "[1,\"2\"]"), "input 'x': value 1 is not a number (datatype FP64)"},
      {one_input("x", "FP64", "[1]", "[null]"), "input 'x': value 0 is not a number (datatype FP64)"},
      {one_input("x", "INT32", "[2]", "[1,2.5]"), "input 'x': value 1 is not an integer (datatype INT32)"},
      {one_input("x", "BOOL", "[1]", "[1]"), "input 'x': value 0 is not true or false (datatype BOOL)"},
      {one_input("x", "BYTES", "[1]", "[1]"), "input 'x': value 0 is not a string (datatype BYTES)"},
      {one_input("x", "INT8", "[1]", "[128]"), "input 'x': value 0 is out of the range of INT8"},
      {one_input("x", "INT8", "[1]", "[-129]"), "input 'x': value 0 is out of the range of INT8"},
      {one_input("x", "UINT8", "[1]", "[-1]"), "input 'x': value 0 is out of the range of UINT8"},
      {one_input("x", "UINT32", "[1]", "[4294967296]"), "input 'x': value 0 is out of the range of UINT32"},
      {one_input("x", "INT64", "[1]", "[9223372036854775808]"), "input 'x': value 0 is out of the range of INT64"},
      {one_input("x", "INT8", "[1]", "[18446744073709551615]"), "input 'x': value 0 is out of the range of INT8"},
      {one_input("x", "FP64", "[1]", std::string(40, '[') + "1" + std::string(40, ']')),
       "input 'x': data nested deeper than any shape"},
      {R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]},)"
       R"({"name":"x","datatype":"FP64","shape":[1],"data":[2]}]})",
       "input 'x' is given twice"},
      {R"({"inputs":[{"name":"a","datatype":"FP64","shape":[1],"data":[1]},)"
       R"({"name":"b","datatype":"FP64","shape":[2],"data":[2,3]}]})",
       "input 'b' has 2 rows where input 'a' has 1"},
      {R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}],"outputs":{}})", "'outputs' is not an array"},
      {R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}],"outputs":["score"]})",
       "'outputs': each is an object with a 'name'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    std::string message;
    CAPTURE(message);
    CHECK(status_of([&] { parse(c.body); }, message) == 400);
    CHECK(message.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("more rows than the limit are a 413") {
  std::string message;
  CHECK(status_of([] { parse(one_input("x", "FP64", "[3,1]", "[1,2,3]"), 2); }, message) == 413);
  CHECK(message == "input 'x': 3 rows, more than the limit of 2 rows a request (--max-rows)");
  // Refused by its shape, before its data is read.
  CHECK(status_of([] { parse(one_input("x", "FP64", "[1000000,1]", "[]"), 10); }, message) == 413);
  CHECK(status_of([] { parse(one_input("x", "FP64", "[2,1]", "[1,2]"), 2); }, message) == 0);
}

TEST_CASE("rows for a model: one input of vectors as NDJSON records") {
  StageRows rows = rows_for_model(parse(one_input("x", "FP64", "[2,3]", "[[1,2.5,3],[4,5,1e-7]]")), 3, {});
  CHECK(rows.kind == StageRows::Kind::ndjson);
  CHECK(rows.rows == 2);
  CHECK(rows.text == "{\"x\":[1,2.5,3]}\n{\"x\":[4,5,1e-07]}\n");
  // [N] for a model of one feature; any width when the dimension is unknown.
  CHECK(rows_for_model(parse(one_input("x", "INT32", "[2]", "[7,8]")), 1, {}).text == "{\"x\":[7]}\n{\"x\":[8]}\n");
  CHECK(rows_for_model(parse(one_input("v", "FP64", "[1,2]", "[1,2]")), 0, {}).text == "{\"x\":[1,2]}\n");
  // A CSV model takes one input of as many values as it has columns too.
  CHECK(rows_for_model(parse(one_input("x", "FP64", "[1,2]", "[1,2]")), 2, {"a", "b"}).text == "{\"x\":[1,2]}\n");

  std::string message;
  CHECK(status_of([] { rows_for_model(parse(one_input("x", "FP64", "[1,3]", "[1,2,3]")), 4, {}); }, message) == 400);
  CHECK(message == "input 'x': rows of 3 values, where the model takes 4 features (shape [N, 4])");
  CHECK(status_of([] { rows_for_model(parse(one_input("x", "FP64", "[2]", "[1,2]")), 4, {}); }, message) == 400);
  CHECK(message == "input 'x': rows of 1 values, where the model takes 4 features (shape [N, 4])");
  CHECK(status_of([] { rows_for_model(parse(one_input("t", "BYTES", "[1]", "[\"a\"]")), 4, {}); }, message) == 400);
  CHECK(message == "the model takes one input of shape [N, 4] (numbers), not 1 inputs of strings");
  const std::string two = R"({"inputs":[{"name":"a","datatype":"FP64","shape":[1],"data":[1]},)"
                          R"({"name":"b","datatype":"FP64","shape":[1],"data":[2]}]})";
  CHECK(status_of([&] { rows_for_model(parse(two), 0, {}); }, message) == 400);
  CHECK(message == "the model takes one input of shape [N, 1] (numbers), not 2 inputs");
}

TEST_CASE("rows for a model trained on CSV: one input per column, as CSV text") {
  const std::string body =
      R"({"inputs":[{"name":"id","datatype":"BYTES","shape":[3],"data":["p,1","say \"hi\"","plain"]},)"
      R"({"name":"b","datatype":"FP32","shape":[3,1],"data":[[0.5],[2],[-1]]},)"
      R"({"name":"a","datatype":"INT64","shape":[3],"data":[1,2,3]}]})";
  StageRows rows = rows_for_model(parse(body), 2, {"a", "b"});
  CHECK(rows.kind == StageRows::Kind::csv);
  CHECK(rows.rows == 3);
  // The inputs in the request's order, the columns found by name; other inputs copied,
  // quoted as CSV needs.
  CHECK(rows.text == "id,b,a\n\"p,1\",0.5,1\n\"say \"\"hi\"\"\",2,2\nplain,-1,3\n");

  const std::string named = R"({"inputs":[{"name":"x,y","datatype":"FP64","shape":[1],"data":[1]},)"
                            R"({"name":"b","datatype":"FP64","shape":[1],"data":[2]}]})";
  CHECK(rows_for_model(parse(named), 2, {"x,y", "b"}).text == "\"x,y\",b\n1,2\n");

  std::string message;
  CHECK(status_of([&] { rows_for_model(parse(body), 3, {"a", "b", "c"}); }, message) == 400);
  CHECK(message == "the model was trained on column 'c': no input has that name (inputs: one per column, shape [N]; "
                   "or one of shape [N, 3])");
  const std::string wide = R"({"inputs":[{"name":"a","datatype":"FP64","shape":[1,2],"data":[1,2]},)"
                           R"({"name":"b","datatype":"FP64","shape":[1],"data":[2]}]})";
  CHECK(status_of([&] { rows_for_model(parse(wide), 2, {"a", "b"}); }, message) == 400);
  CHECK(message == "input 'a': a column is of shape [N] or [N, 1], not [1, 2]");
}

TEST_CASE("infer responses: the model's fields of each record as output tensors") {
  const InferRequest all = parse(R"({"id":"q1","inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}]})");
  const std::string binary =
      "{\"x\":[1],\"scores\":{\"m\":0.75,\"other\":3},\"label\":{\"m\":\"yes\"},\"passed\":{\"m\":true}}\n"
      "{\"x\":[2],\"scores\":{\"m\":-0.5},\"label\":{\"m\":\"no\"},\"passed\":{\"m\":false}}\n";
  CHECK(infer_response("m", "3", all, binary) ==
        R"({"model_name":"m","model_version":"3","id":"q1","outputs":[)"
        R"({"name":"score","datatype":"FP64","shape":[2],"data":[0.75,-0.5]},)"
        R"({"name":"class","datatype":"BYTES","shape":[2],"data":["yes","no"]},)"
        R"({"name":"passed","datatype":"BOOL","shape":[2],"data":[true,false]}]})");

  // A multi-class classifier: its class as the score, and the per-class values, row-major.
  const std::string multi =
      "{\"scores\":{\"m\":\"b\"},\"label\":{\"m\":\"b\"},\"scores_detail\":{\"m\":{\"a\":0.25,\"b\":1.5,\"c\":0}}}\n"
      "{\"scores\":{\"m\":\"a\"},\"label\":{\"m\":\"a\"},\"scores_detail\":{\"m\":{\"a\":2,\"b\":0.5,\"c\":-1}}}\n";
  const InferRequest plain = parse(R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}]})");
  CHECK(infer_response("m", "1", plain, multi) ==
        R"({"model_name":"m","model_version":"1","outputs":[)"
        R"({"name":"score","datatype":"BYTES","shape":[2],"data":["b","a"]},)"
        R"({"name":"class","datatype":"BYTES","shape":[2],"data":["b","a"]},)"
        R"({"name":"per_class","datatype":"FP64","shape":[2,3],"parameters":{"classes":["a","b","c"]},)"
        R"("data":[0.25,1.5,0,2,0.5,-1]}]})");

  // Regression: numeric labels are numbers; only the outputs asked for, in the model's order.
  const std::string regression = "{\"scores\":{\"m\":73.5}}\n{\"scores\":{\"m\":-1}}\n";
  CHECK(infer_response("m", "2", plain, regression) ==
        R"({"model_name":"m","model_version":"2","outputs":[{"name":"score","datatype":"FP64","shape":[2],"data":[73.5,-1]}]})");
  const InferRequest chosen = parse(
      R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}],"outputs":[{"name":"passed"},{"name":"score"}]})");
  CHECK(infer_response("m", "1", chosen, binary) ==
        R"({"model_name":"m","model_version":"1","outputs":[)"
        R"({"name":"score","datatype":"FP64","shape":[2],"data":[0.75,-0.5]},)"
        R"({"name":"passed","datatype":"BOOL","shape":[2],"data":[true,false]}]})");
  CHECK(infer_response("m", "1", plain, "") == R"({"model_name":"m","model_version":"1","outputs":[]})");

  struct Case {
    const char* outputs;
    const std::string* records;
    const char* message;
  };
  const Case cases[] = {
      {R"([{"name":"nope"}])", &binary, "output 'nope': the model gives score, class, passed"},
      {R"([{"name":"nope"}])", &multi, "output 'nope': the model gives score, class, per_class"},
      {R"([{"name":"passed"}])", &regression, "output 'passed': this model does not give it"},
      {R"([{"name":"class"}])", &regression, "output 'class': this model does not give it"},
      {R"([{"name":"per_class"}])", &binary,
       "output 'per_class': this model gives no per-class values (a multi-class classifier does)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.outputs);
    const InferRequest r = parse(std::string(R"({"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[1]}],"outputs":)") +
                                 c.outputs + "}");
    std::string message;
    CHECK(status_of([&] { infer_response("m", "1", r, *c.records); }, message) == 400);
    CHECK(message == c.message);
  }
  std::string message;
  CHECK(status_of([&] { infer_response("m", "1", plain, "not json\n"); }, message) == 500);
}

TEST_CASE("a pipeline's documents and response") {
  const InferRequest named = parse(R"({"id":"d","inputs":[{"name":"text","datatype":"BYTES","shape":[2],"data":["One.","Two."]},)"
                                   R"({"name":"doc","datatype":"BYTES","shape":[2],"data":["a.txt","b.txt"]}]})");
  std::vector<Document> docs = documents_of(named);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].name == "a.txt");
  CHECK(docs[0].text == "One.");
  CHECK(docs[1].name == "b.txt");
  const InferRequest unnamed = parse(one_input("text", "BYTES", "[2]", R"(["One.","Two."])"));
  docs = documents_of(unnamed);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].name == "1");
  CHECK(docs[1].name == "2");

  CHECK(pipeline_response("arguments", named, "{\"a\":1}\n{\"b\":\"x\"}\n") ==
        R"({"model_name":"arguments","model_version":"1","id":"d","outputs":[)"
        R"({"name":"records","datatype":"BYTES","shape":[2],"data":["{\"a\":1}","{\"b\":\"x\"}"]}]})");
  CHECK(pipeline_response("p", unnamed, "") ==
        R"({"model_name":"p","model_version":"1","outputs":[{"name":"records","datatype":"BYTES","shape":[0],"data":[]}]})");

  struct Case {
    std::string body;
    const char* message;
  };
  const Case cases[] = {
      {one_input("x", "BYTES", "[1]", R"(["a"])"), "a pipeline takes an input 'text' of datatype BYTES and shape [N]"},
      {one_input("text", "FP64", "[1]", "[1]"), "a pipeline takes an input 'text' of datatype BYTES and shape [N]"},
      {one_input("text", "BYTES", "[1,1]", R"(["a"])"), "a pipeline takes an input 'text' of datatype BYTES and shape [N]"},
      {R"({"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]},)"
       R"({"name":"doc","datatype":"INT32","shape":[1],"data":[1]}]})",
       "input 'doc': the documents' names, of datatype BYTES and shape [N]"},
      {R"({"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]},)"
       R"({"name":"topic","datatype":"BYTES","shape":[1],"data":["t"]}]})",
       "input 'topic': a pipeline takes only 'text' and 'doc'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    std::string message;
    CHECK(status_of([&] { documents_of(parse(c.body)); }, message) == 400);
    CHECK(message.rfind(c.message, 0) == 0);
  }
  std::string message;
  const InferRequest wants = parse(
      R"({"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}],"outputs":[{"name":"score"}]})");
  CHECK(status_of([&] { pipeline_response("p", wants, ""); }, message) == 400);
  CHECK(message == "output 'score': a pipeline gives 'records'");
}
