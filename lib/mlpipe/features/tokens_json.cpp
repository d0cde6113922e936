// The "tokens" object written in canonical order and read back with every key checked.
#include "mlpipe/features/tokens_json.h"

#include "mlpipe/core/json_writer.h"
#include "mlpipe/features/spec_reader.h"

namespace mlpipe {

void write_tokens(JsonWriter& w, const TokenSpec& t) {
  w.begin_object();
  w.key("lowercase").string("unicode");
  w.key("stop_words");
  if (t.stop_words == "list") {
    w.begin_array();
    for (const std::string& s : t.stop_list) w.string(s);
    w.end_array();
  } else {
    w.string(t.stop_words);
  }
  w.key("stem").string(t.stem);
  w.key("numbers").string(t.keep_numbers ? "keep" : "normalize");
  w.key("ngrams").integer(t.ngrams);
  w.key("char_ngrams");
  if (t.char_min > 0)
    w.begin_array().integer(t.char_min).integer(t.char_max).end_array();
  else
    w.null();
  w.end_object();
}

std::string tokens_json(const TokenSpec& tokens) {
  std::string out;
  JsonWriter w(out);
  write_tokens(w, tokens);
  return out;
}

TokenSpec parse_tokens_json(std::string_view json, const std::string& file, std::uint64_t line) {
  dom::parser parser;
  dom::element doc = parse_spec_document(parser, json, file, line);
  SpecReader p(file, line);
  return p.tokens(p.object(doc, "tokens"), "tokens");
}

}  // namespace mlpipe
