// The `wordnet` feature group: which WordNet lexicographer classes the content words of a
// sentence fall in (noun.artifact, noun.act, verb.change, …; wordnet.h), so that a model sees
// "build protected bike lanes" and "fund free vaccinations" as the same kind of proposal.
//
// Feature k is class k (WordNet::class_name) with value min(count, 3) / 3 over the sentence's
// words that are not stop words and have at least three letters.
#pragma once

#include <memory>

#include "mlpipe/features/group.h"

namespace mlpipe::features {

std::unique_ptr<FeatureGroup> make_wordnet_group();

}  // namespace mlpipe::features
