// The feature spec's file: the spec (spec.h) as a small canonical JSON document, parsed and
// validated, read and written. mlfeat writes it (--write-spec) and applies it (--spec); a
// model carries it, so prediction can refuse features built another way.
//
//   {"mlfeat_spec":1,
//    "tokens":{"lowercase":"unicode","stop_words":"none","stem":"english","numbers":"normalize",
//              "ngrams":2,"char_ngrams":null},
//    "vocabulary":{"type":"hashing","hash_bits":20},
//    "weight":"tf","norm":"l2"}
//
// (written on one line), followed, when the spec has feature groups, by
//    "groups":[{"name":"claim-cues"},{"name":"syntax","pos":3,"tree":0,"bits":18}],
//    "topic_field":"topic"
// and, with a long-document copy (spec.h), "long_docs":N
//  "stop_words" is "none", "english", or the list of words itself;
// "char_ngrams" is null or [MIN,MAX]; a fitted vocabulary is
// {"type":"fitted","file":PATH,"digest":HEX,"terms":K,"docs":N}, PATH relative to the spec
// file's directory (or absolute), the digest over the vocabulary file's bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mlpipe/core/file_source.h"
#include "mlpipe/features/spec.h"

namespace mlpipe {

inline constexpr int kSpecVersion = 1;

// The spec as canonical JSON (one line, fixed key order, ending in '\n'): the same
// options give the same bytes.
std::string canonical_spec_json(const FeatureSpec& spec);

// Parses and validates a spec. `file` names it in errors and resolves a relative
// vocabulary path (against its directory). Throws Error(file, 0, …).
FeatureSpec parse_spec(std::string_view json, const std::string& file);
FeatureSpec read_spec_file(const std::string& path, const FileSource& files);
// Writes canonical_spec_json atomically, with the vocabulary path made relative to the
// spec file's directory.
void write_spec_file(const std::string& path, const FeatureSpec& spec);

}  // namespace mlpipe
