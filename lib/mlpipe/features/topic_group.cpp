#include "mlpipe/features/topic_group.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "mlpipe/core/string_map.h"
#include "mlpipe/features/analyzer.h"
#include "mlpipe/features/cue_lexicon.h"
#include "mlpipe/features/sentence_terms.h"
#include "mlpipe/features/stop_words.h"
#include "mlpipe/features/vocabulary.h"

namespace mlpipe::features {

namespace {

// The cue lists crossed with "mentions the topic": (which lists, index in them, name).
struct Crossing {
  int source;  // 0 claim, 1 opinion, 2 evidence
  std::uint32_t list;
};
const std::vector<Crossing>& crossings() {
  static const std::vector<Crossing> c = {
      {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7}, {0, 8}, {0, 12},
      {1, 0}, {1, 1}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 4}, {2, 7},
  };
  return c;
}

const std::vector<CueList>& source_lists(int source) {
  return source == 0 ? claim_cue_lists() : source == 1 ? opinion_cue_lists() : evidence_cue_lists();
}

constexpr std::uint32_t kPlain = 10;  // features before the crossings

const char* const kPlainNames[kPlain] = {"has_topic",       "overlap",       "overlap_count", "topic_coverage",
                                        "sentence_coverage", "jaccard",      "tfidf_cosine",  "shared_bigram",
                                        "overlap_early",   "no_overlap"};

class TopicGroup : public FeatureGroup {
 public:
  explicit TopicGroup(const Vocabulary* vocab)
      : vocab_(vocab),
        ignored_(ignored_words()),
        claim_(claim_cue_lists()),
        opinion_(opinion_cue_lists()),
        evidence_(evidence_cue_lists()) {
    if (vocab_) {
      stemmed_vocab_ = vocab_->tokens().stem != "none";
      unknown_idf_ = smooth_idf(vocab_->docs(), 0);
    }
  }

  std::string_view name() const override { return "topic"; }
  std::uint32_t dimension() const override { return kPlain + std::uint32_t(crossings().size()); }
  std::string feature_name(std::uint32_t i) const override {
    if (i < kPlain) return fmt::format("topic:{}", kPlainNames[i]);
    if (i >= dimension()) return fmt::format("topic:{}", i);
    const Crossing& c = crossings()[i - kPlain];
    return fmt::format("topic:overlap&{}", source_lists(c.source)[c.list].name);
  }
  std::unique_ptr<GroupExtractor> make_extractor() const override;
  bool reads_terms() const override { return true; }

  bool content(std::string_view word, bool number) const { return !number && !ignored_.contains(word); }
  double idf(std::string_view word, std::string_view stem) const {
    if (!vocab_) return 1.0;
    std::uint32_t i = vocab_->lookup(term_hash(stemmed_vocab_ ? stem : word));
    return i ? vocab_->idf(i) : unknown_idf_;
  }

  const Vocabulary* vocab_;
  bool stemmed_vocab_ = true;
  double unknown_idf_ = 1.0;
  StopWords ignored_;
  CueMatcher claim_, opinion_, evidence_;

 private:
  // English stop words and the boilerplate of debate motions: not what a topic is about.
  static std::vector<std::string> ignored_words() {
    std::vector<std::string> words = english_stop_words();
    for (const char* w : {"house", "believe", "believes", "would", "support", "supports", "prefer", "prefers", "should",
                          "motion"})
      words.emplace_back(w);
    return words;
  }
};

class TopicWorker : public GroupExtractor {
 public:
  explicit TopicWorker(const TopicGroup& g) : g_(g) {}

  void extract(const SentenceView& s, std::vector<GroupFeature>& out) override {
    out.clear();
    if (s.topic.empty()) return;
    out.emplace_back(0, 1.0f);
    if (s.topic != topic_text_) learn_topic(s.topic);
    if (!s.terms) analyzer_.analyze(s.text, sentence_);
    const SentenceTerms& words = s.terms ? *s.terms : sentence_;

    // Content stems of the sentence: count (tf) and IDF, and the first one the topic shares.
    struct Stem {
      double count = 0, idf = 0;
    };
    std::unordered_map<std::string_view, Stem> stems;
    const std::size_t n = words.stems.size();
    std::size_t first_shared = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (!g_.content(words.words[i], words.numbers[i])) continue;
      auto [it, fresh] = stems.try_emplace(words.stems[i]);
      if (fresh) it->second.idf = g_.idf(words.words[i], words.stems[i]);
      it->second.count += 1;
      if (first_shared == n && topic_weights_.contains(words.stems[i])) first_shared = i;
    }
    double dot = 0, sentence_norm2 = 0;
    std::size_t shared = 0;
    for (const auto& [stem, s] : stems) {
      double w = s.count * s.idf;
      sentence_norm2 += w * w;
      auto t = topic_weights_.find(stem);
      if (t != topic_weights_.end()) {
        dot += w * t->second;
        ++shared;
      }
    }
    if (shared == 0) {
      out.emplace_back(9, 1.0f);
      return;
    }
    const double topic_size = double(topic_weights_.size()), sentence_size = double(stems.size());
    out.emplace_back(1, 1.0f);
    out.emplace_back(2, float(std::min<std::size_t>(shared, 4)) / 4.0f);
    out.emplace_back(3, float(double(shared) / topic_size));
    out.emplace_back(4, float(double(shared) / sentence_size));
    out.emplace_back(5, float(double(shared) / (topic_size + sentence_size - double(shared))));
    if (sentence_norm2 > 0 && topic_norm2_ > 0) out.emplace_back(6, float(dot / std::sqrt(sentence_norm2 * topic_norm2_)));
    bool bigram = false;
    for (std::size_t i = 0; i + 1 < n && !bigram; ++i) {
      bigram_.assign(words.stems[i]).append(1, ' ').append(words.stems[i + 1]);
      bigram = topic_bigrams_.contains(bigram_);
    }
    if (bigram) out.emplace_back(7, 1.0f);
    if (first_shared * 3 < n) out.emplace_back(8, 1.0f);

    g_.claim_.count(words.stems, counts_[0]);
    g_.opinion_.count(words.stems, counts_[1]);
    g_.evidence_.count(words.stems, counts_[2]);
    std::uint32_t k = kPlain;
    for (const Crossing& c : crossings()) {
      if (counts_[c.source][c.list]) out.emplace_back(k, 1.0f);
      ++k;
    }
  }

 private:
  // Topics repeat from record to record (one per document or motion): analyse each once.
  void learn_topic(std::string_view topic) {
    topic_text_.assign(topic);
    analyzer_.analyze(topic, topic_terms_);
    topic_weights_.clear();
    topic_bigrams_.clear();
    StringMap<double> tf;
    const std::vector<std::string_view>& stems = topic_terms_.stems;
    for (std::size_t i = 0; i < stems.size(); ++i) {
      if (!g_.content(topic_terms_.words[i], topic_terms_.numbers[i])) continue;
      tf[std::string(stems[i])] += g_.idf(topic_terms_.words[i], stems[i]);
      if (i + 1 < stems.size()) topic_bigrams_.insert(std::string(stems[i]) + ' ' + std::string(stems[i + 1]));
    }
    topic_norm2_ = 0;
    for (const auto& [stem, w] : tf) topic_norm2_ += w * w;
    topic_weights_ = std::move(tf);
  }

  const TopicGroup& g_;
  TermAnalyzer analyzer_;
  std::string topic_text_;
  SentenceTerms topic_terms_, sentence_;
  StringMap<double> topic_weights_;  // content stem -> tf * idf
  StringSet topic_bigrams_;
  double topic_norm2_ = 0;
  std::string bigram_;
  std::vector<std::uint32_t> counts_[3];
};

std::unique_ptr<GroupExtractor> TopicGroup::make_extractor() const { return std::make_unique<TopicWorker>(*this); }

}  // namespace

std::unique_ptr<FeatureGroup> make_topic_group(const Vocabulary* vocab) { return std::make_unique<TopicGroup>(vocab); }

}  // namespace mlpipe::features
