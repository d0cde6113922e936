#include "mlpipe/features/syntax.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "mlpipe/core/error.h"
#include "mlpipe/features/hash.h"
#include "mlpipe/features/link_grammar.h"
#include "mlpipe/features/word_class.h"

namespace mlpipe::features {

namespace {

// ---------------------------------------------------------------- parameters

struct Range {
  std::string_view name;
  int low, high, fallback;
};
constexpr Range kRanges[] = {{"pos", 0, 4, 3}, {"tree", 0, 4, 0}, {"bits", 8, 24, 18}};

// ---------------------------------------------------------------- tokens

bool ascii_alnum(unsigned char c) { return unsigned((c | 0x20) - 'a') < 26u || unsigned(c - '0') < 10u; }
bool ascii_digit(unsigned char c) { return unsigned(c - '0') < 10u; }

// UTF-8 punctuation that is a token of its own (and never part of a word).
std::size_t utf8_punctuation(std::string_view s, std::size_t i) {
  static constexpr std::string_view kMarks[] = {"\u201c", "\u201d", "\u2018", "\u2013", "\u2014", "\u2026"};
  for (std::string_view m : kMarks)
    if (s.substr(i, m.size()) == m) return m.size();
  return 0;
}

bool word_byte(std::string_view s, std::size_t i) {
  unsigned char c = s[i];
  return ascii_alnum(c) || (c >= 0x80 && utf8_punctuation(s, i) == 0);
}

// ---------------------------------------------------------------- hashing

std::uint64_t class_hash(std::string_view cls) { return hash_bytes(cls, kSyntaxClassSeed); }

// The index of a hash, and the counts of a sentence's indices as unit-norm features.
void counts_to_features(std::vector<std::uint32_t>& indices, std::vector<GroupFeature>& out) {
  out.clear();
  std::sort(indices.begin(), indices.end());
  double norm2 = 0;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j < indices.size() && indices[j] == indices[i]) ++j;
    float count = float(j - i);
    out.emplace_back(indices[i], count);
    norm2 += double(count) * count;
    i = j;
  }
  if (norm2 > 0) {
    float inv = float(1.0 / std::sqrt(norm2));
    for (auto& f : out) f.second *= inv;
  }
}

// ---------------------------------------------------------------- constituent trees

// A node of link-grammar's one-line tree; a leaf is a word (label = its class).
struct Node {
  std::string label;
  std::vector<std::uint32_t> children;  // indices into the node array; empty for a leaf
  bool leaf = false;
  int height = 0;  // 0 for a leaf, 1 for a node with leaves only, ...
};

// The word of a linkage leaf with link-grammar's decorations removed, and its subscript:
// "games.n" -> ("games", "n"), "suitability-related{!<ED-WORDS>}.v-d" ->
// ("suitability-related", "v-d"), "Xyz[?]" -> ("Xyz", "").
std::pair<std::string_view, std::string_view> split_leaf(std::string_view w) {
  std::string_view sub;
  auto dot = w.rfind('.');
  if (dot != std::string_view::npos && dot > 0 && dot + 1 < w.size()) {
    std::string_view s = w.substr(dot + 1);
    bool subscript = std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
    if (subscript && s[0] != '-') {
      sub = s;
      w = w.substr(0, dot);
    }
  }
  for (char open : {'{', '['})
    if (auto b = w.find(open); b != std::string_view::npos && b > 0) w = w.substr(0, b);
  return {w, sub};
}

// ---------------------------------------------------------------- the group

class SyntaxGroup;

class Extractor final : public SyntaxExtractor {
 public:
  explicit Extractor(const SyntaxGroup& group);
  void extract(const SentenceView& sentence, std::vector<GroupFeature>& out) override;
  std::vector<std::string> classes(std::string_view text) override;
  std::vector<std::string> fragments(std::string_view text) override;
  const SyntaxStats& stats() const override { return stats_; }

 private:
  struct Class {
    std::string name;
    std::uint64_t hash;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return hash_bytes(s, kKeySeed); }
  };
  using Cache = std::unordered_map<std::string, Class, StringHash, std::equal_to<>>;

  const Class& class_of(std::string_view token, bool initial);
  void classify_sentence(std::string_view text);
  void add_ngrams();
  // Parses `text` into nodes_ (root last); false if it has no tree.
  bool parse_tree(std::string_view text);
  void read_tree(std::string_view bracketed);
  std::uint64_t fragment(std::uint32_t node, int depth, std::string* text);
  void add_fragments(std::vector<std::string>* texts);

  const SyntaxGroup& group_;
  std::unique_ptr<LgParser> parser_;
  Cache cache_[2];  // [initial]: a capital means something else at the start
  SyntaxStats stats_;
  // Scratch, reused from sentence to sentence.
  std::string buf_, tree_;
  std::vector<std::string_view> tokens_;
  std::vector<const Class*> sentence_;
  std::vector<std::uint32_t> indices_;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> stack_;
};

class SyntaxGroup final : public FeatureGroup {
 public:
  explicit SyntaxGroup(SyntaxParams p)
      : params_(p),
        mask_((std::uint32_t(1) << p.bits) - 1),
        dict_(std::make_shared<const LgDictionary>()),
        lexicon_(dict_) {}
  std::string_view name() const override { return "syntax"; }
  std::uint32_t dimension() const override { return mask_ + 1; }
  std::string feature_name(std::uint32_t index) const override { return "syntax#" + std::to_string(index); }
  std::unique_ptr<GroupExtractor> make_extractor() const override { return std::make_unique<Extractor>(*this); }

  const SyntaxParams params_;
  const std::uint32_t mask_;
  const std::shared_ptr<const LgDictionary> dict_;
  const WordClassLexicon lexicon_;
  const std::uint64_t begin_hash_ = class_hash(kSentenceBegin);
  const std::uint64_t end_hash_ = class_hash(kSentenceEnd);
};

Extractor::Extractor(const SyntaxGroup& group) : group_(group) {
  if (group_.params_.tree > 0) parser_ = std::make_unique<LgParser>(group_.dict_);
}

const Extractor::Class& Extractor::class_of(std::string_view token, bool initial) {
  Cache& cache = cache_[initial];
  if (auto it = cache.find(token); it != cache.end()) return it->second;
  ++stats_.lexicon_lookups;
  std::string name = group_.lexicon_.classify(token, initial);
  std::uint64_t h = class_hash(name);
  return cache.emplace(std::string(token), Class{std::move(name), h}).first->second;
}

void Extractor::classify_sentence(std::string_view text) {
  syntax_tokens(text, buf_, tokens_);
  sentence_.clear();
  // Bounded: a stream of never-repeating tokens (numbers, names) must not grow the caches
  // forever. Cleared only here, before sentence_ points into them (the map's nodes never move).
  for (Cache& cache : cache_)
    if (cache.size() >= (1u << 20)) cache.clear();
  bool initial = true;
  for (std::string_view t : tokens_) {
    const Class& c = class_of(t, initial);
    sentence_.push_back(&c);
    // Opening quotes and brackets do not end the sentence start.
    if (initial && word_byte(t, 0)) initial = false;
  }
}

void Extractor::add_ngrams() {
  const int n_max = group_.params_.pos;
  const std::size_t n = sentence_.size();
  auto hash_at = [&](std::size_t i) {  // position 0 is <s>, n + 1 is </s>
    return i == 0 ? group_.begin_hash_ : i == n + 1 ? group_.end_hash_ : sentence_[i - 1]->hash;
  };
  for (std::size_t start = 0; start < n + 2; ++start) {
    std::uint64_t h = kSyntaxNgramSeed;
    for (int len = 1; len <= n_max && start + len <= n + 2; ++len) {
      h = combine(h, hash_at(start + len - 1));
      // A marker alone is in every sentence: no information.
      if (len == 1 && (start == 0 || start == n + 1)) continue;
      indices_.push_back(std::uint32_t(h) & group_.mask_);
    }
  }
}

void Extractor::read_tree(std::string_view s) {
  nodes_.clear();
  stack_.clear();
  auto close = [&] {
    std::uint32_t done = stack_.back();
    stack_.pop_back();
    int h = 0;
    for (std::uint32_t c : nodes_[done].children) h = std::max(h, nodes_[c].height);
    nodes_[done].height = h + 1;
    if (!stack_.empty()) nodes_[stack_.back()].children.push_back(done);
  };
  std::size_t i = 0, leaves = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\n') {
      ++i;
      continue;
    }
    std::size_t j = s.find_first_of(" \n", i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view t = s.substr(i, j - i);
    i = j;
    if (t.size() > 1 && t[0] == '(' && t[1] >= 'A' && t[1] <= 'Z') {
      nodes_.push_back(Node{std::string(t.substr(1)), {}, false, 0});
      stack_.push_back(std::uint32_t(nodes_.size() - 1));
      continue;
    }
    // A word, then as many closing brackets as it ends with; a word that is itself a
    // bracket keeps its first character.
    std::size_t end = t.size();
    while (end > 1 && t[end - 1] == ')') --end;
    std::size_t closes = t.size() - end;
    std::string_view word = t.substr(0, end);
    if (stack_.empty()) return;  // not a tree: give up (no features rather than wrong ones)
    // Function words and punctuation keep their own class, as in pos mode; other words
    // take the class of the reading the parse chose ("research.v" -> V).
    auto [form, sub] = split_leaf(word);
    const std::string& seen = class_of(form, leaves == 0).name;
    std::string_view cls = WordClassLexicon::subscript_class(sub);
    bool closed = !WordClassLexicon::function_word(seen).empty() || !WordClassLexicon::punctuation(form).empty();
    Node leaf;
    leaf.leaf = true;
    leaf.label = closed || cls.empty() ? seen : std::string(cls);
    ++leaves;
    nodes_.push_back(std::move(leaf));
    nodes_[stack_.back()].children.push_back(std::uint32_t(nodes_.size() - 1));
    for (std::size_t k = 0; k < closes && !stack_.empty(); ++k) close();
  }
  // Unbalanced output would be a link-grammar bug; drop it rather than guess.
  if (!stack_.empty()) nodes_.clear();
}

std::uint64_t Extractor::fragment(std::uint32_t id, int depth, std::string* text) {
  const Node& node = nodes_[id];
  if (node.leaf || depth == 0) {
    if (text) *text += node.label;
    return class_hash(node.label);
  }
  if (text) text->append("(").append(node.label);
  std::uint64_t h = combine(kSyntaxTreeSeed, hash_bytes(node.label, kSyntaxTreeSeed));
  for (std::uint32_t c : node.children) {
    if (text) *text += ' ';
    h = combine(h, fragment(c, depth - 1, text));
  }
  if (text) *text += ")";
  return fmix64(h ^ kSyntaxTreeSeed);
}

void Extractor::add_fragments(std::vector<std::string>* texts) {
  const int d_max = group_.params_.tree;
  for (std::uint32_t id = 0; id < nodes_.size(); ++id) {
    if (nodes_[id].leaf) continue;
    // Deeper than the subtree is tall, the fragment would repeat the full subtree.
    int top = std::min(d_max, nodes_[id].height);
    for (int d = 1; d <= top; ++d) {
      std::string text;
      std::uint64_t h = fragment(id, d, texts ? &text : nullptr);
      indices_.push_back(std::uint32_t(h) & group_.mask_);
      if (texts) texts->push_back(std::move(text));
    }
  }
}

bool Extractor::parse_tree(std::string_view text) {
  switch (parser_->parse(text, tree_)) {
    case ParseOutcome::parsed: break;
    case ParseOutcome::no_linkage: ++stats_.no_linkage; return false;
    case ParseOutcome::too_long: ++stats_.too_long; return false;
    case ParseOutcome::timeout: ++stats_.timeout; return false;
  }
  read_tree(tree_);
  if (nodes_.empty()) {
    ++stats_.no_linkage;
    return false;
  }
  ++stats_.parsed;
  return true;
}

void Extractor::extract(const SentenceView& sentence, std::vector<GroupFeature>& out) {
  ++stats_.sentences;
  indices_.clear();
  if (group_.params_.pos > 0) {
    classify_sentence(sentence.text);
    add_ngrams();
  }
  if (parser_ && parse_tree(sentence.text)) add_fragments(nullptr);
  counts_to_features(indices_, out);
}

std::vector<std::string> Extractor::classes(std::string_view text) {
  classify_sentence(text);
  std::vector<std::string> out;
  for (const Class* c : sentence_) out.push_back(c->name);
  return out;
}

std::vector<std::string> Extractor::fragments(std::string_view text) {
  std::vector<std::string> out;
  indices_.clear();
  if (parser_ && parse_tree(text)) add_fragments(&out);
  return out;
}

}  // namespace

SyntaxParams SyntaxParams::from(const GroupSpec& spec) {
  SyntaxParams p;
  int* fields[] = {&p.pos, &p.tree, &p.bits};
  for (std::size_t k = 0; k < std::size(kRanges); ++k) {
    const Range& r = kRanges[k];
    *fields[k] = r.fallback;
    for (const auto& [name, value] : spec.params) {
      if (name != r.name) continue;
      if (value < r.low || value > r.high)
        throw Error::usage("syntax: " + std::string(r.name) + " must be in " + std::to_string(r.low) + ".." +
                           std::to_string(r.high) + " (got " + std::to_string(value) + ")");
      *fields[k] = int(value);
    }
  }
  for (const auto& param : spec.params) {
    const auto& name = param.first;  // not a structured binding: clang 14 cannot capture one
    if (std::none_of(std::begin(kRanges), std::end(kRanges), [&](const Range& r) { return r.name == name; }))
      throw Error::usage("syntax: unknown parameter '" + name + "' (expected pos, tree, bits)");
  }
  return p;
}

std::unique_ptr<FeatureGroup> make_syntax_group(const GroupSpec& spec) {
  return std::make_unique<SyntaxGroup>(SyntaxParams::from(spec));
}

void syntax_tokens(std::string_view text, std::string& buf, std::vector<std::string_view>& tokens) {
  // Curly apostrophes become straight ones first, so that "don’t" and "don't" agree.
  buf.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\u2019") {
      buf += '\'';
      i += 2;
    } else {
      buf += text[i];
    }
  }
  tokens.clear();
  std::string_view s = buf;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (!word_byte(s, i)) {
      std::size_t n = c >= 0x80 ? utf8_punctuation(s, i) : 1;
      if (n == 0) n = 1;
      // Doubled marks are one token: "--", "``", "''".
      if (n == 1 && i + 1 < s.size() && s[i + 1] == s[i] && (c == '-' || c == '`' || c == '\'')) n = 2;
      tokens.push_back(s.substr(i, n));
      i += n;
      continue;
    }
    std::size_t j = i;
    while (j < s.size()) {
      if (word_byte(s, j)) {
        ++j;
        continue;
      }
      // Inner joiners: "well-known", "don't", "3.14", "1,000", "U.S".
      char p = s[j];
      bool inner = j + 1 < s.size() && word_byte(s, j + 1);
      bool digits = ascii_digit(s[j - 1]) && j + 1 < s.size() && ascii_digit(s[j + 1]);
      if (inner && (p == '-' || p == '\'' || (p == '.' && !ascii_digit(s[j + 1])) || ((p == '.' || p == ',') && digits))) {
        ++j;
        continue;
      }
      break;
    }
    std::string_view w = s.substr(i, j - i);
    i = j;
    std::size_t n = w.size();
    if (n > 3 && (w.substr(n - 3) == "n't" || w.substr(n - 3) == "N'T")) {
      tokens.push_back(w.substr(0, n - 3));
      tokens.push_back(w.substr(n - 3));
    } else if (n > 2 && (w.substr(n - 2) == "'s" || w.substr(n - 2) == "'S")) {
      tokens.push_back(w.substr(0, n - 2));
      tokens.push_back(w.substr(n - 2));
    } else {
      tokens.push_back(w);
    }
  }
}

std::uint32_t syntax_ngram_index(const std::vector<std::string_view>& ngram, int bits) {
  std::uint64_t h = kSyntaxNgramSeed;
  for (std::string_view c : ngram) h = combine(h, class_hash(c));
  return std::uint32_t(h) & ((std::uint32_t(1) << bits) - 1);
}

}  // namespace mlpipe::features
