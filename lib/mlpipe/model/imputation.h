// Missing values and category levels of tabular rows (CSV columns, column_prep.h), fitted
// on the rows a model trains on: inside each cross-validation fold on that fold's training
// rows only, and on all rows for the model written. As with scaling, held-out rows never
// shape what their own prediction sees.
//
// A tabular Dataset holds each number column's value in every row (0 included: XGBoost
// tells a 0 from a missing value) and NaN where the cell was missing, and an indicator
// feature per category level, present (1) only in the rows of that level.
//
//   Imputation im = fit_imputation(d, train_rows);
//   Dataset ready = impute_dataset(d, im, /*keep_missing=*/false);
#pragma once

#include <cstddef>
#include <vector>

namespace mlpipe {

struct Dataset;

struct Imputation {
  // By feature index ([0] unused): a number feature's fill, the mean of the values the
  // rows hold (0 when they hold none); 0 for indicators.
  std::vector<double> fill;
  // By feature index: an indicator none of the rows holds. Its level is unknown to a model
  // trained on them, as a level first met at prediction time: dropped from every row, so
  // the held-out rows of that level set no indicator either.
  std::vector<char> unseen;
};

// Fits on `rows` of `d` (all rows when empty); `d` must be tabular (d.kinds not empty).
Imputation fit_imputation(const Dataset& d, const std::vector<std::size_t>& rows = {});

// Every row of `d` with its missing numbers filled and its unseen indicators dropped;
// with `keep_missing` (tree learners) a missing number stays NaN, which XGBoost takes
// as missing.
Dataset impute_dataset(const Dataset& d, const Imputation& im, bool keep_missing);

}  // namespace mlpipe
