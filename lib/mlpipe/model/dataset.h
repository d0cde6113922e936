// Training rows in compressed form, laid out as libsvm's and liblinear's solvers read
// them: what every learner, scaling, imputation and cross-validation work on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlpipe {

// What a feature index of a tabular Dataset is (CSV columns, column_prep.h).
enum class FeatureKind : std::uint8_t {
  number,     // a number column: its value, NaN when missing
  indicator,  // one level of a category column: 1 in the rows of that level
};

// For classification, `target` holds class indices into class_names/class_labels (model
// order: the first class is the positive one).
struct Dataset {
  // Laid out as libsvm's svm_node (and liblinear's feature_node), so that rows are
  // handed to the solvers without copying.
  struct Node {
    int index;
    double value;
  };
  std::vector<Node> nodes;            // each row's features (indices increasing), then {-1, 0}
  std::vector<std::size_t> start;     // row r begins at nodes[start[r]]
  std::vector<double> target;
  bool classification = true;
  std::vector<std::string> class_names;  // model order
  std::vector<int> class_labels;         // the libsvm label of each class
  std::uint32_t max_index = 0;
  // Tabular rows (CSV columns, column_prep.h): the kind of each feature index ([0]
  // unused), for what is fitted on each training set (imputation.h). Empty for other data.
  // A tabular row holds every number feature, 0 included, and NaN for a missing cell
  // until imputed; indicators only where they are 1.
  std::vector<FeatureKind> kinds;

  std::size_t rows() const { return start.size(); }
  bool tabular() const { return !kinds.empty(); }
  std::size_t classes() const { return class_names.size(); }
  // Appends a row; throws Error for an index beyond libsvm's int range.
  template <typename Index, typename Value>
  void add_row(const std::vector<Index>& idx, const std::vector<Value>& val, double y);
  std::size_t features_of(std::size_t r) const;
};

// Each class's weight, by class index: n / (classes present × n_c) over `rows` (--balanced).
std::vector<double> balanced_weights(const Dataset& d, const std::vector<std::size_t>& rows);

[[noreturn]] void throw_index_too_large(std::uint64_t index);

template <typename Index, typename Value>
void Dataset::add_row(const std::vector<Index>& idx, const std::vector<Value>& val, double y) {
  start.push_back(nodes.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (std::uint64_t(idx[k]) > 2147483647u) throw_index_too_large(std::uint64_t(idx[k]));
    nodes.push_back({int(idx[k]), double(val[k])});
    if (std::uint32_t(idx[k]) > max_index) max_index = std::uint32_t(idx[k]);
  }
  nodes.push_back({-1, 0});
  target.push_back(y);
}

}  // namespace mlpipe
