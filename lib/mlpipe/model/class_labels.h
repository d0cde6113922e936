// The classes of a training set: labels numbered by first appearance while rows are read,
// then put in model order (mltrain(1): numbers from the largest down, true before false,
// strings in order of first appearance; --positive NAME first).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlpipe {

struct Dataset;

// The JSON type of a training set's labels; a predicted class is written back as it.
enum class LabelType { number, string, boolean };
std::string_view label_type_name(LabelType t);

class ClassLabels {
 public:
  // The class index of a label, in order of first appearance. Throws Error when labels
  // of different JSON types are mixed.
  std::size_t number(double v);
  std::size_t string(std::string_view s);
  std::size_t boolean(bool b);

  std::size_t size() const { return names_.size(); }
  LabelType type() const { return types_.empty() ? LabelType::string : types_[0]; }

  // Puts the classes of `d` in model order: rewrites d.target from first-appearance
  // indices to model-order ones and fills d.class_names and d.class_labels (libsvm's
  // integer label of each class). Throws Error for a non-integer numeric class label and
  // Error::usage for an unknown --positive.
  void order(Dataset& d, const std::string& positive) const;

 private:
  std::size_t add(LabelType type, double number, std::string key);

  std::map<std::pair<LabelType, std::string>, std::size_t> index_;
  std::vector<LabelType> types_;     // the first label's, once seen
  std::vector<std::string> names_;   // by first appearance
  std::vector<double> numbers_;
};

}  // namespace mlpipe
