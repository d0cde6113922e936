// Training: labelled rows in, a model file and a ready Model out, with every learner of
// learner.h: train_model sends each to its trainer (libsvm_train.h, liblinear_train.h,
// boosted_trees_train.h); prepare_rows fits imputation and scaling on the rows trained on;
// train_final_model does both for the model mltrain writes. Cross-validation is in
// cross_validation.h, the parameters and what they resolve to in train_params.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/imputation.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// A trained model: the model file's text and the same model, ready to predict rows in the
// space it was trained in (Model applies a sidecar's scaling; this one has none).
struct Trained {
  std::string text;
  Model model;
  std::size_t solver_warnings = 0;  // libsvm or liblinear stopped at its iteration limit
  // A multi-class logistic regression (liblinear, one-vs-rest): each class's intercept
  // b_c, in model order. Its stored weight vector c is w_c, so that the class's score is
  // w_c·x + b_c and its probability, as liblinear gives it, the sigmoid of that score
  // divided by the sum of all classes' sigmoids. Empty for other models.
  std::vector<double> intercepts;
};

// Trains on the rows listed in `rows` (all rows when empty), as given (no scaling here).
// libsvm and liblinear models are libsvm model files (liblinear's and compact linear
// models hold one collapsed weight vector per decision function); xgboost's are its JSON.
// Trainings with liblinear or probability draw from libc's rand(), seeded from p.seed here:
// they take a process-wide lock, so that they run one at a time whichever thread calls
// (serial_training() says which, so that a pool need not tie up threads waiting for it).
Trained train_model(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows = {});
bool serial_training(const TrainParams& p, std::size_t rows);

// The rows as `p` trains on `rows` of `d` (all rows when empty): tabular rows with their
// missing values filled and unseen levels dropped as fitted on those rows (imputation.h;
// a tree learner keeps missing values missing), then scaled as fitted on them. `data`
// points at `d` itself when nothing changes it.
struct PreparedRows {
  std::optional<Dataset> owned;
  const Dataset* data = nullptr;
  Imputation imputation;  // fitted (tabular data only)
  Scaling scaling;
};
PreparedRows prepare_rows(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows = {});

// Fits the preparation (imputation, p.scale) on all rows and trains: what `mltrain -o`
// writes. A linear model has the scaling folded into its weights (it then reads raw
// features, in svm-predict too): `scaling` is none and `folded` says which method was
// folded.
struct TrainedWithScaling {
  Trained trained;
  Imputation imputation;  // tabular data: the fills a missing cell gets at prediction
  Scaling scaling;
  ScaleMethod folded = ScaleMethod::none;
};
TrainedWithScaling train_final_model(const Dataset& d, const TrainParams& p);

}  // namespace mlpipe
