// A feature spec as (name, value) pairs, and the first pair in which two specs differ.
#include "mlpipe/features/spec_compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "mlpipe/features/groups.h"

namespace mlpipe {

std::vector<std::pair<std::string, std::string>> spec_fields(const FeatureSpec& spec) {
  const TokenSpec& t = spec.tokens;
  std::vector<std::pair<std::string, std::string>> f;
  f.emplace_back("stop_words",
                 t.stop_words == "list" ? fmt::format("[{}]", fmt::join(t.stop_list, ",")) : t.stop_words);
  f.emplace_back("stem", t.stem);
  f.emplace_back("numbers", t.keep_numbers ? "keep" : "normalize");
  f.emplace_back("ngrams", std::to_string(t.ngrams));
  f.emplace_back("char_ngrams", t.char_min ? fmt::format("{}-{}", t.char_min, t.char_max) : "none");
  f.emplace_back("vocabulary", spec.hashing ? "hashing" : "fitted");
  if (spec.hashing) {
    f.emplace_back("hash_bits", std::to_string(spec.hash_bits));
  } else {
    f.emplace_back("vocabulary digest", spec.vocab.digest);
    f.emplace_back("vocabulary terms", std::to_string(spec.vocab.terms));
    f.emplace_back("vocabulary docs", std::to_string(spec.vocab.docs));
  }
  f.emplace_back("weight", std::string(weight_name(spec.weight)));
  f.emplace_back("norm", spec.l2 ? "l2" : "none");
  std::vector<std::string> groups;
  for (const features::GroupSpec& g : spec.groups) groups.push_back(features::describe_group(g));
  f.emplace_back("groups", groups.empty() ? "none" : fmt::format("{}", fmt::join(groups, ",")));
  if (!groups.empty()) f.emplace_back("topic_field", spec.topic_field);
  f.emplace_back("long_docs", spec.long_docs > 0 ? std::to_string(spec.long_docs) : "none");
  return f;
}

std::string spec_mismatch(const FeatureSpec& expected, const FeatureSpec& actual) {
  auto a = spec_fields(expected), b = spec_fields(actual);
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].first != b[i].first)
      return fmt::format("{}: {} (expected) vs {}: {} (given)", a[i].first, a[i].second, b[i].first, b[i].second);
    if (a[i].second != b[i].second)
      return fmt::format("{}: {} (expected) vs {} (given)", a[i].first, a[i].second, b[i].second);
  }
  return {};
}

}  // namespace mlpipe
