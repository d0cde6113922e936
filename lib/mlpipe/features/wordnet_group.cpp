#include "mlpipe/features/wordnet_group.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "mlpipe/core/string_map.h"
#include "mlpipe/features/sentence_terms.h"
#include "mlpipe/features/stop_words.h"
#include "mlpipe/features/wordnet.h"

namespace mlpipe::features {

namespace {

class WordNetGroup : public FeatureGroup {
 public:
  WordNetGroup() : wordnet_(std::make_unique<WordNet>()), stop_(english_stop_words()) {}

  std::string_view name() const override { return "wordnet"; }
  std::uint32_t dimension() const override { return WordNet::kClasses; }
  std::string feature_name(std::uint32_t i) const override {
    return fmt::format("wordnet:{}", WordNet::class_name(int(i)));
  }
  bool reads_terms() const override { return true; }

  std::unique_ptr<GroupExtractor> make_extractor() const override {
    class Extractor : public GroupExtractor {
     public:
      explicit Extractor(const WordNetGroup& g) : g_(g) {}
      void extract(const SentenceView& s, std::vector<GroupFeature>& out) override {
        out.clear();
        const SentenceTerms* terms = s.terms;
        if (!terms) {
          analyzer_.analyze(s.text, own_);
          terms = &own_;
        }
        counts_.fill(0);
        for (std::size_t i = 0; i < terms->words.size(); ++i) {
          const std::string_view w = terms->words[i];
          if (w.size() < 3 || terms->numbers[i] || g_.stop_.contains(w)) continue;
          const int c = word_class(w);
          if (c >= 0) ++counts_[std::size_t(c)];
        }
        for (std::uint32_t k = 0; k < counts_.size(); ++k)
          if (counts_[k]) out.emplace_back(k, float(std::min(counts_[k], 3)) / 3.0f);
      }

     private:
      // WordNet's answer per word, kept: a corpus repeats its words.
      int word_class(std::string_view w) {
        auto it = cache_.find(w);
        if (it != cache_.end()) return it->second;
        const int c = g_.wordnet_->word_class(w);
        cache_.emplace(std::string(w), c);
        return c;
      }

      const WordNetGroup& g_;
      TermAnalyzer analyzer_;
      SentenceTerms own_;
      std::array<int, WordNet::kClasses> counts_{};
      StringMap<int> cache_;
    };
    return std::make_unique<Extractor>(*this);
  }

 private:
  std::unique_ptr<WordNet> wordnet_;
  StopWords stop_;
};

}  // namespace

std::unique_ptr<FeatureGroup> make_wordnet_group() { return std::make_unique<WordNetGroup>(); }

}  // namespace mlpipe::features
