#include "mlpipe/features/syntax.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/features/link_grammar.h"
#include "mlpipe/features/word_class.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {
using V = std::vector<std::string>;

GroupSpec spec(int pos, int tree, int bits = 18) {
  return GroupSpec{"syntax", {{"pos", pos}, {"tree", tree}, {"bits", bits}}};
}

SyntaxExtractor& as_syntax(std::unique_ptr<GroupExtractor>& e) { return dynamic_cast<SyntaxExtractor&>(*e); }

std::vector<GroupFeature> features_of(GroupExtractor& e, std::string_view text) {
  std::vector<GroupFeature> out;
  e.extract(SentenceView{text, {}, -1, -1}, out);
  std::sort(out.begin(), out.end());
  return out;
}

bool has_index(const std::vector<GroupFeature>& f, std::uint32_t index) {
  return std::any_of(f.begin(), f.end(), [&](const GroupFeature& x) { return x.first == index; });
}

V tokens(std::string_view text) {
  std::string buf;
  std::vector<std::string_view> t;
  syntax_tokens(text, buf, t);
  return V(t.begin(), t.end());
}
}  // namespace

TEST_CASE("syntax tokens: clitics, joiners, punctuation") {
  CHECK(tokens("Don't ban it: the U.S. law's 3.5% rate (1,000 cases).") ==
        V{"Do", "n't", "ban", "it", ":", "the", "U.S", ".", "law", "'s", "3.5", "%", "rate", "(", "1,000", "cases", ")", "."});
  CHECK(tokens("\u201cwell-known\u201d \u2014 isn\u2019t it?") == V{"\u201c", "well-known", "\u201d", "\u2014", "is", "n't", "it", "?"});
  CHECK(tokens("") == V{});
}

TEST_CASE("word classes: shapes and closed lists without the dictionary") {
  CHECK(WordClassLexicon::shape("1990") == "YEAR");
  CHECK(WordClassLexicon::shape("3.14") == "NUM");
  CHECK(WordClassLexicon::shape("1,000") == "NUM");
  CHECK(WordClassLexicon::shape("blorfication") == "~tion");
  CHECK(WordClassLexicon::shape("zorply") == "~ly");
  CHECK(WordClassLexicon::shape("glorbing") == "~ing");
  CHECK(WordClassLexicon::shape("frobbed") == "~ed");
  CHECK(WordClassLexicon::shape("xq") == "~");
  CHECK(WordClassLexicon::function_word("should") == "should");
  CHECK(WordClassLexicon::function_word("because") == "because");
  CHECK(WordClassLexicon::function_word("government").empty());
  CHECK(WordClassLexicon::subscript_class("n-u") == "N");
  CHECK(WordClassLexicon::subscript_class("v-d") == "VD");
  CHECK(WordClassLexicon::subscript_class("").empty());
  CHECK(WordClassLexicon::punctuation("\u201c") == "QUOTE");
}

TEST_CASE("word classes from the link-grammar dictionary") {
  WordClassLexicon lex(std::make_shared<const LgDictionary>());
  CHECK(lex.classify("research", false) == "N|V");
  CHECK(lex.classify("government", false) == "N");
  CHECK(lex.classify("violent", false) == "A");
  CHECK(lex.classify("banned", false) == "VD");
  CHECK(lex.classify("should", false) == "should");
  CHECK(lex.classify("Should", true) == "should");
  // A capital means a name, except at the start of the sentence.
  CHECK(lex.classify("Government", false) == "PROPER");
  CHECK(lex.classify("Government", true) == "N");
  CHECK(lex.classify("NATO", false) == "ACRONYM");
  CHECK(lex.classify("Paris", true) == "PROPER");  // known to the dictionary as a place
  // Unknown words get their shape.
  CHECK(lex.classify("blorfication", false) == "~tion");
  CHECK(lex.classify("1990", false) == "YEAR");
  CHECK(lex.classify(":", false) == "COLON");
}

TEST_CASE("parameters: defaults, ranges") {
  auto p = SyntaxParams::from(GroupSpec{"syntax", {}});
  CHECK(p.pos == 3);
  CHECK(p.tree == 0);
  CHECK(p.bits == 18);
  CHECK(SyntaxParams::from(GroupSpec{"syntax", {{"pos", 0}}}).pos == 0);  // 0 is not "missing"
  CHECK_THROWS_AS(SyntaxParams::from(GroupSpec{"syntax", {{"bits", 30}}}), Error);
  CHECK_THROWS_AS(SyntaxParams::from(GroupSpec{"syntax", {{"depth", 2}}}), Error);
  auto g = make_syntax_group(spec(3, 0, 12));
  CHECK(g->name() == "syntax");
  CHECK(g->dimension() == 4096);
}

TEST_CASE("pos mode: class n-grams with markers, L2-normalised") {
  auto g = make_syntax_group(spec(3, 0));
  auto e = g->make_extractor();
  CHECK(as_syntax(e).classes("The government should ban violent games.") ==
        V{"the", "N", "should", "N|V", "A", "N", "END"});

  auto modal = features_of(*e, "Governments should ban violent games.");
  auto plain = features_of(*e, "Governments banned violent games.");
  // The indices are part of the contract: this one must not move.
  std::uint32_t should_v = syntax_ngram_index({"should", "N|V"}, 18);
  CHECK(should_v == syntax_ngram_index({"should", "N|V"}, 18));
  CHECK(has_index(modal, should_v));
  CHECK_FALSE(has_index(plain, should_v));
  CHECK(has_index(plain, syntax_ngram_index({"N", "VD"}, 18)));
  CHECK(has_index(modal, syntax_ngram_index({std::string_view(kSentenceBegin), "N"}, 18)));
  CHECK(has_index(modal, syntax_ngram_index({"N", "END", std::string_view(kSentenceEnd)}, 18)));
  CHECK_FALSE(has_index(modal, syntax_ngram_index({std::string_view(kSentenceBegin)}, 18)));

  double norm2 = 0;
  for (auto [i, v] : modal) {
    CHECK(i < g->dimension());
    norm2 += double(v) * v;
  }
  CHECK(std::abs(norm2 - 1.0) < 1e-5);
  // Unique indices.
  for (std::size_t i = 1; i < modal.size(); ++i) CHECK(modal[i - 1].first < modal[i].first);
  // Words of another topic with the same form give the same features.
  CHECK(features_of(*e, "Countries should ban violent games.") == modal);
  // An empty sentence is only its markers.
  auto empty = features_of(*e, "");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].first == syntax_ngram_index({std::string_view(kSentenceBegin), std::string_view(kSentenceEnd)}, 18));
}

TEST_CASE("unknown words get shape classes; the cache does not change answers") {
  auto g = make_syntax_group(spec(1, 0));
  auto e = g->make_extractor();
  V first = as_syntax(e).classes("In 1990 the Zorbonian council saw 45% glorbification.");
  CHECK(first == V{"in", "YEAR", "the", "PROPER", "N", "N|V|VD", "NUM", "PERCENT", "~tion", "END"});
  CHECK(as_syntax(e).classes("In 1990 the Zorbonian council saw 45% glorbification.") == first);
  CHECK(as_syntax(e).stats().lexicon_lookups == first.size());
}

TEST_CASE("tree mode: fragments of a parsed sentence") {
  auto g = make_syntax_group(spec(0, 2));
  auto e = g->make_extractor();
  auto frags = as_syntax(e).fragments("The government should ban violent video games.");
  REQUIRE_FALSE(frags.empty());
  auto has = [&](std::string_view f) { return std::find(frags.begin(), frags.end(), f) != frags.end(); };
  // Productions, with words as their class (the chosen reading: "ban" is a verb here).
  CHECK(has("(NP the N)"));
  CHECK(has("(S NP VP END)"));
  CHECK(has("(S (NP the N) (VP should VP) END)"));
  // Topic words never appear.
  for (const auto& f : frags) CHECK(f.find("government") == std::string::npos);

  auto feats = features_of(*e, "The government should ban violent video games.");
  CHECK(feats.size() > 3);
  CHECK(as_syntax(e).stats().parsed == 2);

  // Not a sentence the grammar covers: no tree features, counted, no error.
  auto none = features_of(*e, "games games games the the of of");
  CHECK(none.empty());
  CHECK(as_syntax(e).stats().no_linkage == 1);
}

TEST_CASE("tree and pos together: more features, still unit norm") {
  auto g = make_syntax_group(spec(2, 3));
  auto e = g->make_extractor();
  auto both = features_of(*e, "Studies show that violent games increase aggression.");
  auto pos_only = features_of(*make_syntax_group(spec(2, 0))->make_extractor(),
                              "Studies show that violent games increase aggression.");
  CHECK(both.size() > pos_only.size());
  double norm2 = 0;
  for (auto [i, v] : both) norm2 += double(v) * v;
  CHECK(std::abs(norm2 - 1.0) < 1e-5);
}

TEST_CASE("extractors on two threads give identical features") {
  auto g = make_syntax_group(spec(3, 2));
  const std::vector<std::string> texts = {
      "The government should ban violent video games.",
      "A 2005 study by Anderson found that players were more aggressive.",
      "However, critics argue that the evidence is weak.",
      "\u201cIt isn\u2019t a crime,\u201d he said (in 1999).",
      "Sales rose 12% in the U.S. last year.",
  };
  auto run = [&](std::vector<std::vector<GroupFeature>>& out) {
    auto e = g->make_extractor();
    for (int round = 0; round < 3; ++round)
      for (const auto& t : texts) out.push_back(features_of(*e, t));
  };
  std::vector<std::vector<GroupFeature>> a, b;
  std::thread t1(run, std::ref(a)), t2(run, std::ref(b));
  t1.join();
  t2.join();
  CHECK(a == b);
  // The same in each round: caches and parser state do not leak between sentences.
  for (std::size_t i = 0; i < texts.size(); ++i) CHECK(a[i] == a[i + texts.size()]);
}
