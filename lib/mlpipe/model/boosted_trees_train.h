// Training gradient-boosted trees with XGBoost (its C API) from a Dataset; the result is
// XGBoost's JSON model text, which TreeEnsemble::parse reads back for prediction.
//
//   BoostParams p; p.trees = 200; p.depth = 4;
//   std::string json = train_boosted_trees(data, p, {});   // every row
//   TreeEnsemble t = TreeEnsemble::parse(json, "model");
//
// Tasks, so that margins mean what the rest of mlpipe expects:
// - two classes: binary:logistic with y = 1 for the data's first class (class index 0), so
//   a margin > 0 means class_names[0] (mlpipe's positive class);
// - more classes: multi:softprob with y = the class index (margins in model order);
// - regression: reg:squarederror, starting from the mean target of the training rows.
// Class weights (and --balanced) become per-row weights. A row's absent features, and NaN
// values, are XGBoost's missing values.
//
// A random forest is one round of `parallel_trees` trees (XGBoost's num_parallel_tree),
// each grown on a row sample (`subsample`) choosing each split among a feature sample
// (`colsample_bynode`), with eta 1: XGBoost divides each tree's leaves by the number of
// trees, so the margins are the trees' average, and the model file is like any other.
//
// The same data, parameters and seed give the same bytes, whatever `threads` is. Trainings
// may run at once on different threads (cross-validation folds): XGBoost keeps its settings
// and its random engine per thread and each call uses its own DMatrix and Booster.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mlpipe/model/dataset.h"

namespace mlpipe {

struct BoostParams {
  int trees = 100;              // boosting rounds (trees per class for multi-class)
  int parallel_trees = 1;       // trees grown in each round (a forest: many, in one round)
  int depth = 6;                // max_depth
  double eta = 0.3;             // learning rate
  double subsample = 1;         // fraction of rows per tree
  double colsample = 1;         // fraction of features per tree (colsample_bytree)
  double colsample_bynode = 1;  // fraction of those tried at each split
  double min_child_weight = 1;  // least hessian sum in a leaf
  double lambda = 1;            // L2 regularisation of leaf values
  unsigned seed = 1;
  int threads = 1;              // XGBoost's nthread
  bool balanced = false;        // weight classes by n / (classes present * n_c)
  std::vector<double> class_weight;  // per class index, multiplied in; empty: 1 for all
};

// Checks the parameters (Error::usage naming the bad one).
void check_boost_params(const BoostParams& p, const Dataset& d);

// Trains on the rows listed in `rows` (all rows when empty) and returns the JSON model.
// Throws Error::usage for bad parameters and Error with XGBoost's message if it fails.
// Prints nothing.
std::string train_boosted_trees(const Dataset& d, const BoostParams& p, const std::vector<std::size_t>& rows = {});

}  // namespace mlpipe
