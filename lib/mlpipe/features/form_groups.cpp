#include "mlpipe/features/form_groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mlpipe/features/cue_lexicon.h"
#include "mlpipe/features/sentence_terms.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::features {

namespace {

// A group whose features are named up front; extraction is left to a function of the
// sentence, its terms and the group's matcher.
// A worker's reusable buffers for cue matching: matches per list, and where each list first matched.
struct CueScratch {
  std::vector<std::uint32_t> counts;
  std::vector<std::int32_t> first;
};

class NamedGroup : public FeatureGroup {
 public:
  using Extract = void (*)(const NamedGroup&, const SentenceView&, const SentenceTerms&, std::vector<GroupFeature>&,
                           CueScratch& scratch);
  NamedGroup(std::string_view name, std::vector<std::string> names, const std::vector<CueList>* lists,
             Extract extract, bool needs_terms = true)
      : name_(name),
        names_(std::move(names)),
        matcher_(lists ? std::make_unique<CueMatcher>(*lists) : nullptr),
        extract_(extract),
        needs_terms_(needs_terms) {}

  std::string_view name() const override { return name_; }
  std::uint32_t dimension() const override { return std::uint32_t(names_.size()); }
  std::string feature_name(std::uint32_t i) const override {
    return i < names_.size() ? fmt::format("{}:{}", name_, names_[i]) : fmt::format("{}:{}", name_, i);
  }
  const CueMatcher* matcher() const { return matcher_.get(); }
  bool reads_terms() const override { return needs_terms_; }

  std::unique_ptr<GroupExtractor> make_extractor() const override {
    class Worker : public GroupExtractor {
     public:
      explicit Worker(const NamedGroup& g) : g_(g) {}
      void extract(const SentenceView& s, std::vector<GroupFeature>& out) override {
        out.clear();
        const SentenceTerms* terms = s.terms;
        if (!terms && g_.needs_terms_) {
          terms_.analyze(s.text, words_);
          terms = &words_;
        }
        g_.extract_(g_, s, terms ? *terms : words_, out, scratch_);
      }

     private:
      const NamedGroup& g_;
      TermAnalyzer terms_;
      SentenceTerms words_;
      CueScratch scratch_;
    };
    return std::make_unique<Worker>(*this);
  }

 private:
  std::string name_;
  std::vector<std::string> names_;
  std::unique_ptr<CueMatcher> matcher_;
  Extract extract_;
  bool needs_terms_;
};

std::vector<std::string> list_names(const std::vector<CueList>& lists) {
  std::vector<std::string> names;
  for (const CueList& l : lists) names.emplace_back(l.name);
  return names;
}

// Presence of each list, as features 0..K-1.
void add_presence(const std::vector<std::uint32_t>& counts, std::vector<GroupFeature>& out) {
  for (std::uint32_t k = 0; k < counts.size(); ++k)
    if (counts[k]) out.emplace_back(k, 1.0f);
}

// What the characters of a sentence show, counted once over its bytes.
struct TextMarks {
  int digits_runs = 0, percent = 0, years = 0, money = 0, quotes = 0, parens = 0, colons = 0, semicolons = 0;
  int commas = 0, capital_words = 0, words = 0;
  bool question = false, exclamation = false, starts_quote = false;
};

bool is_year(std::string_view run) {
  // Four digits: "2.50" or "1,50" is a number, not a year.
  if (run.size() != 4) return false;
  for (char c : run)
    if (c < '0' || c > '9') return false;
  int y = (run[0] - '0') * 1000 + (run[1] - '0') * 100 + (run[2] - '0') * 10 + (run[3] - '0');
  return y >= 1500 && y <= 2099;
}

TextMarks scan_marks(std::string_view t) {
  TextMarks m;
  bool in_word = false, first_word = true;
  for (std::size_t i = 0; i < t.size();) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c >= '0' && c <= '9') {
      std::size_t j = i;
      while (j < t.size() && ((t[j] >= '0' && t[j] <= '9') || ((t[j] == '.' || t[j] == ',') && j + 1 < t.size() &&
                                                                 t[j + 1] >= '0' && t[j + 1] <= '9')))
        ++j;
      ++m.digits_runs;
      if (is_year(t.substr(i, j - i))) ++m.years;
      if (i > 0 && (t[i - 1] == '$')) ++m.money;
      in_word = true;
      i = j;
      continue;
    }
    // Multi-byte punctuation that matters here: curly quotes, the euro and pound signs.
    if (c >= 0x80) {
      std::size_t next = i;
      const char32_t cp = utf8::decode(t, next);
      if (cp == U'\u201c' || cp == U'\u201d') {
        ++m.quotes;
        if (i == 0) m.starts_quote = true;
      } else if (cp == U'\u20ac' || cp == U'\u00a3') {
        ++m.money;
      }
      if (!in_word) {
        ++m.words;
        in_word = true;
        first_word = false;
      }
      i = std::max(next, i + 1);
      continue;
    }
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter) {
      if (!in_word) {
        ++m.words;
        if (c >= 'A' && c <= 'Z' && !first_word) ++m.capital_words;
        first_word = false;
      }
      in_word = true;
    } else {
      in_word = c == '\'' || c == '-';
      switch (c) {
        case '%': ++m.percent; break;
        case '"':
          ++m.quotes;
          if (i == 0) m.starts_quote = true;
          break;
        case '(': ++m.parens; break;
        case ':': ++m.colons; break;
        case ';': ++m.semicolons; break;
        case ',': ++m.commas; break;
        case '$': ++m.money; break;
        case '?': m.question = true; break;
        case '!': m.exclamation = true; break;
        default: break;
      }
    }
    ++i;
  }
  return m;
}

float capped(int n, int cap) { return float(std::min(n, cap)) / float(cap); }

void extract_claim(const NamedGroup& g, const SentenceView&, const SentenceTerms& terms, std::vector<GroupFeature>& out,
                   CueScratch& scratch) {
  std::vector<std::uint32_t>& counts = scratch.counts;
  g.matcher()->count(terms.stems, counts);
  add_presence(counts, out);
  int kinds = 0;
  for (std::uint32_t c : counts) kinds += c > 0;
  if (kinds) out.emplace_back(std::uint32_t(counts.size()), capped(kinds, 6));
}

void extract_evidence(const NamedGroup& g, const SentenceView& s, const SentenceTerms& terms,
                      std::vector<GroupFeature>& out, CueScratch& scratch) {
  std::vector<std::uint32_t>& counts = scratch.counts;
  g.matcher()->count(terms.stems, counts);
  add_presence(counts, out);
  std::uint32_t k = std::uint32_t(counts.size());
  TextMarks m = scan_marks(s.text);
  bool percent_word = false;
  for (std::string_view w : terms.words) percent_word = percent_word || w == "percent";
  const float marks[] = {
      m.digits_runs > 0 ? 1.0f : 0.0f, capped(m.digits_runs, 4), (m.percent > 0 || percent_word) ? 1.0f : 0.0f,
      m.years > 0 ? 1.0f : 0.0f,       m.money > 0 ? 1.0f : 0.0f, m.quotes > 0 ? 1.0f : 0.0f,
      m.parens > 0 ? 1.0f : 0.0f,      capped(m.capital_words, 4),
  };
  for (float v : marks) {
    if (v != 0) out.emplace_back(k, v);
    ++k;
  }
}

std::vector<std::string> evidence_names() {
  std::vector<std::string> n = list_names(evidence_cue_lists());
  for (const char* x : {"number", "numbers", "percent", "year", "money", "quote", "parenthesis", "capitalised_words"})
    n.emplace_back(x);
  return n;
}

// Buckets of a count, as one-hot features starting at `base`.
void add_bucket(std::int64_t v, std::initializer_list<std::int64_t> upper, std::uint32_t base,
                std::vector<GroupFeature>& out) {
  std::uint32_t b = 0;
  for (std::int64_t u : upper) {
    if (v <= u) break;
    ++b;
  }
  out.emplace_back(base + b, 1.0f);
}

constexpr std::initializer_list<std::int64_t> kLengthBuckets = {5, 10, 20, 30, 45};  // 6 buckets
constexpr std::initializer_list<std::int64_t> kSentBuckets = {0, 1, 4, 9, 19, 49};   // 7 buckets
constexpr std::initializer_list<std::int64_t> kParaBuckets = {0, 1, 4, 9};           // 5 buckets
constexpr std::initializer_list<std::int64_t> kCommaBuckets = {0, 1, 2};             // 4 buckets

std::vector<std::string> shape_names() {
  std::vector<std::string> n;
  for (const char* x : {"words<=5", "words<=10", "words<=20", "words<=30", "words<=45", "words>45"}) n.emplace_back(x);
  n.emplace_back("log_words");
  for (const char* x : {"sent=0", "sent=1", "sent<=4", "sent<=9", "sent<=19", "sent<=49", "sent>49", "sent_unknown"})
    n.emplace_back(x);
  for (const char* x : {"para=0", "para=1", "para<=4", "para<=9", "para>9", "para_unknown"}) n.emplace_back(x);
  for (const char* x : {"commas=0", "commas=1", "commas=2", "commas>2"}) n.emplace_back(x);
  for (const char* x : {"question", "exclamation", "colon", "semicolon", "starts_with_quote", "ends_without_period",
                        "first_person", "starts_with_this"})
    n.emplace_back(x);
  return n;
}

void extract_shape(const NamedGroup&, const SentenceView& s, const SentenceTerms& terms, std::vector<GroupFeature>& out,
                   CueScratch&) {
  TextMarks m = scan_marks(s.text);
  const std::int64_t words = std::int64_t(terms.words.size());
  add_bucket(words, kLengthBuckets, 0, out);
  out.emplace_back(6, float(std::min(1.0, std::log1p(double(words)) / std::log(101.0))));
  if (s.sent >= 0)
    add_bucket(s.sent, kSentBuckets, 7, out);
  else
    out.emplace_back(14, 1.0f);
  if (s.para >= 0)
    add_bucket(s.para, kParaBuckets, 15, out);
  else
    out.emplace_back(20, 1.0f);
  add_bucket(m.commas, kCommaBuckets, 21, out);
  std::string_view t = s.text;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '"' || t.back() == ')')) t.remove_suffix(1);
  bool first_person = false;
  for (std::string_view w : terms.words) first_person = first_person || w == "i" || w == "we" || w == "my" || w == "our";
  const bool starts_this = !terms.words.empty() && (terms.words[0] == "this" || terms.words[0] == "these" ||
                                                    terms.words[0] == "it" || terms.words[0] == "such");
  const bool flags[] = {m.question,     m.exclamation, m.colons > 0, m.semicolons > 0, m.starts_quote,
                        !t.ends_with('.'), first_person, starts_this};
  std::uint32_t k = 25;
  for (bool f : flags) {
    if (f) out.emplace_back(k, 1.0f);
    ++k;
  }
}

std::vector<std::string> opinion_names() {
  std::vector<std::string> n = list_names(opinion_cue_lists());
  for (const char* x : {"positive_count", "negative_count", "mixed"}) n.emplace_back(x);
  return n;
}

void extract_opinion(const NamedGroup& g, const SentenceView&, const SentenceTerms& terms, std::vector<GroupFeature>& out,
                     CueScratch& scratch) {
  std::vector<std::uint32_t>& counts = scratch.counts;
  g.matcher()->count(terms.stems, counts);
  add_presence(counts, out);
  std::uint32_t k = std::uint32_t(counts.size());
  if (counts[0]) out.emplace_back(k, capped(int(counts[0]), 4));
  if (counts[1]) out.emplace_back(k + 1, capped(int(counts[1]), 4));
  if (counts[0] && counts[1]) out.emplace_back(k + 2, 1.0f);
}

std::vector<std::string> claim_names() {
  std::vector<std::string> n = list_names(claim_cue_lists());
  n.emplace_back("kinds");
  return n;
}

// The place of a sentence in its paragraph, or of a paragraph in its document.
enum Place : std::uint32_t { only, first, last, inside, unknown };

Place place_of(std::int64_t index, std::int64_t count) {
  if (index < 0 || count <= 0) return unknown;
  if (count == 1) return only;
  if (index == 0) return first;
  return index == count - 1 ? last : inside;
}

constexpr std::string_view kPlaceNames[] = {"only", "first", "last", "inside", "unknown"};
constexpr std::initializer_list<std::int64_t> kDocSentBuckets = {3, 6, 12, 25, 50, 100};  // 7 buckets
constexpr std::initializer_list<std::int64_t> kParaSentBuckets = {1, 2, 4, 7};            // 5 buckets
constexpr std::initializer_list<std::int64_t> kDocParaBuckets = {1, 3, 6};                // 4 buckets

// Feature offsets of the position group, in names order.
// (Plain numbers rather than an enum: they are added to a Place.)
constexpr std::uint32_t kInPara = 0;        // 5: place in the paragraph
constexpr std::uint32_t kParaInDoc = 5;     // 5: the paragraph's place in the document
constexpr std::uint32_t kCrossed = 10;      // 16: both, when both are known
constexpr std::uint32_t kDocFirst = 26;     // the document's first sentence
constexpr std::uint32_t kDocLast = 27;      // its last
constexpr std::uint32_t kFifth = 28;        // 5: which fifth of the document
constexpr std::uint32_t kDocSents = 33;     // 7 buckets, then unknown
constexpr std::uint32_t kParaSents = 41;    // 5 buckets
constexpr std::uint32_t kDocParas = 46;     // 4 buckets
constexpr std::uint32_t kPositionSize = 50;

std::vector<std::string> position_names() {
  std::vector<std::string> n;
  for (std::string_view p : kPlaceNames) n.push_back(fmt::format("in_para={}", p));
  for (std::string_view p : kPlaceNames) n.push_back(fmt::format("para={}", p));
  for (int p = 0; p < 4; ++p)
    for (int s = 0; s < 4; ++s) n.push_back(fmt::format("para={}&in_para={}", kPlaceNames[p], kPlaceNames[s]));
  n.emplace_back("doc_first");
  n.emplace_back("doc_last");
  for (int k = 1; k <= 5; ++k) n.push_back(fmt::format("doc_fifth={}", k));
  for (const char* x : {"doc_sents<=3", "doc_sents<=6", "doc_sents<=12", "doc_sents<=25", "doc_sents<=50",
                        "doc_sents<=100", "doc_sents>100", "doc_sents_unknown"})
    n.emplace_back(x);
  for (const char* x : {"para_sents=1", "para_sents=2", "para_sents<=4", "para_sents<=7", "para_sents>7"})
    n.emplace_back(x);
  for (const char* x : {"doc_paras=1", "doc_paras<=3", "doc_paras<=6", "doc_paras>6"}) n.emplace_back(x);
  return n;
}

void extract_position(const NamedGroup&, const SentenceView& s, const SentenceTerms&, std::vector<GroupFeature>& out,
                      CueScratch&) {
  const Place in_para = place_of(s.para_sent, s.para_sents);
  // A document split in pieces has no paragraph count, but its first paragraph is known.
  Place para = place_of(s.para, s.doc_paras);
  if (para == unknown && s.para == 0) para = first;
  out.emplace_back(kInPara + in_para, 1.0f);
  out.emplace_back(kParaInDoc + para, 1.0f);
  if (in_para != unknown && para != unknown) out.emplace_back(kCrossed + 4 * para + in_para, 1.0f);
  if (s.sent == 0) out.emplace_back(kDocFirst, 1.0f);
  if (s.sent >= 0 && s.doc_sents > 0) {
    if (s.sent == s.doc_sents - 1) out.emplace_back(kDocLast, 1.0f);
    const std::int64_t fifth = std::min<std::int64_t>(4, 5 * s.sent / s.doc_sents);
    out.emplace_back(kFifth + std::uint32_t(fifth), 1.0f);
  }
  if (s.doc_sents > 0)
    add_bucket(s.doc_sents, kDocSentBuckets, kDocSents, out);
  else
    out.emplace_back(kDocSents + 7, 1.0f);
  if (s.para_sents > 0) add_bucket(s.para_sents, kParaSentBuckets, kParaSents, out);
  if (s.doc_paras > 0) add_bucket(s.doc_paras, kDocParaBuckets, kDocParas, out);
}

std::vector<std::string> discourse_names() {
  std::vector<std::string> n = list_names(discourse_cue_lists());
  for (const CueList& l : discourse_cue_lists()) n.push_back(fmt::format("opens:{}", l.name));
  n.emplace_back("kinds");
  return n;
}

// Where a connective opens a sentence: its first or second word ("And therefore", "But first").
constexpr std::int32_t kOpeningWords = 2;

void extract_discourse(const NamedGroup& g, const SentenceView&, const SentenceTerms& terms,
                       std::vector<GroupFeature>& out, CueScratch& scratch) {
  g.matcher()->count(terms.stems, scratch.counts, &scratch.first);
  const std::uint32_t lists = std::uint32_t(scratch.counts.size());
  int kinds = 0;
  for (std::uint32_t k = 0; k < lists; ++k) {
    if (!scratch.counts[k]) continue;
    ++kinds;
    out.emplace_back(k, 1.0f);
    if (scratch.first[k] < kOpeningWords) out.emplace_back(lists + k, 1.0f);
  }
  if (kinds) out.emplace_back(2 * lists, capped(kinds, 6));
}

}  // namespace

std::unique_ptr<FeatureGroup> make_claim_cue_group() {
  return std::make_unique<NamedGroup>("claim-cues", claim_names(), &claim_cue_lists(), extract_claim);
}
std::unique_ptr<FeatureGroup> make_evidence_cue_group() {
  return std::make_unique<NamedGroup>("evidence-cues", evidence_names(), &evidence_cue_lists(), extract_evidence);
}
std::unique_ptr<FeatureGroup> make_shape_group() {
  return std::make_unique<NamedGroup>("shape", shape_names(), nullptr, extract_shape);
}
std::unique_ptr<FeatureGroup> make_position_group() {
  return std::make_unique<NamedGroup>("position", position_names(), nullptr, extract_position, false);
}
std::unique_ptr<FeatureGroup> make_discourse_group() {
  return std::make_unique<NamedGroup>("discourse", discourse_names(), &discourse_cue_lists(), extract_discourse);
}
std::unique_ptr<FeatureGroup> make_opinion_group() {
  return std::make_unique<NamedGroup>("opinion", opinion_names(), &opinion_cue_lists(), extract_opinion);
}

}  // namespace mlpipe::features
