// Feature groups about the form of a sentence, not its topic, so that they carry over to
// texts on subjects a model never saw:
//
//   claim-cues     one feature per claim cue list (cue_lexicon.h) present: modals, stance
//                  verbs, causal and contrast markers, comparatives, evaluative words, …
//   evidence-cues  one per evidence cue list (studies, reporting verbs, sources, figures),
//                  plus what the text shows: numbers, percentages, years, money, quotations,
//                  parentheses, capitalised names inside the sentence
//   shape          length, punctuation, and position in the document (`sent`, `para`)
//   opinion        opinion words: positive, negative, intensifiers, moral, emotion
//   position       where the sentence sits: first, last or inside its paragraph, the
//                  paragraph's place in the document, both crossed, the document's length
//                  (mlsplit's para_sent, para_sents, doc_paras, doc_sents)
//   discourse      connectives and argument moves (conclusion, reason, example, concession,
//                  an opponent's view, the writer's own stance, a request, testimony, …),
//                  anywhere in the sentence and opening it
//
// Every value is in [0, 1] (presence, or a capped count scaled down), next to an L2-
// normalised word block.
#pragma once

#include <memory>

#include "mlpipe/features/group.h"

namespace mlpipe::features {

std::unique_ptr<FeatureGroup> make_claim_cue_group();
std::unique_ptr<FeatureGroup> make_evidence_cue_group();
std::unique_ptr<FeatureGroup> make_shape_group();
std::unique_ptr<FeatureGroup> make_opinion_group();
std::unique_ptr<FeatureGroup> make_position_group();
std::unique_ptr<FeatureGroup> make_discourse_group();

}  // namespace mlpipe::features
