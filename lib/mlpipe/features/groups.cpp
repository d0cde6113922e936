#include "mlpipe/features/groups.h"

#include <fmt/format.h>


#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/features/form_groups.h"
#include "mlpipe/features/syntax.h"
#include "mlpipe/features/topic_group.h"
#include "mlpipe/features/wordnet.h"
#include "mlpipe/features/wordnet_group.h"

namespace mlpipe::features {

const std::vector<GroupDef>& group_defs() {
  static const std::vector<GroupDef> defs = {
      {"claim-cues", "modals, stance verbs, causal/contrast markers, comparatives, evaluative words", {}},
      {"evidence-cues", "studies, reporting verbs, sources, numbers, percentages, years, quotations", {}},
      {"shape", "length, punctuation, position in the document (sent, para)", {}},
      {"opinion", "positive, negative, intensifying, moral and emotional words", {}},
      {"topic", "overlap and TF-IDF cosine with the record's topic, crossed with the cue lists", {}},
      {"syntax",
       "word-class n-grams (link-grammar's dictionary) and constituent-tree fragments (link-grammar parses)",
       {{"pos", 3, 0, 4, "n-grams of word classes of lengths 1..pos (0: none)"},
        {"tree", 0, 0, 4, "tree fragments up to this depth (0: no parse; parsing costs ~1,000x pos)"},
        {"bits", 18, 8, 24, "the block holds 2^bits hashed features"}}},
      {"position", "first, last or inside its paragraph, the paragraph's place in the document, document length", {}},
      {"discourse", "connectives and argument moves (conclusion, reason, example, concession, opponent, request…)", {}},
      {"wordnet", "WordNet's lexicographer classes of the content words (noun.artifact, verb.change…)", {}},
  };
  return defs;
}

const GroupDef* find_group_def(std::string_view name) {
  for (const GroupDef& d : group_defs())
    if (d.name == name) return &d;
  return nullptr;
}

namespace {

std::string known_groups() {
  std::vector<std::string_view> names;
  for (const GroupDef& d : group_defs()) names.push_back(d.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

GroupSpec check_group_spec(const GroupSpec& spec, std::string* error) {
  const GroupDef* def = find_group_def(spec.name);
  if (!def) {
    *error = fmt::format("unknown feature group '{}' (known: {})", spec.name, known_groups());
    return {};
  }
  GroupSpec out{spec.name, {}};
  for (const auto& [key, value] : spec.params) {
    bool known = false;
    for (const GroupParamDef& p : def->params) known = known || p.name == key;
    if (!known) {
      *error = def->params.empty() ? fmt::format("feature group '{}' takes no parameters (got '{}')", spec.name, key)
                                   : fmt::format("feature group '{}' has no parameter '{}'", spec.name, key);
      return {};
    }
    int seen = 0;
    for (const auto& kv : spec.params) seen += kv.first == key;
    if (seen > 1) {
      *error = fmt::format("feature group '{}': parameter '{}' given twice", spec.name, key);
      return {};
    }
  }
  for (const GroupParamDef& p : def->params) {
    std::int64_t v = p.default_value;
    for (const auto& [key, value] : spec.params)
      if (key == p.name) v = value;
    if (v < p.min || v > p.max) {
      *error = fmt::format("feature group '{}': {} must be from {} to {} (got {})", spec.name, p.name, p.min, p.max, v);
      return {};
    }
    out.params.emplace_back(std::string(p.name), v);
  }
  return out;
}

GroupSpec parse_group_option(std::string_view text) {
  GroupSpec spec;
  std::size_t colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view rest = text.substr(colon + 1);
    while (true) {
      std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      const std::size_t eq = item.find('=');
      const std::optional<std::int64_t> v =
          eq == std::string_view::npos ? std::nullopt : parse_integer<std::int64_t>(item.substr(eq + 1));
      if (!v) throw Error::usage(fmt::format("--group {}: '{}' is not KEY=INTEGER", text, item));
      spec.params.emplace_back(std::string(item.substr(0, eq)), *v);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  std::string error;
  GroupSpec checked = check_group_spec(spec, &error);
  if (!error.empty()) throw Error::usage(fmt::format("--group {}: {}", text, error));
  return checked;
}

std::string describe_group(const GroupSpec& spec) {
  if (spec.params.empty()) return spec.name;
  std::vector<std::string> kv;
  for (const auto& [k, v] : spec.params) kv.push_back(fmt::format("{}={}", k, v));
  return fmt::format("{}({})", spec.name, fmt::join(kv, ","));
}

std::uint32_t group_dimension(const GroupSpec& spec) {
  // A hashed group's size is in its spec; the others are cheap to build (no parser).
  if (spec.name == "syntax") return std::uint32_t(1) << SyntaxParams::from(spec).bits;
  if (spec.name == "wordnet") return WordNet::kClasses;
  return make_group(spec, nullptr)->dimension();
}

std::uint64_t word_dimension(const FeatureSpec& spec) {
  return spec.hashing ? std::uint64_t(1) << spec.hash_bits : std::max<std::uint64_t>(1, spec.vocab.terms);
}

std::uint64_t base_dimension(const FeatureSpec& spec) {
  std::uint64_t d = word_dimension(spec);
  for (const GroupSpec& g : spec.groups) d += group_dimension(g);
  return d;
}

std::uint64_t feature_dimension(const FeatureSpec& spec) {
  return spec.long_docs > 0 ? 2 * base_dimension(spec) : base_dimension(spec);
}

std::unique_ptr<FeatureGroup> make_group(const GroupSpec& spec, const Vocabulary* vocab) {
  if (spec.name == "claim-cues") return make_claim_cue_group();
  if (spec.name == "evidence-cues") return make_evidence_cue_group();
  if (spec.name == "shape") return make_shape_group();
  if (spec.name == "opinion") return make_opinion_group();
  if (spec.name == "topic") return make_topic_group(vocab);
  if (spec.name == "syntax") return make_syntax_group(spec);
  if (spec.name == "position") return make_position_group();
  if (spec.name == "discourse") return make_discourse_group();
  if (spec.name == "wordnet") return make_wordnet_group();
  throw Error::usage(fmt::format("unknown feature group '{}' (known: {})", spec.name, known_groups()));
}

}  // namespace mlpipe::features
