// Cross-validation folds: stratified by class, or keeping groups whole. When records share
// something that makes them alike (the sentences of one document, the documents of one
// motion), a fold that holds some of a group while training on the rest measures memory,
// not generalisation: mltrain --group FIELD puts all the records of one group value into
// one fold.
#pragma once

#include <string>
#include <vector>

namespace mlpipe {

struct Dataset;

// Fold of each row (0..k-1): classes are shuffled separately (seeded) and dealt round
// robin, so every fold has each class in proportion. The same data, k and seed give the
// same folds on every machine.
std::vector<int> assign_folds(const Dataset& d, int k, unsigned seed);

// Fold (0..k-1) of each row, given each row's group (any string, e.g. the field's JSON
// text). Groups are ordered by a seeded shuffle, then placed largest first, each into the
// fold with the fewest rows so far (the lowest fold on ties): folds come out balanced by
// row count and the same on every machine for the same data, k and seed. Throws Error
// when there are fewer groups than folds.
std::vector<int> assign_group_folds(const std::vector<std::string>& group_of_row, int k, unsigned seed);

}  // namespace mlpipe
