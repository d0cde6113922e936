#include "mlpipe/features/analyzer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "mlpipe/features/hash.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {
std::vector<std::string> terms_of(const TokenSpec& spec, std::string_view text,
                                  std::vector<std::uint64_t>* hashes = nullptr) {
  auto stop = std::make_shared<StopWords>(stop_word_list(spec));
  Analyzer a(spec, stop);
  std::vector<std::uint64_t> h;
  TermList terms;
  a.analyze(text, h, &terms);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < terms.size(); ++i) out.emplace_back(terms[i]);
  REQUIRE(h.size() == out.size());
  for (std::size_t i = 0; i < h.size(); ++i) CHECK(h[i] == term_hash(out[i]));
  if (hashes) *hashes = h;
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("hash functions are fixed: the same bits on every machine and run") {
  // These values are part of the feature contract (spec version 1): hashed indices and
  // vocabulary lookups depend on them. Never update them without bumping kSpecVersion.
  CHECK(hash_bytes("", 0) == 0x0000000000000000ULL);
  CHECK(hash_bytes("a", 0) != hash_bytes("b", 0));
  CHECK(hash_bytes("abcdefgh", kTokenSeed) != hash_bytes("abcdefgh", kCharSeed));
  CHECK(hash_bytes("running", kTokenSeed) == hash_bytes(std::string("running"), kTokenSeed));
  // Every length from 0 to 40 differs from its neighbours (tail handling).
  std::set<std::uint64_t> seen;
  std::string s;
  for (int i = 0; i < 40; ++i, s.push_back('x')) seen.insert(hash_bytes(s, kTokenSeed));
  CHECK(seen.size() == 40);
  CHECK(combine(combine(kNgramSeed, 1), 2) != combine(combine(kNgramSeed, 2), 1));
}

TEST_CASE("hash values are pinned") {
  // Pinned outputs: a change here changes every model's features.
  CHECK(hash_bytes("cat", kTokenSeed) == 0x42bb3e1036d506c7ULL);
  CHECK(term_hash("tax cut") == 0x61e1e1c9c7151b17ULL);
  CHECK(term_hash("# ta") == 0x22723a5a703ca6e6ULL);
}

TEST_CASE("word unigrams with stems and numbers") {
  TokenSpec spec;
  CHECK(terms_of(spec, "The cats were running 3 times, 4.5 hours") ==
        V{"the", "cat", "were", "run", "<num>", "time", "<num>", "hour"});
  spec.keep_numbers = true;
  CHECK(terms_of(spec, "3 cats, 4.5 hours") == V{"3", "cat", "4.5", "hour"});
  spec.stem = "none";
  CHECK(terms_of(spec, "Running cats") == V{"running", "cats"});
}

TEST_CASE("word n-grams of lengths 1..N, spanning removed stop words") {
  TokenSpec spec;
  spec.ngrams = 3;
  CHECK(terms_of(spec, "tax cuts help") == V{"tax", "tax cut", "tax cut help", "cut", "cut help", "help"});
  spec.ngrams = 2;
  spec.stop_words = "english";
  CHECK(terms_of(spec, "the tax of the rich") == V{"tax", "tax rich", "rich"});
  CHECK(terms_of(spec, "the of and") == V{});
  CHECK(terms_of(spec, "") == V{});
}

TEST_CASE("custom stop words, checked before stemming") {
  TokenSpec spec;
  spec.stop_words = "list";
  spec.stop_list = {"cats"};
  CHECK(terms_of(spec, "cats cat") == V{"cat"});
}

TEST_CASE("character n-grams within each token") {
  TokenSpec spec;
  spec.ngrams = 1;
  spec.char_min = 2;
  spec.char_max = 3;
  V t = terms_of(spec, "Ab é");
  V want = {"ab", "é", "# a", "#ab", "#b ", "# ab", "#ab ", "# é", "#é ", "# é "};
  CHECK(t == want);
}

TEST_CASE("the stem cache gives the same answers as stemming afresh") {
  TokenSpec spec;
  spec.ngrams = 2;
  std::vector<std::uint64_t> first, again;
  std::string text = "Generalizations of connections: a supercalifragilisticexpialidocious running runner runs";
  auto t1 = terms_of(spec, text, &first);
  auto stop = std::make_shared<StopWords>();
  Analyzer a(spec, stop);
  for (int i = 0; i < 3; ++i) {
    a.analyze(text, again);
    CHECK(again == first);
  }
}
