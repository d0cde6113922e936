// mlfeat's options made into settings: every usage error between options, the defaults, and
// the files left for the tool to read.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/features/tool_mlfeat.h"

using namespace mlpipe;

namespace {

struct MlfeatUsageCase {
  const char* what;
  std::function<void(MlfeatOptions&)> set;
  std::string message;
};

// The message mlfeat_settings throws for `o`; "" when it accepts them.
std::string usage_error(const MlfeatOptions& o) {
  try {
    mlfeat_settings(o);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "";
}

std::string bad_char_ngrams(const std::string& v) {
  return "--char-ngrams: '" + v + "' is not MIN-MAX, N or none (1 <= MIN <= MAX <= 16)";
}

}  // namespace

TEST_CASE("mlfeat settings: each usage error, with the message the command line shows") {
  const std::string tfidf = "--weight tfidf needs a fitted vocabulary (--fit VOCAB or --vocab VOCAB)";
  const std::vector<MlfeatUsageCase> cases = {
      {"a feature option with --spec",
       [](MlfeatOptions& o) {
         o.spec = "s.json";
         o.spec_given = true;
         o.feature_options_given = {"--stem", "--norm"};
       },
       "--stem cannot be given with --spec (the spec sets every feature option)"},
      {"char n-grams not a number", [](MlfeatOptions& o) { o.char_ngrams = "x"; }, bad_char_ngrams("x")},
      {"char n-grams reversed", [](MlfeatOptions& o) { o.char_ngrams = "4-2"; }, bad_char_ngrams("4-2")},
      {"char n-grams of 0", [](MlfeatOptions& o) { o.char_ngrams = "0"; }, bad_char_ngrams("0")},
      {"char n-grams too long", [](MlfeatOptions& o) { o.char_ngrams = "2-17"; }, bad_char_ngrams("2-17")},
      {"--fit with --vocab",
       [](MlfeatOptions& o) {
         o.fit = "v.tsv";
         o.vocab = "w.tsv";
       },
       "--fit and --vocab cannot be given together"},
      {"--min-df without --fit", [](MlfeatOptions& o) { o.min_df_given = true; },
       "--min-df and --max-features need --fit VOCAB"},
      {"--max-features with --vocab",
       [](MlfeatOptions& o) {
         o.vocab = "v.tsv";
         o.max_features_given = true;
       },
       "--min-df and --max-features need --fit VOCAB"},
      {"--hash-bits with --vocab",
       [](MlfeatOptions& o) {
         o.vocab = "v.tsv";
         o.hash_bits_given = true;
       },
       "--hash-bits is for the hashing trick; it cannot be given with --fit or --vocab"},
      {"--hash-bits with --fit",
       [](MlfeatOptions& o) {
         o.fit = "v.tsv";
         o.hash_bits_given = true;
       },
       "--hash-bits is for the hashing trick; it cannot be given with --fit or --vocab"},
      {"tfidf while hashing", [](MlfeatOptions& o) { o.weight = "tfidf"; }, tfidf},
      {"an unknown group", [](MlfeatOptions& o) { o.groups = {"nouns"}; },
       "--group nouns: unknown feature group 'nouns' (known: claim-cues, evidence-cues, shape, opinion, topic, "
       "syntax, position, discourse, wordnet)"},
      {"a group twice",
       [](MlfeatOptions& o) {
         o.groups = {"shape", "topic", "shape"};
       },
       "--group shape: given twice"},
      {"an empty topic field", [](MlfeatOptions& o) { o.topic_field = ""; }, "--topic-field: empty field name"},
      {"--topic without a topic group", [](MlfeatOptions& o) { o.topic = "ban boxing"; },
       "--topic: these features have no topic group (add --group topic, or use a spec with it)"},
  };
  for (const MlfeatUsageCase& c : cases) {
    CAPTURE(c.what);
    MlfeatOptions o;
    c.set(o);
    CHECK(usage_error(o) == c.message);
  }
  MlfeatOptions stem;
  stem.stem = "klingon";
  CHECK(usage_error(stem).starts_with("--stem: unknown language 'klingon' (expected none or one of: "));
}

TEST_CASE("mlfeat settings: the defaults make the default spec, hashed") {
  const MlfeatSettings s = mlfeat_settings(MlfeatOptions{});
  CHECK(canonical_spec_json(s.stage.spec) == canonical_spec_json(FeatureSpec{}));
  CHECK_FALSE(s.read_spec);
  CHECK(s.stop_words_file.empty());
  CHECK(s.stage.spec_file.empty());
  CHECK(s.stage.text_field == "text");
  CHECK_FALSE(s.stage.libsvm);
  CHECK(s.stage.label_field == "label");
  CHECK(s.stage.fit_path.empty());
  CHECK(s.stage.write_spec.empty());
  CHECK(s.stage.topic.empty());
}

TEST_CASE("mlfeat settings: each feature option reaches the spec") {
  MlfeatOptions o;
  o.stop_words = "english";
  o.stem = "none";
  o.numbers = "keep";
  o.ngrams = 3;
  o.char_ngrams = "4";
  o.hash_bits = 12;
  o.weight = "sublinear";
  o.norm = "none";
  o.groups = {"topic", "syntax:pos=2"};
  o.topic_field = "meta.topic";
  o.long_docs = 40;
  o.topic = "ban boxing";
  FeatureSpec spec = mlfeat_settings(o).stage.spec;
  CHECK(spec.tokens.stop_words == "english");
  CHECK(spec.tokens.stem == "none");
  CHECK(spec.tokens.keep_numbers);
  CHECK(spec.tokens.ngrams == 3);
  CHECK(spec.tokens.char_min == 4);
  CHECK(spec.tokens.char_max == 4);
  CHECK(spec.hashing);
  CHECK(spec.hash_bits == 12);
  CHECK(spec.weight == Weight::sublinear);
  CHECK_FALSE(spec.l2);
  REQUIRE(spec.groups.size() == 2);
  CHECK(spec.groups[0].name == "topic");
  CHECK(spec.groups[1].name == "syntax");
  CHECK(spec.groups[1].param("pos") == 2);
  CHECK(spec.topic_field == "meta.topic");
  CHECK(spec.long_docs == 40);

  o.char_ngrams = "2-5";
  spec = mlfeat_settings(o).stage.spec;
  CHECK(spec.tokens.char_min == 2);
  CHECK(spec.tokens.char_max == 5);
}

TEST_CASE("mlfeat settings: fitting, applying a vocabulary, and the output") {
  MlfeatOptions fit;
  fit.fit = "v.tsv";
  fit.min_df = 2;
  fit.min_df_given = true;
  fit.max_features = 100;
  fit.max_features_given = true;
  fit.weight = "tfidf";
  fit.write_spec = "s.json";
  fit.to = "libsvm";
  fit.label = "y";
  fit.text_field = "body.text";
  MlfeatSettings s = mlfeat_settings(fit);
  CHECK_FALSE(s.stage.spec.hashing);
  CHECK(s.stage.spec.weight == Weight::tfidf);
  CHECK(s.stage.fit_path == "v.tsv");
  CHECK(s.stage.min_df == 2);
  CHECK(s.stage.max_features == 100);
  CHECK(s.stage.write_spec == "s.json");
  CHECK(s.stage.libsvm);
  CHECK(s.stage.label_field == "y");
  CHECK(s.stage.text_field == "body.text");

  MlfeatOptions apply;
  apply.vocab = "v.tsv";
  apply.weight = "tfidf";
  s = mlfeat_settings(apply);
  CHECK_FALSE(s.stage.spec.hashing);
  CHECK(s.stage.spec.vocab.file == "v.tsv");
  CHECK(s.stage.fit_path.empty());
}

TEST_CASE("mlfeat settings: files are named, not read") {
  MlfeatOptions stop;
  stop.stop_words = "words.txt";
  MlfeatSettings s = mlfeat_settings(stop);
  CHECK(s.stage.spec.tokens.stop_words == "list");
  CHECK(s.stage.spec.tokens.stop_list.empty());
  CHECK(s.stop_words_file == "words.txt");

  // With --spec the spec is read later; --topic is checked against it then.
  MlfeatOptions spec;
  spec.spec = "s.json";
  spec.spec_given = true;
  spec.topic = "ban boxing";
  spec.text_field = "body";
  s = mlfeat_settings(spec);
  CHECK(s.read_spec);
  CHECK(s.stage.spec_file == "s.json");
  CHECK(s.stage.topic == "ban boxing");
  CHECK(s.stage.text_field == "body");
  CHECK(s.stop_words_file.empty());
  CHECK_THROWS_WITH_AS(check_topic_group(s.stage),
                       "--topic: these features have no topic group (add --group topic, or use a spec with it)", Error);
  s.stage.spec.groups.push_back(features::GroupSpec{"topic", {}});
  CHECK_NOTHROW(check_topic_group(s.stage));
}
