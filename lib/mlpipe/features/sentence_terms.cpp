#include "mlpipe/features/sentence_terms.h"

namespace mlpipe::features {

std::string_view TermAnalyzer::stem(std::string_view word) {
  auto it = cache_.find(word);
  if (it != cache_.end()) return it->second;
  // A cache that grows without end on adversarial input (every token new) would be a leak
  // in a long stream: start again once it is large (no view into it outlives a call).
  if (cache_.size() > (1u << 20)) cache_.clear();
  std::string stemmed(stemmer_.stem(word));
  return cache_.emplace(std::string(word), std::move(stemmed)).first->second;
}

void TermAnalyzer::analyze(std::string_view text, SentenceTerms& out) {
  tokenizer_.tokenize(text, buf_, tokens_);
  out.store.clear();
  out.numbers.clear();
  ends_.clear();
  // Words then stems, appended to one buffer; the views are made once it stops growing.
  for (const Token& t : tokens_) {
    out.store.append(buf_.data() + t.begin, t.size);
    ends_.push_back(std::uint32_t(out.store.size()));
    out.numbers.push_back(t.number);
  }
  for (const Token& t : tokens_) {
    out.store.append(stem(std::string_view(buf_.data() + t.begin, t.size)));
    ends_.push_back(std::uint32_t(out.store.size()));
  }
  const std::size_t n = tokens_.size();
  out.words.resize(n);
  out.stems.resize(n);
  std::string_view all(out.store);
  std::uint32_t begin = 0;
  for (std::size_t i = 0; i < 2 * n; ++i) {
    (i < n ? out.words[i] : out.stems[i - n]) = all.substr(begin, ends_[i] - begin);
    begin = ends_[i];
  }
}

}  // namespace mlpipe::features
