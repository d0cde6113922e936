// The `topic` feature group: how a sentence relates to the topic it is read against (the
// record's topic field, e.g. a debate motion, or mlfeat --topic). A claim is a claim about
// something: the same sentence form with and without the topic's words means different
// things, so the group also crosses "mentions the topic" with the cue lists.
//
// Features: has a topic; shares a content stem with it; how many (capped); the share of the
// topic's and of the sentence's content stems shared; their Jaccard index; the TF-IDF
// cosine of the two (IDF from the fitted vocabulary when the spec has one, else 1); a
// shared stem bigram; a shared stem in the first third of the sentence; no shared stem;
// then "shares a stem" AND each of a set of claim, opinion and evidence cue lists.
// Content stems leave out English stop words and the words of debate-motion boilerplate
// ("this house would", "believes that").
#pragma once

#include <memory>

#include "mlpipe/features/group.h"

namespace mlpipe::features {

class Vocabulary;

// `vocab` (may be null) gives IDF weights; it must outlive the group.
std::unique_ptr<FeatureGroup> make_topic_group(const Vocabulary* vocab);

}  // namespace mlpipe::features
