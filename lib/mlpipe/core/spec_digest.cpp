#include "mlpipe/core/spec_digest.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/hash_mix.h"

namespace mlpipe {

namespace {

using simdjson::dom::element;

// A fixed serialisation of a JSON value: members in their order, strings and numbers as
// simdjson prints them, so two texts of the same spec meet in the same bytes. `skip` is a
// member name left out of this object (the vocabulary's "file"); `top` marks the root, whose
// "vocabulary" member is where that name is skipped.
void serialize(element e, std::string& out, bool top, std::string_view skip) {
  simdjson::dom::object members;
  simdjson::dom::array elements;
  if (e.get(members) == simdjson::SUCCESS) {
    out.push_back('{');
    bool first = true;
    for (auto [key, value] : members) {
      if (key == skip) continue;
      if (!first) out.push_back(',');
      first = false;
      out.push_back('"');
      out.append(key);  // spec keys are plain names: no escaping needed to tell them apart
      out += "\":";
      serialize(value, out, false, top && key == "vocabulary" ? "file" : "");
    }
    out.push_back('}');
  } else if (e.get(elements) == simdjson::SUCCESS) {
    out.push_back('[');
    bool first = true;
    for (element v : elements) {
      if (!first) out.push_back(',');
      first = false;
      serialize(v, out, false, "");
    }
    out.push_back(']');
  } else if (double number = 0; e.get(number) == simdjson::SUCCESS) {
    out += fmt::format("{}", number);  // 1, 1.0 and 1e0 are one number
  } else {
    out += simdjson::minify(e);
  }
}

}  // namespace

std::string feature_spec_digest(std::string_view spec_json) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(spec_json);
  element root;
  if (auto error = parser.parse(text).get(root)) throw Error(fmt::format("feature spec: {}", simdjson::error_message(error)));
  std::string canonical;
  serialize(root, canonical, true, "");
  return fmt::format("{:016x}", hash_bytes(canonical, 0));
}

std::string spec_digest_mismatch(std::string_view found, std::string_view expected, std::string_view whose) {
  return fmt::format("the features were made with feature spec {}, not with {}, {}: make them with that spec "
                     "(mlfeat --spec FILE; every vector mlfeat writes names its spec in \"spec\")",
                     found, expected, whose);
}

}  // namespace mlpipe
