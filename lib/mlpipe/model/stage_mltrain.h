// The mltrain stage: it collects the labelled rows it is given (labelled_rows.h) and, when
// the input ends, cross-validates, compares or searches as the settings say, prints the
// report, and trains and writes the model with its sidecar. One worker sees every row in
// order; under an MPI launcher the other ranks share the cross-validation (follow).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/stage.h"
#include "mlpipe/model/mltrain_settings.h"

namespace mlpipe {

class CsvTable;
class TrainRanks;

// The feature spec the records were made with (--spec): its text, kept in the sidecar, and
// its digest, which the vectors that name theirs must match. Both "" without --spec.
struct TrainSpec {
  std::string json;
  std::string digest;
};

class TrainStage : public Stage {
 public:
  // `spec_json`: the --spec file's text, one JSON object ("" without --spec).
  TrainStage(MltrainSettings settings, std::string spec_json);

  bool concurrent() const override { return false; }
  bool reads_header() const override { return csv_ != nullptr; }
  std::string_view input_unit() const override { return "rows"; }
  void header(const Record& line) const override;
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override;

  // A rank other than 0 under an MPI launcher: the rows and folds from rank 0, then the
  // same model selection as rank 0, whose trainings it shares; nothing printed. Returns the
  // exit status: an error here is the one rank 0 meets and reports too.
  int follow(TrainRanks& ranks) const;

 private:
  MltrainSettings settings_;
  TrainSpec spec_;
  std::shared_ptr<CsvTable> csv_;  // filled by header(), then read by the worker
};

}  // namespace mlpipe
