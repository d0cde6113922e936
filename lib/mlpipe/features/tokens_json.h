// The "tokens" object of a feature spec (spec.h's TokenSpec: lowercasing, stop words, stemming,
// numbers, n-grams) as JSON: written and read both inside a spec (spec_file.h) and at the head
// of a fitted vocabulary's file (vocabulary.h), which must not depend on the whole spec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mlpipe/features/spec.h"

namespace mlpipe {

class JsonWriter;

// Writes the object (no newline) in its canonical key order.
void write_tokens(JsonWriter& w, const TokenSpec& t);
// The object alone, as stored in vocabulary files.
std::string tokens_json(const TokenSpec& tokens);
// Parses and validates the object; errors are Error(file, line, "key 'tokens.…': …").
TokenSpec parse_tokens_json(std::string_view json, const std::string& file, std::uint64_t line);

}  // namespace mlpipe
