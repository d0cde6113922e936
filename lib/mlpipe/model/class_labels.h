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

// Numeric labels that stand for a quantity rather than classes: more than kMaxClassValues
// distinct values, and either some is not a whole number or there are fewer than
// kRowsPerClassValue rows per value (too few to learn a class from; scikit-learn's diabetes
// target: 214 values in 442 rows). mltrain then trains a regression model unless --task
// (or --type) says otherwise; other numeric labels are classes, which must be integers.
inline constexpr std::size_t kMaxClassValues = 20;
inline constexpr std::size_t kRowsPerClassValue = 20;
bool targets_look_numeric(const std::vector<double>& targets);

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
  // Throws Error unless `v` can be a class label (an integer in libsvm's range).
  static void check_class_number(double v);
  // A numeric label while the task is not known yet (mltrain decides it from all the
  // labels: targets_look_numeric): checked against the labels' type as number() checks it,
  // without becoming a class; number() makes it one later, if classes they are.
  void expect_number(double v);

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
