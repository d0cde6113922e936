// The Open Inference Protocol's JSON tensors (KServe's V2 protocol, as Triton and Seldon
// MLServer speak it): an inference request's inputs read into the rows a stage takes, and a
// stage's output records written back as output tensors.
//
//   {"id": "…", "inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP64",
//                           "data": [5.1, 3.5, 1.4, 0.2, 6.2, 3.4, 5.4, 2.3]}],
//    "outputs": [{"name": "class"}]}
//
// Data may be flat in row-major order or nested as the shape says. Datatypes: BOOL, INT8 …
// INT64, UINT8 … UINT64, FP16/FP32/FP64 (numbers), BYTES (strings).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::serve {

// One input tensor, its data flattened in row-major order.
struct Tensor {
  std::string name;
  std::string datatype;
  std::vector<std::int64_t> shape;
  std::vector<double> numbers;       // BOOL (0/1), INT*, UINT*, FP*
  std::vector<std::string> strings;  // BYTES
  bool is_bytes() const { return datatype == "BYTES"; }
  std::uint64_t rows() const { return shape.empty() ? 0 : std::uint64_t(shape[0]); }
};

struct InferRequest {
  std::string id;  // echoed in the response; "" when absent
  std::vector<Tensor> inputs;
  std::vector<std::string> outputs;  // the outputs asked for; empty: all
};

// Parses an inference request body. Throws RequestError 400 with a located message ("input
// 'x': shape [2, 4] holds 8 values, data has 7") for malformed JSON, unknown datatypes,
// shapes that do not match the data, values of the wrong type, more rows than `max_rows`.
InferRequest parse_infer_request(std::string_view body, std::uint64_t max_rows);

// The same with JSON parsers kept from one request to the next, for a server: a parser's
// buffers take about 14 bytes per byte of body, and allocating them (and faulting their pages
// in) for each request cost more than the parsing. Parsers are taken by one request at a
// time, so there are as many as requests parsed at once; one that has read a body larger
// than kKeptBodyBytes is dropped after it, so that a rare large request does not keep its
// memory. Safe from many threads.
class InferRequestParser {
 public:
  static constexpr std::size_t kKeptBodyBytes = std::size_t(1) << 20;

  InferRequestParser();
  ~InferRequestParser();
  InferRequest parse(std::string_view body, std::uint64_t max_rows) const;

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

// The request's one numeric input of shape [N, D] (or [N] when D is 1), when the rows come as
// that, for a model that takes `dimension` features (0: unknown) and was trained on CSV
// `columns` (empty: on records); null when they come as one input per column. Throws
// RequestError 400 when D is not the model's dimension.
const Tensor* dense_rows(const InferRequest& request, std::uint32_t dimension, const std::vector<std::string>& columns);

// The rows a stage reads, made from the request's inputs for such a model:
//  - the dense rows above: NDJSON records {"x": [...]};
//  - otherwise (only for CSV models) one input per column, each of shape [N] or [N, 1], named
//    as the columns (others are copied): CSV text, a header line then N rows.
// Throws RequestError 400 naming the input and what was expected.
struct StageRows {
  enum class Kind { ndjson, csv } kind = Kind::ndjson;
  std::string text;  // the lines, each ending in '\n'
  std::uint64_t rows = 0;
};
StageRows rows_for_model(const InferRequest& request, std::uint32_t dimension,
                         const std::vector<std::string>& columns);

// One output tensor of an inference, a value per row: numbers (FP64), strings (BYTES) or
// booleans (BOOL), as the values added were.
struct OutputColumn {
  explicit OutputColumn(std::string n) : name(std::move(n)) {}
  std::string name;
  enum class Kind { none, number, string, boolean, mixed } kind = Kind::none;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  std::vector<bool> booleans;
  bool present = false;  // a value was added

  // A value JSON cannot hold (a stage writes it as null) makes the column mixed, as null does.
  void add(double v) {
    note(std::isfinite(v) ? Kind::number : Kind::mixed);
    numbers.push_back(v);
  }
  void add(std::string_view s) {
    note(Kind::string);
    strings.emplace_back(s);
  }
  void add_boolean(bool b) {
    note(Kind::boolean);
    booleans.push_back(b);
  }
  void note(Kind k) {
    present = true;
    kind = kind == Kind::none || kind == k ? k : Kind::mixed;
  }
  std::string_view datatype() const {
    return kind == Kind::number ? "FP64" : kind == Kind::boolean ? "BOOL" : "BYTES";
  }
};

// What a model said of each row: the response's output tensors "score", "class", "passed"
// and "per_class" ([N, K], its classes in parameters).
struct InferOutputs {
  std::uint64_t rows = 0;
  OutputColumn score{"score"}, label{"class"}, passed{"passed"};
  std::vector<std::string> classes;  // per_class: the class names, in order; empty: none
  std::vector<double> per_class;     // rows × classes
};

// The field a classifying stage is asked to write each row's class in (mlclassify
// --label-out label), read back as the output "class".
inline constexpr std::string_view kClassField = "label";

// The outputs from what a classifying stage wrote for each row: the fields of `model` in
// scores.MODEL, label.MODEL (kClassField), passed.MODEL and scores_detail.MODEL.
InferOutputs outputs_of_records(std::string_view model, std::string_view records);

// The response: the outputs present, and only the `wanted` ones (empty: all); RequestError
// 400 for a wanted output the model does not give.
std::string infer_response(std::string_view model, std::string_view version, const InferRequest& request,
                           const InferOutputs& outputs);
// The same from a classifying stage's records (outputs_of_records).
std::string infer_response(std::string_view model, std::string_view version, const InferRequest& request,
                           std::string_view records);

// A pipeline's request: the documents, from a BYTES input "text" of shape [N] (and an
// optional BYTES input "doc" naming each); a pipeline's response: one BYTES output
// "records" holding its NDJSON records, one per element.
struct Document {
  std::string name, text;
};
std::vector<Document> documents_of(const InferRequest& request);
std::string pipeline_response(std::string_view pipeline, const InferRequest& request, std::string_view records);

}  // namespace mlpipe::serve
