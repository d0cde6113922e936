// The feature groups mlfeat knows, their parameters, and the layout of a whole vector.
//
//   name           parameters                      features
//   claim-cues     -                               claim cue lists present (form_groups.h)
//   evidence-cues  -                               evidence cue lists, figures, quotes, names
//   shape          -                               length, punctuation, position in the document
//   opinion        -                               opinion word lists
//   topic          -                               relation to the record's topic (topic_group.h)
//   syntax         pos, tree, bits                 word-class n-grams, parse-tree fragments (syntax.h)
//   position       -                               place in the paragraph and the document (form_groups.h)
//   discourse      -                               connectives and argument moves (form_groups.h)
//   wordnet        -                               WordNet classes of the content words (wordnet_group.h)
//
// A spec lists the groups it uses in the order of their blocks (group.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/features/group.h"
#include "mlpipe/features/spec.h"

namespace mlpipe::features {

class Vocabulary;

struct GroupParamDef {
  std::string_view name;
  std::int64_t default_value, min, max;
  std::string_view help;
};

struct GroupDef {
  std::string_view name;
  std::string_view help;
  std::vector<GroupParamDef> params;
};

// Every known group, in the order `mlfeat --help` lists them.
const std::vector<GroupDef>& group_defs();
// The definition of a group, or null.
const GroupDef* find_group_def(std::string_view name);

// Parses mlfeat's "--group NAME[:KEY=VALUE,…]" into a GroupSpec with every parameter
// present, in the group's order. Throws Error::usage naming what is wrong.
GroupSpec parse_group_option(std::string_view text);
// Checks a GroupSpec read from a spec file (known name, every parameter once, in range);
// `fail` receives the message. Returns the spec with its parameters in canonical order.
GroupSpec check_group_spec(const GroupSpec& spec, std::string* error);
// "syntax(pos=3,tree=0,bits=18)" or "topic".
std::string describe_group(const GroupSpec& spec);

// Indices in a group's block, from the spec alone (no resource loaded).
std::uint32_t group_dimension(const GroupSpec& spec);
// Indices of the word block: the fitted vocabulary's terms, or 2^hash_bits.
std::uint64_t word_dimension(const FeatureSpec& spec);
// The word block and every group's block: the first copy of a vector.
std::uint64_t base_dimension(const FeatureSpec& spec);
// Every index a vector of this spec may hold: base_dimension, twice with a long-document copy.
std::uint64_t feature_dimension(const FeatureSpec& spec);

// Builds a group; `vocab` (may be null) is the fitted vocabulary of the word block.
std::unique_ptr<FeatureGroup> make_group(const GroupSpec& spec, const Vocabulary* vocab);

}  // namespace mlpipe::features
