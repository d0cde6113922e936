#include "mlpipe/features/tool_mlfeat.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/features/groups.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/features/stage_mlfeat.h"
#include "mlpipe/features/stemmer.h"
#include "mlpipe/features/stop_words.h"

namespace mlpipe {

namespace {

struct Options {
  std::string text_field = "text";
  std::string stop_words = "none";
  std::string stem = "english";
  std::string numbers = "normalize";
  int ngrams = 1;
  std::string char_ngrams = "none";
  int hash_bits = 20;
  std::string fit, vocab;
  std::uint64_t min_df = 1, max_features = 0;
  std::string weight = "tf";
  std::string norm = "l2";
  std::string spec, write_spec;
  std::string to = "ndjson";
  std::string label = "label";
  std::vector<std::string> groups;
  std::string topic, topic_field = "topic";
  std::int64_t long_docs = 0;  // --long-docs: 0 for no copy
};

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

FeatureSpec spec_from_options(const Options& o, bool hash_bits_given, bool fit_options_given, const FileSource& files) {
  FeatureSpec spec;
  TokenSpec& t = spec.tokens;
  if (o.stop_words == "none" || o.stop_words == "english") {
    t.stop_words = o.stop_words;
  } else {
    t.stop_words = "list";
    t.stop_list = features::read_stop_words(o.stop_words, files);
  }
  features::check_stemmer_language(o.stem);
  t.stem = o.stem;
  t.keep_numbers = o.numbers == "keep";
  t.ngrams = o.ngrams;
  parse_char_ngrams(o.char_ngrams, t);

  if (!o.fit.empty() && !o.vocab.empty()) throw Error::usage("--fit and --vocab cannot be given together");
  bool fitted = !o.fit.empty() || !o.vocab.empty();
  if (fit_options_given && o.fit.empty()) throw Error::usage("--min-df and --max-features need --fit VOCAB");
  if (hash_bits_given && fitted)
    throw Error::usage("--hash-bits is for the hashing trick; it cannot be given with --fit or --vocab");
  spec.hashing = !fitted;
  spec.hash_bits = o.hash_bits;
  if (!o.vocab.empty()) spec.vocab.file = o.vocab;
  for (Weight w : {Weight::binary, Weight::tf, Weight::tfidf, Weight::sublinear})
    if (weight_name(w) == o.weight) spec.weight = w;
  if (spec.weight == Weight::tfidf && !fitted)
    throw Error::usage("--weight tfidf needs a fitted vocabulary (--fit VOCAB or --vocab VOCAB)");
  spec.l2 = o.norm == "l2";
  for (const std::string& g : o.groups) {
    features::GroupSpec group = features::parse_group_option(g);
    for (const features::GroupSpec& earlier : spec.groups)
      if (earlier.name == group.name) throw Error::usage(fmt::format("--group {}: given twice", group.name));
    spec.groups.push_back(std::move(group));
  }
  if (o.topic_field.empty()) throw Error::usage("--topic-field: empty field name");
  spec.topic_field = o.topic_field;
  spec.long_docs = o.long_docs;
  return spec;
}

StageFactory declare(CLI::App& app) {
  auto o = std::make_shared<Options>();
  std::vector<CLI::Option*> feature;  // the options a spec replaces
  app.add_option("--text-field", o->text_field, "Field holding the text (a dotted path reaches into objects)")
      ->type_name("FIELD")
      ->capture_default_str();
  feature.push_back(app.add_option("--stop-words", o->stop_words,
                                   "Drop stop words: none, english (built in), or FILE (one word per line)")
                        ->type_name("none|english|FILE")
                        ->capture_default_str());
  feature.push_back(app.add_option("--stem", o->stem, "Snowball stemmer: none, english, porter, german, …")
                        ->type_name("LANG|none")
                        ->capture_default_str());
  feature.push_back(
      app.add_option("--numbers", o->numbers, "normalize: every number is the token <num>; keep: as written")
          ->check(CLI::IsMember({"normalize", "keep"}))
          ->type_name("normalize|keep")
          ->capture_default_str());
  feature.push_back(app.add_option("--ngrams", o->ngrams, "Word n-grams of lengths 1 to N")
                        ->check(CLI::Range(1, 16))
                        ->type_name("N")
                        ->capture_default_str());
  feature.push_back(app.add_option("--char-ngrams", o->char_ngrams,
                                   "Character n-grams of MIN to MAX characters within each word (N: N-N)")
                        ->type_name("MIN-MAX|N|none")
                        ->capture_default_str());
  CLI::Option* hash_bits = app.add_option("--hash-bits", o->hash_bits, "Hashing trick: indices 1 to 2^B")
                               ->check(CLI::Range(1, 31))
                               ->type_name("B")
                               ->capture_default_str();
  feature.push_back(hash_bits);
  feature.push_back(
      app.add_option("--fit", o->fit, "Fit a vocabulary on the input, write it to VOCAB, and emit the input's features")
          ->type_name("VOCAB"));
  feature.push_back(app.add_option("--vocab", o->vocab, "Apply the fitted vocabulary VOCAB")->type_name("VOCAB"));
  CLI::Option* min_df = app.add_option("--min-df", o->min_df, "With --fit: keep terms in at least N records")
                            ->check(positive_number())
                            ->type_name("N")
                            ->capture_default_str();
  CLI::Option* max_features =
      app.add_option("--max-features", o->max_features,
                     "With --fit: keep the N terms in most records (ties: bytewise first); 0: all")
          ->type_name("N")
          ->capture_default_str();
  feature.push_back(min_df);
  feature.push_back(max_features);
  feature.push_back(app.add_option("--weight", o->weight, "Feature values: binary, tf, tfidf, sublinear (1+ln tf)")
                        ->check(CLI::IsMember({"binary", "tf", "tfidf", "sublinear"}))
                        ->type_name("binary|tf|tfidf|sublinear")
                        ->capture_default_str());
  feature.push_back(app.add_option("--norm", o->norm, "Scale each vector to unit length (l2) or not (none)")
                        ->check(CLI::IsMember({"l2", "none"}))
                        ->type_name("l2|none")
                        ->capture_default_str());
  feature.push_back(app.add_option("--group", o->groups,
                                   "Add a feature group after the words, repeatable: claim-cues, evidence-cues, "
                                   "shape, opinion, topic, syntax[:pos=N,tree=D,bits=B], position, discourse, "
                                   "wordnet (see mlfeat(1))")
                        ->type_name("NAME[:KEY=VALUE,…]")
                        ->take_all()
                        ->expected(1)
                        ->allow_extra_args(false));
  feature.push_back(app.add_option("--topic-field", o->topic_field,
                                   "With feature groups: the field holding each record's topic")
                        ->type_name("FIELD")
                        ->capture_default_str());
  feature.push_back(app.add_option("--long-docs", o->long_docs,
                                   "Give sentences of documents longer than N sentences (or of unknown length) a "
                                   "second copy of their features, so one model learns long texts apart")
                        ->check(CLI::Range(std::int64_t(1), std::int64_t(INT32_MAX)))
                        ->type_name("N"));
  app.add_option("--topic", o->topic, "The topic of every record (instead of its topic field), for the topic group")
      ->type_name("TEXT");
  CLI::Option* spec =
      app.add_option("--spec", o->spec, "Take every feature option from the spec FILE")->type_name("FILE");
  app.add_option("--write-spec", o->write_spec, "Write the spec of these options to FILE (after fitting, with --fit)")
      ->type_name("FILE");
  app.add_option("--to", o->to, "Output: ndjson (records with features) or libsvm (label idx:val …)")
      ->check(CLI::IsMember({"ndjson", "libsvm"}))
      ->type_name("ndjson|libsvm")
      ->capture_default_str();
  app.add_option("--label", o->label, "With --to libsvm: the field holding the numeric label")
      ->type_name("FIELD")
      ->capture_default_str();

  return [o, feature, spec, hash_bits, min_df, max_features](const FileSource& files) -> std::unique_ptr<Stage> {
    features::FeatureSettings s;
    if (spec->count()) {
      for (CLI::Option* opt : feature)
        if (opt->count())
          throw Error::usage(
              fmt::format("{} cannot be given with --spec (the spec sets every feature option)", opt->get_name()));
      s.spec = read_spec_file(o->spec, files);
      s.spec_file = o->spec;
    } else {
      s.spec = spec_from_options(*o, hash_bits->count() > 0, min_df->count() + max_features->count() > 0, files);
    }
    s.text_field = o->text_field;
    s.topic = o->topic;
    bool topic_group = false;
    for (const features::GroupSpec& g : s.spec.groups) topic_group = topic_group || g.name == "topic";
    if (!s.topic.empty() && !topic_group)
      throw Error::usage("--topic: these features have no topic group (add --group topic, or use a spec with it)");
    s.libsvm = o->to == "libsvm";
    s.label_field = o->label;
    if (!o->fit.empty()) {
      s.fit_path = o->fit;
      s.min_df = o->min_df;
      s.max_features = o->max_features;
    }
    s.write_spec = o->write_spec;
    return std::make_unique<features::FeatureStage>(std::move(s), files);
  };
}

}  // namespace

const ToolDef& mlfeat_tool() {
  static const ToolDef tool{"mlfeat", "Turn the text of NDJSON records into sparse feature vectors", declare, true};
  return tool;
}

}  // namespace mlpipe
