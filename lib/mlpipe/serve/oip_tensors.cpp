// See oip_tensors.h.
#include "mlpipe/serve/oip_tensors.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/record_fields.h"
#include "mlpipe/serve/request_error.h"

namespace mlpipe::serve {

namespace dom = simdjson::dom;

namespace {

struct Datatype {
  std::string_view name;
  enum class Kind { boolean, integer, floating, bytes } kind;
  double low = 0, high = 0;  // integers: the range a value must lie in
};

constexpr double kInt64Low = -9223372036854775808.0, kInt64High = 9223372036854775807.0;
constexpr double kUint64High = 18446744073709551615.0;

const Datatype kDatatypes[] = {
    {"BOOL", Datatype::Kind::boolean},
    {"INT8", Datatype::Kind::integer, -128, 127},
    {"INT16", Datatype::Kind::integer, -32768, 32767},
    {"INT32", Datatype::Kind::integer, -2147483648.0, 2147483647.0},
    {"INT64", Datatype::Kind::integer, kInt64Low, kInt64High},
    {"UINT8", Datatype::Kind::integer, 0, 255},
    {"UINT16", Datatype::Kind::integer, 0, 65535},
    {"UINT32", Datatype::Kind::integer, 0, 4294967295.0},
    {"UINT64", Datatype::Kind::integer, 0, kUint64High},
    {"FP16", Datatype::Kind::floating},
    {"FP32", Datatype::Kind::floating},
    {"FP64", Datatype::Kind::floating},
    {"BYTES", Datatype::Kind::bytes},
};

const Datatype* find_datatype(std::string_view name) {
  for (const Datatype& d : kDatatypes)
    if (d.name == name) return &d;
  return nullptr;
}

[[noreturn]] void bad(std::string message) { throw RequestError::bad_request(std::move(message)); }

std::string shape_text(const std::vector<std::int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

// Appends the values of `data` (nested arrays or flat) to the tensor, checking their type.
void flatten(dom::element data, const Datatype& type, Tensor& t, std::size_t depth) {
  if (data.type() == dom::element_type::ARRAY) {
    dom::array items = data.get_array().value_unsafe();
    if (depth > 32) bad(fmt::format("input '{}': data nested deeper than any shape", t.name));
    for (dom::element e : items) flatten(e, type, t, depth + 1);
    return;
  }
  std::size_t at = t.numbers.size() + t.strings.size();
  auto wrong = [&](std::string_view expected) {
    bad(fmt::format("input '{}': value {} is not {} (datatype {})", t.name, at, expected, type.name));
  };
  switch (type.kind) {
    case Datatype::Kind::bytes:
      if (!data.is_string()) wrong("a string");
      t.strings.emplace_back(data.get_string().value_unsafe());
      return;
    case Datatype::Kind::boolean:
      if (!data.is_bool()) wrong("true or false");
      t.numbers.push_back(data.get_bool().value_unsafe() ? 1.0 : 0.0);
      return;
    case Datatype::Kind::integer: {
      double v = 0;  // (wrong() throws, which the compiler cannot see through the lambda)
      // A value only uint64 holds is above INT64's range, though as a double it may equal
      // INT64's maximum (2^63 - 1 rounds to 2^63).
      bool above_int64 = false;
      if (data.is_int64()) {
        v = double(data.get_int64().value_unsafe());
      } else if (data.is_uint64()) {
        v = double(data.get_uint64().value_unsafe());
        above_int64 = true;
      } else {
        wrong("an integer");
      }
      if (v < type.low || v > type.high || (above_int64 && type.low < 0))
        bad(fmt::format("input '{}': value {} is out of the range of {}", t.name, at, type.name));
      t.numbers.push_back(v);
      return;
    }
    case Datatype::Kind::floating: {
      double v;  // one look at the value: get_double takes integers too, and is_number tries three types
      if (data.get_double().get(v)) wrong("a number");
      t.numbers.push_back(v);
      return;
    }
  }
}

Tensor read_input(dom::element input, std::size_t index, std::uint64_t max_rows) {
  Tensor t;
  if (!input.is_object()) bad(fmt::format("inputs[{}]: expected an object with name, shape, datatype and data", index));
  dom::object o = input.get_object().value_unsafe();
  std::string_view name;
  if (o["name"].get(name)) bad(fmt::format("inputs[{}]: 'name' is missing or not a string", index));
  t.name = std::string(name);
  std::string_view datatype;
  if (o["datatype"].get(datatype)) bad(fmt::format("input '{}': 'datatype' is missing or not a string", t.name));
  const Datatype* type = find_datatype(datatype);
  if (!type)
    bad(fmt::format("input '{}': datatype '{}' is not one of BOOL, INT8…INT64, UINT8…UINT64, FP16, FP32, FP64, BYTES",
                    t.name, datatype));
  t.datatype = std::string(datatype);
  dom::array shape;
  if (o["shape"].get(shape)) bad(fmt::format("input '{}': 'shape' is missing or not an array", t.name));
  std::uint64_t count = 1;
  for (dom::element d : shape) {
    std::int64_t n;
    if (d.get(n) || n < 0) bad(fmt::format("input '{}': a shape holds non-negative integers", t.name));
    t.shape.push_back(n);
    if (n != 0 && count > std::numeric_limits<std::uint64_t>::max() / std::uint64_t(n))
      bad(fmt::format("input '{}': shape {} is too large", t.name, shape_text(t.shape)));
    count *= std::uint64_t(n);
  }
  if (t.shape.empty() || t.shape.size() > 2)
    bad(fmt::format("input '{}': shape {} is not [rows] or [rows, values]", t.name, shape_text(t.shape)));
  if (t.rows() > max_rows)
    throw RequestError::too_large(fmt::format("input '{}': {} rows, more than the limit of {} rows a request (--max-rows)",
                                              t.name, t.rows(), max_rows));
  dom::element data;
  if (o["data"].get(data) || !data.is_array()) bad(fmt::format("input '{}': 'data' is missing or not an array", t.name));
  // Flat data, as the protocol sends it: its values fill the tensor without regrowing it.
  if (data.get_array().value_unsafe().size() == count)
    type->kind == Datatype::Kind::bytes ? t.strings.reserve(count) : t.numbers.reserve(count);
  flatten(data, *type, t, 0);
  std::uint64_t got = t.numbers.size() + t.strings.size();
  if (got != count)
    bad(fmt::format("input '{}': shape {} holds {} values, data has {}", t.name, shape_text(t.shape), count, got));
  return t;
}

// Writes one value of a numeric input as a CSV cell or JSON number.
void append_number(std::string& out, double v) { out += fmt::format("{}", v); }

const Tensor* find_input(const InferRequest& r, std::string_view name) {
  for (const Tensor& t : r.inputs)
    if (t.name == name) return &t;
  return nullptr;
}

// A request read from the body parsed by `parser`: `padded` is scratch for a copy of the
// body with the padding simdjson reads past its end.
InferRequest read_request(dom::parser& parser, std::string& padded, std::string_view body, std::uint64_t max_rows) {
  padded.assign(body);
  padded.append(simdjson::SIMDJSON_PADDING, ' ');
  dom::element root;
  if (auto error = parser.parse(padded.data(), body.size(), false).get(root))
    bad(fmt::format("the body is not valid JSON: {}", simdjson::error_message(error)));
  dom::object o;
  if (root.get(o)) bad("the body is not a JSON object (an inference request is {\"inputs\": [...]})");
  InferRequest r;
  if (dom::element id; !o["id"].get(id)) {
    std::string_view s;
    if (id.get(s)) bad("'id' is not a string");
    r.id = std::string(s);
  }
  dom::array inputs;
  if (o["inputs"].get(inputs)) bad("'inputs' is missing or not an array");
  std::size_t i = 0;
  for (dom::element input : inputs) {
    Tensor t = read_input(input, i++, max_rows);
    if (find_input(r, t.name)) bad(fmt::format("input '{}' is given twice", t.name));
    r.inputs.push_back(std::move(t));
  }
  if (r.inputs.empty()) bad("'inputs' is empty");
  for (const Tensor& t : r.inputs)
    if (t.rows() != r.inputs.front().rows())
      bad(fmt::format("input '{}' has {} rows where input '{}' has {}", t.name, t.rows(), r.inputs.front().name,
                      r.inputs.front().rows()));
  if (dom::element outputs; !o["outputs"].get(outputs)) {
    dom::array list;
    if (outputs.get(list)) bad("'outputs' is not an array");
    for (dom::element out : list) {
      std::string_view name;
      if (out["name"].get(name)) bad("'outputs': each is an object with a 'name'");
      r.outputs.emplace_back(name);
    }
  }
  return r;
}

}  // namespace

InferRequest parse_infer_request(std::string_view body, std::uint64_t max_rows) {
  dom::parser parser;
  std::string padded;
  return read_request(parser, padded, body, max_rows);
}

struct InferRequestParser::Pool {
  struct Kept {
    dom::parser parser;
    std::string padded;
  };
  std::mutex mutex;
  std::vector<std::unique_ptr<Kept>> idle;
};

InferRequestParser::InferRequestParser() : pool_(std::make_unique<Pool>()) {}
InferRequestParser::~InferRequestParser() = default;

InferRequest InferRequestParser::parse(std::string_view body, std::uint64_t max_rows) const {
  std::unique_ptr<Pool::Kept> kept;
  {
    std::lock_guard lock(pool_->mutex);
    if (!pool_->idle.empty()) {
      kept = std::move(pool_->idle.back());
      pool_->idle.pop_back();
    }
  }
  if (!kept) kept = std::make_unique<Pool::Kept>();
  // Back to the pool however the request turns out, unless it grew too large to keep.
  struct GiveBack {
    Pool& pool;
    std::unique_ptr<Pool::Kept>& kept;
    std::size_t size;
    ~GiveBack() {
      if (size > kKeptBodyBytes) return;
      std::lock_guard lock(pool.mutex);
      pool.idle.push_back(std::move(kept));
    }
  } give_back{*pool_, kept, body.size()};
  return read_request(kept->parser, kept->padded, body, max_rows);
}

const Tensor* dense_rows(const InferRequest& request, std::uint32_t dimension, const std::vector<std::string>& columns) {
  const Tensor& first = request.inputs.front();
  bool one_vector = request.inputs.size() == 1 && !first.is_bytes() &&
                    (columns.empty() || (first.shape.size() == 2 && std::size_t(first.shape[1]) == columns.size()));
  if (!one_vector) return nullptr;
  std::uint64_t width = first.shape.size() == 2 ? std::uint64_t(first.shape[1]) : 1;
  if (dimension && width != dimension)
    bad(fmt::format("input '{}': rows of {} values, where the model takes {} features (shape [N, {}])", first.name,
                    width, dimension, dimension));
  return &first;
}

StageRows rows_for_model(const InferRequest& request, std::uint32_t dimension,
                         const std::vector<std::string>& columns) {
  StageRows out;
  out.rows = request.inputs.front().rows();
  const Tensor& first = request.inputs.front();
  if (const Tensor* x = dense_rows(request, dimension, columns)) {
    std::uint64_t width = x->shape.size() == 2 ? std::uint64_t(x->shape[1]) : 1;
    JsonWriter w(out.text);
    for (std::uint64_t row = 0; row < out.rows; ++row) {
      w.begin_object().key("x").begin_array();
      for (std::uint64_t k = 0; k < width; ++k) w.number(x->numbers[row * width + k]);
      w.end_array().end_object().end_record();
    }
    return out;
  }
  if (columns.empty())
    bad(fmt::format("the model takes one input of shape [N, {}] (numbers), not {} inputs{}", dimension ? dimension : 1,
                    request.inputs.size(), first.is_bytes() ? " of strings" : ""));
  for (const std::string& c : columns)
    if (!find_input(request, c))
      bad(fmt::format("the model was trained on column '{}': no input has that name (inputs: one per column, shape "
                      "[N]; or one of shape [N, {}])",
                      c, columns.size()));
  out.kind = StageRows::Kind::csv;
  for (std::size_t i = 0; i < request.inputs.size(); ++i) {
    const Tensor& t = request.inputs[i];
    if (t.shape.size() == 2 && t.shape[1] != 1)
      bad(fmt::format("input '{}': a column is of shape [N] or [N, 1], not {}", t.name, shape_text(t.shape)));
    if (i) out.text += ',';
    append_csv_cell(out.text, t.name);
  }
  out.text += '\n';
  for (std::uint64_t row = 0; row < out.rows; ++row) {
    for (std::size_t i = 0; i < request.inputs.size(); ++i) {
      const Tensor& t = request.inputs[i];
      if (i) out.text += ',';
      if (t.is_bytes()) append_csv_cell(out.text, t.strings[row]);
      else append_number(out.text, t.numbers[row]);
    }
    out.text += '\n';
  }
  return out;
}

namespace {

void write_column(JsonWriter& w, const OutputColumn& c, std::uint64_t rows) {
  w.begin_object().key("name").string(c.name).key("datatype").string(c.datatype());
  w.key("shape").begin_array().integer(std::int64_t(rows)).end_array();
  w.key("data").begin_array();
  if (c.kind == OutputColumn::Kind::number)
    for (double v : c.numbers) w.number(v);
  else if (c.kind == OutputColumn::Kind::boolean)
    for (bool v : c.booleans) w.boolean(v);
  else
    for (const std::string& s : c.strings) w.string(s);
  w.end_array().end_object();
}

bool wanted(const InferRequest& r, std::string_view name) {
  return r.outputs.empty() || std::find(r.outputs.begin(), r.outputs.end(), name) != r.outputs.end();
}

void begin_response(JsonWriter& w, std::string_view model, std::string_view version, const InferRequest& r) {
  w.begin_object().key("model_name").string(model).key("model_version").string(version);
  if (!r.id.empty()) w.key("id").string(r.id);
  w.key("outputs").begin_array();
}

// One value of a stage's record, added to its column as the JSON type it is.
void add_element(OutputColumn& c, dom::element e) {
  if (e.is_number()) c.add(e.get_double().value_unsafe());
  else if (e.is_string()) c.add(e.get_string().value_unsafe());
  else if (e.is_bool()) c.add_boolean(e.get_bool().value_unsafe());
  else c.note(OutputColumn::Kind::mixed);
}

// The JSON pointer to member `key` of object field `field`: /scores/claim.
std::string pointer(std::string_view field, std::string_view key) { return fmt::format("/{}/{}", field, key); }

}  // namespace

InferOutputs outputs_of_records(std::string_view model, std::string_view records) {
  InferOutputs out;
  dom::parser parser;
  std::string key(model);
  while (!records.empty()) {
    std::size_t nl = records.find('\n');
    std::string_view line = records.substr(0, nl);
    records = nl == std::string_view::npos ? std::string_view() : records.substr(nl + 1);
    dom::object o;
    if (parser.parse(line.data(), line.size()).get(o)) throw RequestError(500, "the stage wrote a line that is not a record");
    ++out.rows;
    if (dom::element v; !o.at_pointer(pointer(record_fields::kScores, key)).get(v)) add_element(out.score, v);
    if (dom::element v; !o.at_pointer(pointer(kClassField, key)).get(v)) add_element(out.label, v);
    if (dom::element v; !o.at_pointer(pointer(record_fields::kPassed, key)).get(v)) add_element(out.passed, v);
    if (dom::object detail; !o.at_pointer(pointer(record_fields::kScoresDetail, key)).get(detail)) {
      if (out.classes.empty())
        for (auto [k, v] : detail) out.classes.emplace_back(k);
      for (const std::string& c : out.classes) {
        double v = 0;
        if (detail[c].get(v)) throw RequestError(500, fmt::format("per-class values without class '{}'", c));
        out.per_class.push_back(v);
      }
    }
  }
  return out;
}

std::string infer_response(std::string_view model, std::string_view version, const InferRequest& request,
                           const InferOutputs& outputs) {
  const std::vector<std::string>& classes = outputs.classes;
  for (const std::string& name : request.outputs)
    if (name != "score" && name != "class" && name != "passed" && name != "per_class")
      bad(fmt::format("output '{}': the model gives score, class{}{}", name, outputs.passed.present ? ", passed" : "",
                      classes.empty() ? "" : ", per_class"));
  std::string out;
  JsonWriter w(out);
  begin_response(w, model, version, request);
  for (const OutputColumn* c : {&outputs.score, &outputs.label, &outputs.passed}) {
    if (!wanted(request, c->name)) continue;
    if (!c->present) {
      if (!request.outputs.empty()) bad(fmt::format("output '{}': this model does not give it", c->name));
      continue;
    }
    if (c->kind == OutputColumn::Kind::mixed) throw RequestError(500, fmt::format("output '{}' mixes types", c->name));
    write_column(w, *c, outputs.rows);
  }
  if (!classes.empty() && wanted(request, "per_class")) {
    w.begin_object().key("name").string("per_class").key("datatype").string("FP64");
    w.key("shape").begin_array().integer(std::int64_t(outputs.rows)).integer(std::int64_t(classes.size())).end_array();
    w.key("parameters").begin_object().key("classes").begin_array();
    for (const std::string& c : classes) w.string(c);
    w.end_array().end_object().key("data").begin_array();
    for (double v : outputs.per_class) w.number(v);
    w.end_array().end_object();
  } else if (classes.empty() && !request.outputs.empty() && wanted(request, "per_class")) {
    bad("output 'per_class': this model gives no per-class values (a multi-class classifier does)");
  }
  w.end_array().end_object();
  return out;
}

std::string infer_response(std::string_view model, std::string_view version, const InferRequest& request,
                           std::string_view records) {
  return infer_response(model, version, request, outputs_of_records(model, records));
}

std::vector<Document> documents_of(const InferRequest& request) {
  const Tensor* text = find_input(request, "text");
  if (!text || !text->is_bytes() || text->shape.size() != 1)
    bad("a pipeline takes an input 'text' of datatype BYTES and shape [N]: the documents");
  const Tensor* doc = find_input(request, "doc");
  if (doc && (!doc->is_bytes() || doc->shape.size() != 1))
    bad("input 'doc': the documents' names, of datatype BYTES and shape [N]");
  for (const Tensor& t : request.inputs)
    if (t.name != "text" && t.name != "doc") bad(fmt::format("input '{}': a pipeline takes only 'text' and 'doc'", t.name));
  std::vector<Document> out;
  for (std::size_t i = 0; i < text->strings.size(); ++i)
    out.push_back({doc ? doc->strings[i] : fmt::format("{}", i + 1), text->strings[i]});
  return out;
}

std::string pipeline_response(std::string_view pipeline, const InferRequest& request, std::string_view records) {
  for (const std::string& name : request.outputs)
    if (name != "records") bad(fmt::format("output '{}': a pipeline gives 'records'", name));
  std::vector<std::string_view> lines;
  while (!records.empty()) {
    std::size_t nl = records.find('\n');
    lines.push_back(records.substr(0, nl));
    records = nl == std::string_view::npos ? std::string_view() : records.substr(nl + 1);
  }
  std::string out;
  JsonWriter w(out);
  begin_response(w, pipeline, "1", request);
  w.begin_object().key("name").string("records").key("datatype").string("BYTES");
  w.key("shape").begin_array().integer(std::int64_t(lines.size())).end_array();
  w.key("data").begin_array();
  for (std::string_view l : lines) w.string(l);
  w.end_array().end_object();
  w.end_array().end_object();
  return out;
}

}  // namespace mlpipe::serve
