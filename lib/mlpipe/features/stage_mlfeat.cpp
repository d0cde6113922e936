#include "mlpipe/features/stage_mlfeat.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/features/analyzer.h"
#include "mlpipe/features/group_set.h"
#include "mlpipe/features/groups.h"
#include "mlpipe/features/spec_compare.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/features/tokens_json.h"
#include "mlpipe/features/vocabulary.h"
#include "mlpipe/features/weighting.h"

namespace mlpipe::features {

FeatureStage::FeatureStage(FeatureSettings settings, const FileSource& files) : settings_(std::move(settings)) {
  FeatureSpec& spec = settings_.spec;
  check_stemmer_language(spec.tokens.stem);
  stop_words_ = std::make_shared<StopWords>(stop_word_list(spec.tokens));
  if (fitting()) {
    spec.hashing = false;
    return;
  }
  if (spec.hashing) {
    if (!spec.groups.empty()) groups_ = std::make_shared<GroupSet>(spec, word_dimension(spec), nullptr);
    spec_digest_ = feature_spec_digest(canonical_spec_json(spec));
    return;
  }
  std::shared_ptr<Vocabulary> vocab;
  try {
    vocab = std::make_shared<Vocabulary>(Vocabulary::read(spec.vocab.file, files));
  } catch (const Error& e) {
    // The path came from inside the spec, resolved against the spec's directory: say so,
    // since the user gave only the spec.
    if (settings_.spec_file.empty() || e.file() != spec.vocab.file) throw;
    throw Error(e.file(), e.line(),
                fmt::format("{} (the vocabulary of the spec {}, looked up beside it: a spec's vocabulary \"file\" "
                            "is relative to the spec's directory)",
                            e.what(), settings_.spec_file));
  }
  if (!spec.vocab.digest.empty() && spec.vocab.digest != vocab->digest())
    throw Error(spec.vocab.file, 0,
                fmt::format("the vocabulary has changed since the spec was written (digest {}, expected {})",
                            vocab->digest(), spec.vocab.digest));
  if (tokens_json(vocab->tokens()) != tokens_json(spec.tokens)) {
    FeatureSpec fitted = spec;
    fitted.tokens = vocab->tokens();
    throw Error::usage(fmt::format("{}: the vocabulary was fitted with other token options: {}", spec.vocab.file,
                                   spec_mismatch(fitted, spec)));
  }
  spec.vocab.digest = vocab->digest();
  spec.vocab.terms = vocab->terms().size();
  spec.vocab.docs = vocab->docs();
  vocab_ = std::move(vocab);
  if (!spec.groups.empty()) groups_ = std::make_shared<GroupSet>(spec, word_dimension(spec), vocab_.get());
  spec_digest_ = feature_spec_digest(canonical_spec_json(spec));
}

FeatureStage::~FeatureStage() = default;

namespace {

// What every mlfeat worker does per record up to the feature hashes.
class FeatureWorkerBase : public Worker {
 public:
  FeatureWorkerBase(const FeatureSettings& s, std::shared_ptr<const StopWords> stop, std::string spec_digest)
      : s_(s), analyzer_(s.spec.tokens, std::move(stop)), spec_digest_(std::move(spec_digest)) {
    for (const GroupSpec& g : s.spec.groups) topic_group_ = topic_group_ || g.name == "topic";
  }

 protected:
  // Indexes the record, reads its label (libsvm output) and text, and analyses the text.
  // Leaves the label's JSON text in label_.
  void read(const Record& r, TermList* terms) {
    const std::vector<Field>& fields = reader_.index(r);
    (void)fields;
    if (s_.libsvm) {
      std::optional<Field> lf = reader_.find(s_.label_field);
      if (!lf) throw Error(fmt::format("field '{}': missing (--to libsvm needs a numeric label)", s_.label_field));
      if (lf->type != JsonType::number)
        throw Error(fmt::format("field '{}': expected a number, found {} (--to libsvm needs numeric labels)",
                                s_.label_field, type_name(lf->type)));
      label_ = lf->raw;
    }
    std::optional<Field> tf = reader_.find(s_.text_field);
    if (!tf) throw Error(fmt::format("field '{}': missing (expected a string)", s_.text_field));
    std::string_view text = reader_.get_string(*tf);
    analyzer_.analyze(text, hashes_, terms);
    if (reads_view()) read_view(text);
  }

  // Groups read the sentence and its place; the long-document copy reads the place too.
  bool reads_view() const { return !s_.spec.groups.empty() || s_.spec.long_docs > 0; }

  // The long-document copy (spec.h): the vector again, shifted past the first copy.
  // `base`: the spec's base_dimension (known only once a vocabulary is fitted).
  void add_long_copy(const SentenceView& v, std::uint64_t base, SparseVector& x) const {
    if (s_.spec.long_docs <= 0 || (v.doc_sents >= 0 && v.doc_sents <= s_.spec.long_docs)) return;
    const std::size_t n = x.size();
    for (std::size_t i = 0; i < n; ++i) x.push(std::uint32_t(base + x.idx[i]), x.val[i]);
  }

  // What the feature groups read: copies, since the reader's strings do not outlive the
  // next read.
  void read_view(std::string_view text) {
    text_.assign(text);
    topic_.clear();
    if (!s_.topic.empty()) {
      topic_ = s_.topic;
    } else if (std::optional<Field> f = reader_.find(s_.spec.topic_field); f && f->type != JsonType::null) {
      if (f->type != JsonType::string)
        throw Error(fmt::format("field '{}': expected a string (the topic), found {}", s_.spec.topic_field,
                                type_name(f->type)));
      topic_.assign(reader_.get_string(*f));
    } else if (topic_group_) {
      // Without its topic a topic-aware vector is a degraded one that its models score
      // without a word: say so instead.
      throw Error(fmt::format("field '{}': missing, and the spec has the topic group (give each record its topic, "
                              "or every record one with --topic TEXT, or use a spec without the topic group)",
                              s_.spec.topic_field));
    }
    for (std::size_t k = 0; k < kPlaceFields.size(); ++k) {
      place_[k] = -1;
      if (std::optional<Field> f = reader_.find(kPlaceFields[k]); f && f->type == JsonType::number)
        place_[k] = reader_.get_integer(*f);
    }
  }
  SentenceView view() const { return with_place({text_, topic_}, place_); }

  // The record's fields that say where its sentence is, in SentenceView's order.
  static constexpr std::array<std::string_view, 6> kPlaceFields = {"para",       "sent",      "para_sent",
                                                                    "para_sents", "doc_paras", "doc_sents"};
  using Place = std::array<std::int64_t, kPlaceFields.size()>;
  static SentenceView with_place(SentenceView v, const Place& p) {
    v.para = p[0];
    v.sent = p[1];
    v.para_sent = p[2];
    v.para_sents = p[3];
    v.doc_paras = p[4];
    v.doc_sents = p[5];
    return v;
  }

  // Starts the output line: the record's fields but `features`, or the libsvm label.
  // Returns whether a JSON object was opened with fields in it.
  void begin_output(std::string& out) {
    if (s_.libsvm) {
      out.append(label_);
      return;
    }
    JsonWriter w(out);
    w.begin_object();
    w.copy_fields(reader_.fields(), {"features"});
  }
  // Ends it with the vector.
  void end_output(std::string& out, const SparseVector& v) {
    if (s_.libsvm) {
      writer_.libsvm(out, v);
      out.push_back('\n');
      return;
    }
    if (out.back() != '{') out.push_back(',');
    out += "\"features\":";
    writer_.json(out, v);
    // What the vector was made with, inside it, so that it goes wherever the vector goes.
    out.pop_back();
    out += ",\"spec\":\"";
    out += spec_digest_;
    out += "\"}}\n";
  }

  const FeatureSettings& s_;
  JsonReader reader_;
  Analyzer analyzer_;
  VectorWriter writer_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> indices_;
  SparseVector vector_;
  std::string_view label_;
  std::string text_, topic_;
  Place place_{-1, -1, -1, -1, -1, -1};
  std::string spec_digest_;  // core/spec_digest.h; a fitting worker knows it once fitted
  bool topic_group_ = false;
};

class ApplyWorker : public FeatureWorkerBase {
 public:
  ApplyWorker(const FeatureSettings& s, std::shared_ptr<const StopWords> stop, const Vocabulary* vocab,
              const GroupSet* groups, std::string spec_digest)
      : FeatureWorkerBase(s, std::move(stop), std::move(spec_digest)),
        vocab_(vocab),
        groups_(groups ? std::make_unique<GroupSet::Runner>(*groups) : nullptr),
        max_index_(std::uint32_t(word_dimension(s.spec))) {}

  void process(const Record& r, std::string& out) override {
    read(r, nullptr);
    indices_.clear();
    if (vocab_) {
      for (std::uint64_t h : hashes_)
        if (std::uint32_t i = vocab_->lookup(h)) indices_.push_back(i);
    } else {
      const std::uint64_t mask = (std::uint64_t(1) << s_.spec.hash_bits) - 1;
      for (std::uint64_t h : hashes_) indices_.push_back(std::uint32_t(h & mask) + 1);
    }
    weigh(indices_, s_.spec.weight, vocab_, s_.spec.l2, vector_, max_index_, scratch_);
    if (groups_) groups_->append(view(), vector_);
    add_long_copy(view(), base_dim_, vector_);
    begin_output(out);
    end_output(out, vector_);
  }

 private:
  const Vocabulary* vocab_;
  std::unique_ptr<GroupSet::Runner> groups_;
  std::uint32_t max_index_;
  const std::uint64_t base_dim_ = base_dimension(s_.spec);
  std::vector<std::uint32_t> scratch_;
};

// Fitting: counts document frequencies and holds each record (its output prefix and its
// feature counts) until the vocabulary is known.
class FitWorker : public FeatureWorkerBase {
 public:
  FitWorker(const FeatureSettings& s, std::shared_ptr<const StopWords> stop) : FeatureWorkerBase(s, std::move(stop), "") {}

  void process(const Record& r, std::string& out) override {
    read(r, &terms_);
    builder_.add_document(hashes_, terms_);
    std::sort(hashes_.begin(), hashes_.end());
    for (std::size_t i = 0; i < hashes_.size();) {
      std::size_t j = i + 1;
      while (j < hashes_.size() && hashes_[j] == hashes_[i]) ++j;
      held_counts_.push_back({hashes_[i], std::uint32_t(j - i)});
      i = j;
    }
    begin_output(held_text_);
    if (reads_view()) hold_view();
    held_.push_back({held_text_.size(), held_counts_.size(), held_views_.size()});
  }

  // Fits the vocabulary, writes it (and the spec), then the held records a few MB at a time.
  bool finish_part(std::string& out) override {
    const FeatureSettings& s = s_;
    if (!vocab_) {
      vocab_ = std::make_unique<Vocabulary>(builder_.build(s.spec.tokens, s.min_df, s.max_features));
      builder_ = VocabularyBuilder();
      write_file_atomically(s.fit_path, vocab_->to_tsv());
      FeatureSpec spec = s.spec;
      spec.hashing = false;
      spec.vocab = {s.fit_path, vocab_->digest(), vocab_->terms().size(), vocab_->docs()};
      if (!s.write_spec.empty()) write_spec_file(s.write_spec, spec);
      spec_digest_ = feature_spec_digest(canonical_spec_json(spec));
      fitted_base_ = base_dimension(spec);
      // Groups may weigh by the vocabulary (the topic's TF-IDF), so they run only now.
      if (!spec.groups.empty()) {
        groups_ = std::make_unique<GroupSet>(spec, word_dimension(spec), vocab_.get());
        group_runner_ = std::make_unique<GroupSet::Runner>(*groups_);
      }
    }
    const std::size_t start = out.size();
    const std::uint32_t max_index = std::uint32_t(std::max<std::size_t>(1, vocab_->terms().size()));
    while (next_ < held_.size() && out.size() - start < (std::size_t(4) << 20)) {
      const Held& h = held_[next_++];
      indices_.clear();
      for (; count_at_ < h.counts_end; ++count_at_) {
        const auto& [hash, count] = held_counts_[count_at_];
        if (std::uint32_t i = vocab_->lookup(hash)) indices_.insert(indices_.end(), count, i);
      }
      weigh(indices_, s.spec.weight, vocab_.get(), s.spec.l2, vector_, max_index, scratch_);
      if (reads_view()) {
        const SentenceView v = held_view(view_at_);
        if (group_runner_) group_runner_->append(v, vector_);
        add_long_copy(v, fitted_base_, vector_);
        view_at_ = h.views_end;
      }
      out.append(held_text_, text_at_, h.text_end - text_at_);
      text_at_ = h.text_end;
      end_output(out, vector_);
    }
    if (next_ < held_.size()) return true;
    held_ = {};
    held_text_ = {};
    held_counts_ = {};
    held_views_ = {};
    next_ = text_at_ = count_at_ = view_at_ = 0;
    return false;
  }

  void finish(std::string& out) override {
    while (finish_part(out)) {
    }
  }

 private:
  // A held record's sentence view, packed: its place, text size, text, topic size, topic.
  void hold_view() {
    auto put = [&](std::uint64_t v) { held_views_.append(reinterpret_cast<const char*>(&v), sizeof v); };
    for (std::int64_t x : place_) put(std::uint64_t(x));
    put(text_.size());
    held_views_ += text_;
    put(topic_.size());
    held_views_ += topic_;
  }
  SentenceView held_view(std::size_t at) const {
    auto get = [&](std::size_t& p) {
      std::uint64_t v;
      std::memcpy(&v, held_views_.data() + p, sizeof v);
      p += sizeof v;
      return v;
    };
    Place place;
    for (std::int64_t& x : place) x = std::int64_t(get(at));
    SentenceView v = with_place({}, place);
    std::size_t n = get(at);
    v.text = std::string_view(held_views_).substr(at, n);
    at += n;
    n = get(at);
    v.topic = std::string_view(held_views_).substr(at, n);
    return v;
  }

  struct Held {
    std::size_t text_end, counts_end, views_end;
  };
  TermList terms_;
  VocabularyBuilder builder_;
  std::string held_text_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> held_counts_;
  std::vector<Held> held_;
  std::unique_ptr<Vocabulary> vocab_;  // once fitted
  std::uint64_t fitted_base_ = 0;      // base_dimension of the fitted spec
  std::unique_ptr<GroupSet> groups_;   // once fitted
  std::unique_ptr<GroupSet::Runner> group_runner_;
  std::string held_views_;
  std::size_t next_ = 0, text_at_ = 0, count_at_ = 0, view_at_ = 0;
  std::vector<std::uint32_t> scratch_;
};

}  // namespace

void FeatureStage::write_files() const {
  if (!fitting() && !settings_.write_spec.empty()) write_spec_file(settings_.write_spec, settings_.spec);
}

std::unique_ptr<Worker> FeatureStage::make_worker() const {
  if (fitting()) return std::make_unique<FitWorker>(settings_, stop_words_);
  return std::make_unique<ApplyWorker>(settings_, stop_words_, vocab_.get(), groups_.get(), spec_digest_);
}

}  // namespace mlpipe::features
