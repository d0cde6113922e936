#include "mlpipe/features/groups.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

#include "mlpipe/core/error.h"
#include "mlpipe/features/cue_lexicon.h"
#include "mlpipe/features/group_set.h"
#include "mlpipe/features/sentence_terms.h"
#include "mlpipe/features/spec_compare.h"
#include "mlpipe/features/spec_file.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {

// The named features a group gives a sentence.
std::vector<std::string> names_of(const FeatureGroup& g, const SentenceView& s) {
  auto x = g.make_extractor();
  std::vector<GroupFeature> out;
  x->extract(s, out);
  std::vector<std::string> names;
  for (const auto& [i, v] : out) {
    CHECK(i < g.dimension());
    CHECK(v > 0.0f);
    CHECK(v <= 1.0f);
    names.push_back(g.feature_name(i));
  }
  std::sort(names.begin(), names.end());
  return names;
}

SentenceView view(std::string_view text, std::string_view topic = {}) {
  SentenceView s;
  s.text = text;
  s.topic = topic;
  return s;
}

bool has(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

std::string usage_error(const std::string& option) {
  try {
    parse_group_option(option);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("cue phrases match on stems, phrases need every word in order") {
  CueMatcher m({{"a", "argue|according to"}, {"b", "improve|improvement"}});
  TermAnalyzer t;
  SentenceTerms s;
  std::vector<std::uint32_t> counts;
  t.analyze("They argued, according to the report, that it improves things; improvement follows.", s);
  m.count(s.stems, counts);
  CHECK(counts == std::vector<std::uint32_t>{2, 2});
  t.analyze("The road leads to the sea, according the map.", s);
  m.count(s.stems, counts);
  CHECK(counts == std::vector<std::uint32_t>{0, 0});
}

TEST_CASE("claim cues: a recommendation against a plain fact") {
  auto g = make_group(parse_group_option("claim-cues"), nullptr);
  auto claim = names_of(*g, view("The city should build protected bike lanes because they reduce injuries."));
  CHECK(has(claim, "claim-cues:obligation"));
  CHECK(has(claim, "claim-cues:causal"));
  CHECK(has(claim, "claim-cues:change_verb"));
  auto fact = names_of(*g, view("The bridge was opened in 1932."));
  CHECK_FALSE(has(fact, "claim-cues:obligation"));
  CHECK_FALSE(has(fact, "claim-cues:causal"));
}

TEST_CASE("evidence cues: studies, figures, years and sources") {
  auto g = make_group(parse_group_option("evidence-cues"), nullptr);
  auto e = names_of(*g, view("A 2014 study by the University of Leeds found that injuries fell by 40% (Smith, \"Roads\")."));
  for (const char* n : {"evidence-cues:study", "evidence-cues:reporting_verb", "evidence-cues:source",
                        "evidence-cues:reported_speech", "evidence-cues:year", "evidence-cues:percent",
                        "evidence-cues:number", "evidence-cues:quote", "evidence-cues:parenthesis",
                        "evidence-cues:capitalised_words"})
    CHECK_MESSAGE(has(e, n), n);
  auto plain = names_of(*g, view("we walked home"));
  CHECK(plain.empty());
  // A price is a number, not a year.
  auto price = names_of(*g, view("It costs 2.50 now, or 19.5 with tax."));
  CHECK(has(price, "evidence-cues:number"));
  CHECK_FALSE(has(price, "evidence-cues:year"));
}

TEST_CASE("shape: length and position buckets, unknown position") {
  auto g = make_group(parse_group_option("shape"), nullptr);
  auto a = names_of(*g, {"Is this fair?", "", 0, 0});
  CHECK(has(a, "shape:words<=5"));
  CHECK(has(a, "shape:sent=0"));
  CHECK(has(a, "shape:para=0"));
  CHECK(has(a, "shape:question"));
  CHECK(has(a, "shape:ends_without_period"));
  auto b = names_of(*g, {"We went there, and then, later, we came back home again.", "", 12, 30});
  CHECK(has(b, "shape:sent<=49"));
  CHECK(has(b, "shape:para>9"));
  CHECK(has(b, "shape:commas>2"));
  CHECK(has(b, "shape:first_person"));
  auto c = names_of(*g, view("No position."));
  CHECK(has(c, "shape:sent_unknown"));
  CHECK(has(c, "shape:para_unknown"));
}

TEST_CASE("topic: overlap with the motion, its crossings, and no topic at all") {
  auto g = make_group(parse_group_option("topic"), nullptr);
  const std::string topic = "This house would ban boxing";
  auto on = names_of(*g, view("Boxing should be banned because it harms the brain.", topic));
  for (const char* n : {"topic:has_topic", "topic:overlap", "topic:overlap_count", "topic:tfidf_cosine",
                        "topic:overlap_early", "topic:overlap&obligation", "topic:overlap&causal"})
    CHECK_MESSAGE(has(on, n), n);
  // "house" and "would" are motion boilerplate, not the topic.
  auto off = names_of(*g, view("The house would be quiet.", topic));
  CHECK(has(off, "topic:no_overlap"));
  CHECK_FALSE(has(off, "topic:overlap"));
  CHECK(names_of(*g, view("Boxing should be banned.", "")).empty());
}

TEST_CASE("group options: parameters, defaults and errors") {
  CHECK(parse_group_option("syntax").params ==
        std::vector<std::pair<std::string, std::int64_t>>{{"pos", 3}, {"tree", 0}, {"bits", 18}});
  CHECK(parse_group_option("syntax:bits=12,pos=2").params ==
        std::vector<std::pair<std::string, std::int64_t>>{{"pos", 2}, {"tree", 0}, {"bits", 12}});
  CHECK(describe_group(parse_group_option("syntax:tree=2")) == "syntax(pos=3,tree=2,bits=18)");
  CHECK(usage_error("nouns") == "--group nouns: unknown feature group 'nouns' (known: claim-cues, evidence-cues, "
                                "shape, opinion, topic, syntax, position, discourse, wordnet)");
  CHECK(usage_error("shape:x=1") == "--group shape:x=1: feature group 'shape' takes no parameters (got 'x')");
  CHECK(usage_error("syntax:pos=9") == "--group syntax:pos=9: feature group 'syntax': pos must be from 0 to 4 (got 9)");
  CHECK(usage_error("syntax:pos") == "--group syntax:pos: 'pos' is not KEY=INTEGER");
  CHECK(usage_error("syntax:pos=1,pos=2") == "--group syntax:pos=1,pos=2: feature group 'syntax': parameter 'pos' "
                                             "given twice");
}

TEST_CASE("a spec with groups: canonical JSON, dimension, and refusals") {
  FeatureSpec spec;
  spec.hash_bits = 10;
  spec.groups = {parse_group_option("claim-cues"), parse_group_option("syntax:bits=8")};
  const std::string json = canonical_spec_json(spec);
  CHECK(json.find(R"("groups":[{"name":"claim-cues"},{"name":"syntax","pos":3,"tree":0,"bits":8}],)"
                  R"("topic_field":"topic","dimension":1297})") != std::string::npos);
  FeatureSpec back = parse_spec(json, "s.json");
  CHECK(back.groups == spec.groups);
  CHECK(canonical_spec_json(back) == json);
  CHECK(feature_dimension(back) == 1024 + group_dimension(parse_group_option("claim-cues")) + 256);
  // Another group set is another spec.
  FeatureSpec other = back;
  other.groups.pop_back();
  CHECK(spec_mismatch(back, other) == "groups: claim-cues,syntax(pos=3,tree=0,bits=8) (expected) vs claim-cues (given)");
  std::string bad = json;
  bad.replace(bad.find("\"pos\":3,\"tree\":0"), 16, "\"tree\":0,\"pos\":3");
  CHECK_THROWS_WITH_AS(parse_spec(bad, "s.json"), doctest::Contains("not in canonical order"), Error);
}

TEST_CASE("the group set appends blocks after the words, the same from every thread") {
  FeatureSpec spec;
  spec.hash_bits = 4;
  spec.groups = {parse_group_option("claim-cues"), parse_group_option("shape"), parse_group_option("topic")};
  GroupSet set(spec, 16, nullptr);
  const SentenceView s{"Boxing should be banned, since it harms the brain.", "ban boxing", 2, 7};
  auto run = [&] {
    GroupSet::Runner r(set);
    SparseVector v;
    v.push(3, 0.5f);
    r.append(s, v);
    return v;
  };
  SparseVector a = run(), b;
  std::thread t([&] { b = run(); });
  t.join();
  CHECK(a.idx == b.idx);
  CHECK(a.val == b.val);
  REQUIRE(a.size() > 5);
  CHECK(a.idx[0] == 3);
  CHECK(a.idx[1] > 16);
  CHECK(std::is_sorted(a.idx.begin(), a.idx.end()));
  CHECK(std::adjacent_find(a.idx.begin(), a.idx.end()) == a.idx.end());
  CHECK(a.idx.back() <= feature_dimension(spec));
}

namespace {

SentenceView placed(std::int64_t para, std::int64_t sent, std::int64_t para_sent, std::int64_t para_sents,
                    std::int64_t doc_paras, std::int64_t doc_sents) {
  SentenceView s = view("A sentence.");
  s.para = para;
  s.sent = sent;
  s.para_sent = para_sent;
  s.para_sents = para_sents;
  s.doc_paras = doc_paras;
  s.doc_sents = doc_sents;
  return s;
}

}  // namespace

TEST_CASE("position: the place in the paragraph and the document, crossed, and what is unknown") {
  auto g = make_group(parse_group_option("position"), nullptr);
  CHECK(g->dimension() == 50);
  // The last sentence of an essay's first paragraph (where a thesis often sits).
  auto thesis = names_of(*g, placed(0, 3, 3, 4, 5, 20));
  CHECK(has(thesis, "position:in_para=last"));
  CHECK(has(thesis, "position:para=first"));
  CHECK(has(thesis, "position:para=first&in_para=last"));
  CHECK(has(thesis, "position:doc_fifth=1"));
  CHECK(has(thesis, "position:doc_sents<=25"));
  CHECK(has(thesis, "position:para_sents<=4"));
  CHECK(has(thesis, "position:doc_paras<=6"));
  CHECK_FALSE(has(thesis, "position:doc_first"));
  // A body paragraph's opening sentence.
  auto topic_sentence = names_of(*g, placed(2, 9, 0, 5, 5, 20));
  CHECK(has(topic_sentence, "position:para=inside&in_para=first"));
  // A one-paragraph text's last sentence.
  auto last = names_of(*g, placed(0, 4, 4, 5, 1, 5));
  CHECK(has(last, "position:para=only&in_para=last"));
  CHECK(has(last, "position:doc_last"));
  CHECK(has(last, "position:doc_fifth=5"));
  // A piece of a long document: paragraph counts unknown, the first paragraph still known.
  auto piece = names_of(*g, placed(0, 0, 0, 3, -1, -1));
  CHECK(has(piece, "position:para=first"));
  CHECK(has(piece, "position:doc_sents_unknown"));
  CHECK(has(piece, "position:doc_first"));
  // A sentence with no place at all.
  auto none = names_of(*g, view("Alone."));
  CHECK(none == std::vector<std::string>{"position:doc_sents_unknown", "position:in_para=unknown",
                                         "position:para=unknown"});
}

TEST_CASE("discourse: a connective counts where it occurs, and again when it opens the sentence") {
  auto g = make_group(parse_group_option("discourse"), nullptr);
  auto conclusion = names_of(*g, view("Therefore, the council should approve the plan this spring."));
  CHECK(has(conclusion, "discourse:conclusion"));
  CHECK(has(conclusion, "discourse:opens:conclusion"));
  auto inside = names_of(*g, view("The plan should, therefore, be approved."));
  CHECK(has(inside, "discourse:conclusion"));
  CHECK_FALSE(has(inside, "discourse:opens:conclusion"));
  auto opponent = names_of(*g, view("Critics argue that a shorter week would hurt productivity."));
  CHECK(has(opponent, "discourse:opponent"));
  CHECK(has(opponent, "discourse:opens:opponent"));
  auto example = names_of(*g, view("For example, my sister's class built a bridge together."));
  CHECK(has(example, "discourse:opens:example"));
  auto request = names_of(*g, view("I urge the Bureau to adopt the rule."));
  CHECK(has(request, "discourse:opens:request"));
  auto plain = names_of(*g, view("The bridge was opened in 1932."));
  CHECK(plain.empty());
}

TEST_CASE("wordnet: content words by lexicographer class, inflections reduced, stop words skipped") {
  std::unique_ptr<FeatureGroup> g;
  try {
    g = make_group(parse_group_option("wordnet"), nullptr);
  } catch (const Error& e) {
    MESSAGE("WordNet's database is not installed: " << e.what());
    return;
  }
  CHECK(g->dimension() == 45);
  CHECK(group_dimension(parse_group_option("wordnet")) == 45);
  auto lanes = names_of(*g, view("The city should build protected bicycle lanes."));
  CHECK(has(lanes, "wordnet:noun.artifact"));   // lanes, bicycle
  CHECK(has(lanes, "wordnet:verb.creation"));   // build
  auto vaccines = names_of(*g, view("Vaccinations were given to the children."));
  CHECK(has(vaccines, "wordnet:noun.act"));      // vaccinations -> vaccination
  CHECK(has(vaccines, "wordnet:noun.person"));   // children, an exception form of child
  CHECK(names_of(*g, view("It is what it is.")).empty());
}

TEST_CASE("wordnet: a missing database is an error naming the file") {
  const char* old = std::getenv("MLPIPE_WORDNET");
  std::string saved = old ? old : "";
  setenv("MLPIPE_WORDNET", "/nonexistent/wordnet", 1);
  std::string msg, file;
  try {
    make_group(parse_group_option("wordnet"), nullptr);
  } catch (const Error& e) {
    msg = e.what();
    file = e.file();
  }
  if (old)
    setenv("MLPIPE_WORDNET", saved.c_str(), 1);
  else
    unsetenv("MLPIPE_WORDNET");
  CHECK(file == "/nonexistent/wordnet/index.noun");
  CHECK(msg.find("wordnet-base") != std::string::npos);
}

TEST_CASE("a long-document copy doubles the dimension and is written in the spec") {
  FeatureSpec spec;
  spec.hash_bits = 4;
  spec.groups.push_back(parse_group_option("position"));
  CHECK(feature_dimension(spec) == 66);
  spec.long_docs = 40;
  CHECK(base_dimension(spec) == 66);
  CHECK(feature_dimension(spec) == 132);
  const std::string json = canonical_spec_json(spec);
  CHECK(json.find("\"long_docs\":40,\"dimension\":132}") != std::string::npos);
  CHECK(parse_spec(json, "s.json").long_docs == 40);
  std::string bad = json;
  bad.replace(bad.find("132"), 3, "131");
  CHECK_THROWS_WITH_AS(parse_spec(bad, "s.json"),
                       doctest::Contains("131 differs from the 132 indices its vocabulary and groups make"), Error);
}
