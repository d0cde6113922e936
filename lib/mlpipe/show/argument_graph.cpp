#include "mlpipe/show/argument_graph.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/snippet.h"

namespace mlpipe::show {

std::optional<double> Sentence::score(std::string_view name) const {
  for (const Score& s : scores)
    if (s.name == name) return s.value;
  return std::nullopt;
}

void ArgumentGraph::add_document(std::string key, std::string title, std::string text) {
  if (doc_index_.count(key) != 0) throw Error(fmt::format("document '{}' is given twice", input_snippet(key, 200)));
  doc_index_.emplace(key, documents_.size());
  Document d;
  d.key = std::move(key);
  d.title = title.empty() ? d.key : std::move(title);
  d.text = std::move(text);
  documents_.push_back(std::move(d));
}

std::size_t ArgumentGraph::document_index(const std::string& key) {
  auto it = doc_index_.find(key);
  if (it != doc_index_.end()) return it->second;
  doc_index_.emplace(key, documents_.size());
  Document d;
  d.key = key;
  d.title = key;
  documents_.push_back(std::move(d));
  return documents_.size() - 1;
}

void ArgumentGraph::check_sentence(const SentenceFacts& f) const {
  const bool has_span = f.start && f.end;
  if (!has_span && !f.sent)
    throw Error(fmt::format("a sentence of '{}' needs 'start' and 'end' (its bytes), or 'sent', to say which it is",
                            input_snippet(f.doc, 200)));
  if (!has_span) return;
  if (*f.start < 0 || *f.end < *f.start)
    throw Error(
        fmt::format("bytes {}..{} are not a span of a document (expected 0 <= start <= end)", *f.start, *f.end));
  auto it = doc_index_.find(f.doc);
  if (it == doc_index_.end() || !documents_[it->second].text) return;
  const Document& d = documents_[it->second];
  const std::string& text = *d.text;
  if (std::uint64_t(*f.end) > text.size())
    throw Error(fmt::format("bytes {}..{} are past the end of document '{}' ({} bytes): is it the text mlsplit read?",
                            *f.start, *f.end, input_snippet(d.key, 200), text.size()));
  std::string_view bytes = std::string_view(text).substr(std::size_t(*f.start), std::size_t(*f.end - *f.start));
  if (f.text && *f.text != bytes)
    throw Error(
        fmt::format("field 'text' is not bytes {}..{} of document '{}' (\"{}\" there): is it the text mlsplit read?",
                    *f.start, *f.end, input_snippet(d.key, 200), input_snippet(bytes, 40)));
}

bool ArgumentGraph::same_sentence(const SentenceFacts& a, const SentenceFacts& b) {
  if (a.doc != b.doc) return false;
  if (a.start && a.end && b.start && b.end) return *a.start == *b.start && *a.end == *b.end;
  return a.sent && b.sent && *a.sent == *b.sent;
}

std::size_t ArgumentGraph::add_sentence(SentenceFacts f) {
  check_sentence(f);
  const std::size_t doc = document_index(f.doc);
  const bool has_span = f.start && f.end;
  const Document& d = documents_[doc];

  std::optional<std::size_t> found;
  if (has_span) {
    auto it = by_span_.find({doc, *f.start, *f.end});
    if (it != by_span_.end()) found = it->second;
  }
  if (!found && f.sent) {
    // A sentence known only by its index is the one with that index, unless both have spans
    // (then they are two: the spans differ).
    auto it = by_sent_.find({doc, *f.sent});
    if (it != by_sent_.end() && !(has_span && sentences_[it->second].start)) found = it->second;
  }

  std::size_t index;
  if (found) {
    index = *found;
    Sentence& s = sentences_[index];
    s.roles |= f.roles;
    for (Score& score : f.scores)
      if (!s.score(score.name)) s.scores.push_back(std::move(score));
    if (!s.para) s.para = f.para;
    if (!s.sent) s.sent = f.sent;
    if (!s.start && has_span) {
      s.start = f.start;
      s.end = f.end;
    }
    if (s.text.empty() && f.text) s.text = std::move(*f.text);
  } else {
    index = sentences_.size();
    Sentence s;
    s.doc = doc;
    s.para = f.para;
    s.sent = f.sent;
    if (has_span) {
      s.start = f.start;
      s.end = f.end;
    }
    if (f.text) s.text = std::move(*f.text);
    s.scores = std::move(f.scores);
    s.roles = f.roles;
    sentences_.push_back(std::move(s));
  }
  Sentence& s = sentences_[index];
  if (s.text.empty() && s.start && d.text)
    s.text = d.text->substr(std::size_t(*s.start), std::size_t(*s.end - *s.start));
  if (s.start) by_span_.emplace(std::tuple{doc, *s.start, *s.end}, index);
  if (s.sent) by_sent_.emplace(std::pair{doc, *s.sent}, index);
  return index;
}

void ArgumentGraph::add_link(std::size_t support, std::size_t claim, std::optional<double> score, bool attack) {
  if (!link_index_.emplace(std::pair{support, claim}, links_.size()).second) return;
  links_.push_back(Link{support, claim, score, attack});
}

void ArgumentGraph::finish() {
  constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::max();
  // Sentences by document, then position in it; arrival breaks ties, so the order is total.
  std::vector<std::size_t> order(sentences_.size());
  std::iota(order.begin(), order.end(), 0);
  auto position = [&](std::size_t i) {
    const Sentence& s = sentences_[i];
    return std::tuple{s.doc, s.start.value_or(kUnknown), s.sent.value_or(kUnknown), i};
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return position(a) < position(b); });
  std::vector<std::size_t> new_index(sentences_.size());
  std::vector<Sentence> sorted;
  sorted.reserve(sentences_.size());
  for (std::size_t i : order) {
    new_index[i] = sorted.size();
    sorted.push_back(std::move(sentences_[i]));
  }
  sentences_ = std::move(sorted);
  for (Link& l : links_) {
    l.support = new_index[l.support];
    l.claim = new_index[l.claim];
  }

  for (Document& d : documents_) {
    d.sentences.clear();
    d.claims.clear();
  }
  for (std::size_t i = 0; i < sentences_.size(); ++i) {
    Sentence& s = sentences_[i];
    s.links.clear();
    if (s.text.empty()) {
      s.text = s.start ? fmt::format("[bytes {}..{}]", *s.start, *s.end) : fmt::format("[sentence {}]", *s.sent);
    }
    documents_[s.doc].sentences.push_back(i);
  }
  // A document's claims: its theses first (what the rest argues for), then the others in order.
  std::vector<std::size_t> claim_rank(sentences_.size(), 0);
  for (Document& d : documents_) {
    for (std::size_t i : d.sentences)
      if (sentences_[i].roles & kThesis) d.claims.push_back(i);
    for (std::size_t i : d.sentences)
      if ((sentences_[i].roles & kThesis) == 0 && sentences_[i].claim_like()) d.claims.push_back(i);
    for (std::size_t r = 0; r < d.claims.size(); ++r) claim_rank[d.claims[r]] = r;
  }
  // Links by their claim's document and rank there, then strongest first. A link's claim is
  // claim-like (add_link's callers give it the role), so it has a rank.
  auto link_order = [&](const Link& l) {
    const double score = l.score ? -*l.score : std::numeric_limits<double>::infinity();
    return std::tuple{sentences_[l.claim].doc, claim_rank[l.claim], score, l.support};
  };
  std::stable_sort(links_.begin(), links_.end(),
                   [&](const Link& a, const Link& b) { return link_order(a) < link_order(b); });
  for (std::size_t k = 0; k < links_.size(); ++k) sentences_[links_[k].claim].links.push_back(k);

  // Indices given before finish() mean nothing now.
  by_span_.clear();
  by_sent_.clear();
  link_index_.clear();
}

}  // namespace mlpipe::show
