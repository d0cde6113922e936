// What a feature vector was made with, in 16 hex digits that travel with it.
//
// mlfeat writes the digest of its spec into every vector it makes
// (`"features":{"idx":[…],"val":[…],"spec":"1f0c…"}`), and the readers of vectors that hold a
// spec of their own (mlclassify's models, mllink's pair spec, mltrain --spec) compare it with
// the digest of theirs: features made with the topic-free spec and scored by a topic-aware
// model (both valid vectors, in the same index range) are refused instead of scored.
//
// The digest is over the spec's content, not its text: JSON formatting, member spacing and
// number spelling do not count, nor does where the vocabulary file lies (the vocabulary counts
// by its own digest), so a model directory can move.
#pragma once

#include <string>
#include <string_view>

namespace mlpipe {

// The digest of a feature spec's JSON text (mlfeat's spec, as written by --write-spec and kept
// in sidecars): 16 lowercase hex digits. Throws Error on text that is not JSON.
std::string feature_spec_digest(std::string_view spec_json);

// The one-line message for a vector made with `found` where `expected` was wanted; `whose`
// says whose spec that is ("the spec model 'claim' was trained on").
std::string spec_digest_mismatch(std::string_view found, std::string_view expected, std::string_view whose);

}  // namespace mlpipe
