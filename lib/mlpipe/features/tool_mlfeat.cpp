#include "mlpipe/features/tool_mlfeat.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/features/groups.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/features/stemmer.h"
#include "mlpipe/features/stop_words.h"

namespace mlpipe {

namespace {

// "none", "N" or "MIN-MAX".
void parse_char_ngrams(const std::string& v, TokenSpec& t) {
  t.char_min = t.char_max = 0;
  if (v == "none") return;
  auto bad = [&] {
    return Error::usage(fmt::format("--char-ngrams: '{}' is not MIN-MAX, N or none (1 <= MIN <= MAX <= 16)", v));
  };
  std::size_t dash = v.find('-');
  std::string_view a = std::string_view(v).substr(0, dash);
  std::string_view b = dash == std::string::npos ? a : std::string_view(v).substr(dash + 1);
  auto num = [&](std::string_view s) {
    const std::optional<int> x = parse_integer<int>(s);
    if (!x) throw bad();
    return *x;
  };
  t.char_min = num(a);
  t.char_max = num(b);
  if (t.char_min < 1 || t.char_max < t.char_min || t.char_max > 16) throw bad();
}

// How a text becomes terms; a stop-word file is named in `stop_words_file`, read later.
TokenSpec token_spec(const MlfeatOptions& o, std::string& stop_words_file) {
  TokenSpec t;
  if (o.stop_words == "none" || o.stop_words == "english") {
    t.stop_words = o.stop_words;
  } else {
    t.stop_words = "list";
    stop_words_file = o.stop_words;
  }
  features::check_stemmer_language(o.stem);
  t.stem = o.stem;
  t.keep_numbers = o.numbers == "keep";
  t.ngrams = o.ngrams;
  parse_char_ngrams(o.char_ngrams, t);
  return t;
}

// The vocabulary (hashed or fitted) and the values of its features.
void vocabulary_spec(const MlfeatOptions& o, FeatureSpec& spec) {
  if (!o.fit.empty() && !o.vocab.empty()) throw Error::usage("--fit and --vocab cannot be given together");
  bool fitted = !o.fit.empty() || !o.vocab.empty();
  if ((o.min_df_given || o.max_features_given) && o.fit.empty())
    throw Error::usage("--min-df and --max-features need --fit VOCAB");
  if (o.hash_bits_given && fitted)
    throw Error::usage("--hash-bits is for the hashing trick; it cannot be given with --fit or --vocab");
  spec.hashing = !fitted;
  spec.hash_bits = o.hash_bits;
  if (!o.vocab.empty()) spec.vocab.file = o.vocab;
  for (Weight w : {Weight::binary, Weight::tf, Weight::tfidf, Weight::sublinear})
    if (weight_name(w) == o.weight) spec.weight = w;
  if (spec.weight == Weight::tfidf && !fitted)
    throw Error::usage("--weight tfidf needs a fitted vocabulary (--fit VOCAB or --vocab VOCAB)");
  spec.l2 = o.norm == "l2";
}

// The feature groups after the words, and what they read.
void group_spec(const MlfeatOptions& o, FeatureSpec& spec) {
  for (const std::string& g : o.groups) {
    features::GroupSpec group = features::parse_group_option(g);
    for (const features::GroupSpec& earlier : spec.groups)
      if (earlier.name == group.name) throw Error::usage(fmt::format("--group {}: given twice", group.name));
    spec.groups.push_back(std::move(group));
  }
  if (o.topic_field.empty()) throw Error::usage("--topic-field: empty field name");
  spec.topic_field = o.topic_field;
  spec.long_docs = o.long_docs;
}

// The options whose presence matters, not only their value.
struct GivenOptions {
  std::vector<CLI::Option*> feature;  // the options a spec replaces, in declaration order
  CLI::Option* spec = nullptr;
  CLI::Option* hash_bits = nullptr;
  CLI::Option* min_df = nullptr;
  CLI::Option* max_features = nullptr;

  void fill(MlfeatOptions& o) const {
    o.spec_given = spec->count() > 0;
    o.hash_bits_given = hash_bits->count() > 0;
    o.min_df_given = min_df->count() > 0;
    o.max_features_given = max_features->count() > 0;
    o.feature_options_given.clear();
    for (CLI::Option* opt : feature)
      if (opt->count()) o.feature_options_given.push_back(opt->get_name());
  }
};

// The text field, and how its text becomes terms.
void declare_text_options(CLI::App& app, MlfeatOptions& o, GivenOptions& given) {
  std::vector<CLI::Option*>& feature = given.feature;
  app.add_option("--text-field", o.text_field, "Field holding the text (a dotted path reaches into objects)")
      ->type_name("FIELD")
      ->capture_default_str();
  feature.push_back(app.add_option("--stop-words", o.stop_words,
                                   "Drop stop words: none, english (built in), or FILE (one word per line)")
                        ->type_name("none|english|FILE")
                        ->capture_default_str());
  feature.push_back(app.add_option("--stem", o.stem, "Snowball stemmer: none, english, porter, german, …")
                        ->type_name("LANG|none")
                        ->capture_default_str());
  feature.push_back(
      app.add_option("--numbers", o.numbers, "normalize: every number is the token <num>; keep: as written")
          ->check(CLI::IsMember({"normalize", "keep"}))
          ->type_name("normalize|keep")
          ->capture_default_str());
  feature.push_back(app.add_option("--ngrams", o.ngrams, "Word n-grams of lengths 1 to N")
                        ->check(CLI::Range(1, 16))
                        ->type_name("N")
                        ->capture_default_str());
  feature.push_back(app.add_option("--char-ngrams", o.char_ngrams,
                                   "Character n-grams of MIN to MAX characters within each word (N: N-N)")
                        ->type_name("MIN-MAX|N|none")
                        ->capture_default_str());
}

// The vocabulary (hashed, fitted here, or applied) and the values of the word features.
void declare_vocabulary_options(CLI::App& app, MlfeatOptions& o, GivenOptions& given) {
  std::vector<CLI::Option*>& feature = given.feature;
  given.hash_bits = app.add_option("--hash-bits", o.hash_bits, "Hashing trick: indices 1 to 2^B")
                        ->check(CLI::Range(1, 31))
                        ->type_name("B")
                        ->capture_default_str();
  feature.push_back(given.hash_bits);
  feature.push_back(
      app.add_option("--fit", o.fit, "Fit a vocabulary on the input, write it to VOCAB, and emit the input's features")
          ->type_name("VOCAB"));
  feature.push_back(app.add_option("--vocab", o.vocab, "Apply the fitted vocabulary VOCAB")->type_name("VOCAB"));
  given.min_df = app.add_option("--min-df", o.min_df, "With --fit: keep terms in at least N records")
                     ->check(positive_number())
                     ->type_name("N")
                     ->capture_default_str();
  given.max_features = app.add_option("--max-features", o.max_features,
                                      "With --fit: keep the N terms in most records (ties: bytewise first); 0: all")
                           ->type_name("N")
                           ->capture_default_str();
  feature.push_back(given.min_df);
  feature.push_back(given.max_features);
  feature.push_back(app.add_option("--weight", o.weight, "Feature values: binary, tf, tfidf, sublinear (1+ln tf)")
                        ->check(CLI::IsMember({"binary", "tf", "tfidf", "sublinear"}))
                        ->type_name("binary|tf|tfidf|sublinear")
                        ->capture_default_str());
  feature.push_back(app.add_option("--norm", o.norm, "Scale each vector to unit length (l2) or not (none)")
                        ->check(CLI::IsMember({"l2", "none"}))
                        ->type_name("l2|none")
                        ->capture_default_str());
}

// Feature groups after the words, what they read, and the long-document copy.
void declare_group_options(CLI::App& app, MlfeatOptions& o, GivenOptions& given) {
  std::vector<CLI::Option*>& feature = given.feature;
  feature.push_back(app.add_option("--group", o.groups,
                                   "Add a feature group after the words, repeatable: claim-cues, evidence-cues, "
                                   "shape, opinion, topic, syntax[:pos=N,tree=D,bits=B], position, discourse, "
                                   "wordnet (see mlfeat(1))")
                        ->type_name("NAME[:KEY=VALUE,…]")
                        ->take_all()
                        ->expected(1)
                        ->allow_extra_args(false));
  feature.push_back(
      app.add_option("--topic-field", o.topic_field, "With feature groups: the field holding each record's topic")
          ->type_name("FIELD")
          ->capture_default_str());
  feature.push_back(app.add_option("--long-docs", o.long_docs,
                                   "Give sentences of documents longer than N sentences (or of unknown length) a "
                                   "second copy of their features, so one model learns long texts apart")
                        ->check(CLI::Range(std::int64_t(1), std::int64_t(INT32_MAX)))
                        ->type_name("N"));
  app.add_option("--topic", o.topic, "The topic of every record (instead of its topic field), for the topic group")
      ->type_name("TEXT");
}

// The spec read or written, and the output's form.
void declare_spec_and_output_options(CLI::App& app, MlfeatOptions& o, GivenOptions& given) {
  given.spec = app.add_option("--spec", o.spec, "Take every feature option from the spec FILE")->type_name("FILE");
  app.add_option("--write-spec", o.write_spec, "Write the spec of these options to FILE (after fitting, with --fit)")
      ->type_name("FILE");
  app.add_option("--to", o.to, "Output: ndjson (records with features) or libsvm (label idx:val …)")
      ->check(CLI::IsMember({"ndjson", "libsvm"}))
      ->type_name("ndjson|libsvm")
      ->capture_default_str();
  app.add_option("--label", o.label, "With --to libsvm: the field holding the numeric label")
      ->type_name("FIELD")
      ->capture_default_str();
}

StageFactory declare_mlfeat(CLI::App& app) {
  auto o = std::make_shared<MlfeatOptions>();
  auto given = std::make_shared<GivenOptions>();
  declare_text_options(app, *o, *given);
  declare_vocabulary_options(app, *o, *given);
  declare_group_options(app, *o, *given);
  declare_spec_and_output_options(app, *o, *given);
  return [o, given](const FileSource& files) -> std::unique_ptr<Stage> {
    MlfeatOptions options = *o;
    given->fill(options);
    MlfeatSettings s = mlfeat_settings(options);
    if (s.read_spec) {
      s.stage.spec = read_spec_file(s.stage.spec_file, files);
      check_topic_group(s.stage);
    }
    if (!s.stop_words_file.empty()) s.stage.spec.tokens.stop_list = features::read_stop_words(s.stop_words_file, files);
    return std::make_unique<features::FeatureStage>(std::move(s.stage), files);
  };
}

}  // namespace

void check_topic_group(const features::FeatureSettings& s) {
  bool topic_group = false;
  for (const features::GroupSpec& g : s.spec.groups) topic_group = topic_group || g.name == "topic";
  if (!s.topic.empty() && !topic_group)
    throw Error::usage("--topic: these features have no topic group (add --group topic, or use a spec with it)");
}

MlfeatSettings mlfeat_settings(const MlfeatOptions& o) {
  MlfeatSettings settings;
  features::FeatureSettings& s = settings.stage;
  if (o.spec_given) {
    if (!o.feature_options_given.empty())
      throw Error::usage(fmt::format("{} cannot be given with --spec (the spec sets every feature option)",
                                     o.feature_options_given.front()));
    settings.read_spec = true;
    s.spec_file = o.spec;
  } else {
    s.spec.tokens = token_spec(o, settings.stop_words_file);
    vocabulary_spec(o, s.spec);
    group_spec(o, s.spec);
  }
  s.text_field = o.text_field;
  s.topic = o.topic;
  if (!settings.read_spec) check_topic_group(s);
  s.libsvm = o.to == "libsvm";
  s.label_field = o.label;
  if (!o.fit.empty()) {
    s.fit_path = o.fit;
    s.min_df = o.min_df;
    s.max_features = o.max_features;
  }
  s.write_spec = o.write_spec;
  return settings;
}

const ToolDef& mlfeat_tool() {
  static const ToolDef tool{"mlfeat", "Turn the text of NDJSON records into sparse feature vectors", declare_mlfeat, true};
  return tool;
}

}  // namespace mlpipe
