// SpecReader's one long reader, the "tokens" object, and a document parsed with its location.
#include "mlpipe/features/spec_reader.h"

#include "mlpipe/features/stemmer.h"

namespace mlpipe {

TokenSpec SpecReader::tokens(dom::object o, const std::string& p) const {
  keys(o, p, {"lowercase", "stop_words", "stem", "numbers", "ngrams", "char_ngrams"});
  TokenSpec t;
  one_of(at(o, "lowercase"), p + ".lowercase", {"unicode"});
  dom::element sw = at(o, "stop_words");
  if (sw.is_array()) {
    t.stop_words = "list";
    dom::array words;
    if (sw.get_array().get(words)) fail(p + ".stop_words", "expected an array");
    for (dom::element word : words) t.stop_list.push_back(string(word, p + ".stop_words"));
    if (!std::is_sorted(t.stop_list.begin(), t.stop_list.end()) ||
        std::adjacent_find(t.stop_list.begin(), t.stop_list.end()) != t.stop_list.end())
      fail(p + ".stop_words", "the words must be sorted and unique");
  } else {
    t.stop_words = one_of(sw, p + ".stop_words", {"none", "english"});
  }
  t.stem = string(at(o, "stem"), p + ".stem");
  try {
    features::check_stemmer_language(t.stem);
  } catch (const Error& e) {
    fail(p + ".stem", fmt::format("unknown stemmer '{}'", t.stem));
  }
  t.keep_numbers = one_of(at(o, "numbers"), p + ".numbers", {"normalize", "keep"}) == "keep";
  t.ngrams = int(integer(at(o, "ngrams"), p + ".ngrams", 1, 16));
  dom::element cg = at(o, "char_ngrams");
  if (!cg.is_null()) {
    dom::array a;
    if (cg.get_array().get(a) || a.size() != 2) fail(p + ".char_ngrams", "expected null or [MIN,MAX]");
    t.char_min = int(integer(a.at(0).value_unsafe(), p + ".char_ngrams", 1, 16));
    t.char_max = int(integer(a.at(1).value_unsafe(), p + ".char_ngrams", t.char_min, 16));
  }
  return t;
}

dom::element parse_spec_document(dom::parser& parser, std::string_view json, const std::string& file, std::uint64_t line) {
  dom::element doc;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(doc))
    throw Error(file, line, fmt::format("invalid JSON: {}", simdjson::error_message(err)));
  return doc;
}

}  // namespace mlpipe
