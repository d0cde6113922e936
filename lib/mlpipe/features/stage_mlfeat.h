// The mlfeat stage: records with text -> the same records with `features`
// (or libsvm lines). Applying a spec is concurrent; fitting a vocabulary (--fit) sees
// every record in order, holds them, and emits them at the end with the fitted indices.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/features/spec.h"

namespace mlpipe::features {

class Vocabulary;
class StopWords;
class GroupSet;

struct FeatureSettings {
  FeatureSpec spec;  // with a fitted vocabulary: spec.vocab.file is read
  std::string spec_file;  // the file the spec was read from (--spec), for messages; "" when none
  std::string text_field = "text";
  bool libsvm = false;  // --to libsvm
  std::string label_field = "label";
  // Fitting (--fit): the vocabulary file to write and its options.
  std::string fit_path;
  std::uint64_t min_df = 1;
  std::uint64_t max_features = 0;
  // The spec file to write (--write-spec; empty: none): when fitting, by the worker once the
  // vocabulary is known; otherwise by write_files().
  std::string write_spec;
  // The topic of every record (mlfeat --topic); empty: each record's spec.topic_field.
  std::string topic;
};

class FeatureStage : public Stage {
 public:
  // Reads the vocabulary a fitted spec names from `files`, and checks it against the spec
  // (digest, token options). Throws Error naming the file.
  FeatureStage(FeatureSettings settings, const FileSource& files);
  ~FeatureStage() override;

  bool concurrent() const override { return !fitting(); }
  Placement placement() const override { return fitting() ? Placement::one_rank() : Placement::anywhere(); }
  std::unique_ptr<Worker> make_worker() const override;
  void write_files() const override;

  bool fitting() const { return !settings_.fit_path.empty(); }
  const FeatureSettings& settings() const { return settings_; }
  // The spec the features follow (for a fitted vocabulary, complete once read).
  const FeatureSpec& spec() const { return settings_.spec; }

 private:
  FeatureSettings settings_;
  std::shared_ptr<const StopWords> stop_words_;
  std::shared_ptr<const Vocabulary> vocab_;
  std::shared_ptr<const GroupSet> groups_;  // applying a spec with groups
  std::string spec_digest_;                 // of the spec applied (core/spec_digest.h)
};

}  // namespace mlpipe::features
