#include "mlpipe/model/class_labels.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

std::string_view label_type_name(LabelType t) {
  switch (t) {
    case LabelType::number: return "number";
    case LabelType::string: return "string";
    case LabelType::boolean: return "boolean";
  }
  return "string";
}

namespace {

std::string_view article(LabelType t) {
  return t == LabelType::number ? "a number" : t == LabelType::string ? "a string" : "a boolean";
}

}  // namespace

void ClassLabels::check_class_number(double v) {
  if (v != std::floor(v) || std::fabs(v) > 2147483647.0)
    throw Error(fmt::format("class label {} is not an integer: classifiers need integer, string or boolean labels "
                            "(use --task regression for numeric targets)",
                            v));
}

std::size_t ClassLabels::number(double v) {
  // Refused with the row that holds it, so the error is located and --on-error=skip can skip it.
  check_class_number(v);
  return add(LabelType::number, v, fmt::format("{}", v));
}
std::size_t ClassLabels::string(std::string_view s) { return add(LabelType::string, 0, std::string(s)); }
std::size_t ClassLabels::boolean(bool b) { return add(LabelType::boolean, b ? 1 : 0, b ? "true" : "false"); }

void ClassLabels::expect_number(double v) {
  if (!types_.empty() && types_[0] != LabelType::number)
    throw Error(fmt::format("label '{}' is a number, but earlier labels are {}: labels must all be numbers, all "
                            "strings or all booleans",
                            v, article(types_[0])));
  if (types_.empty()) types_.push_back(LabelType::number);
}

bool targets_look_numeric(const std::vector<double>& targets) {
  const std::set<double> values(targets.begin(), targets.end());
  if (values.size() <= kMaxClassValues) return false;
  const bool whole = std::all_of(values.begin(), values.end(), [](double v) { return v == std::floor(v); });
  return !whole || values.size() * kRowsPerClassValue > targets.size();
}

std::size_t ClassLabels::add(LabelType type, double number, std::string key) {
  auto it = index_.find({type, key});
  if (it != index_.end()) return it->second;
  if (!types_.empty() && types_[0] != type)
    throw Error(fmt::format("label '{}' is {}, but earlier labels are {}: labels must all be numbers, all "
                            "strings or all booleans",
                            input_snippet(key), article(type), article(types_[0])));
  if (types_.empty()) types_.push_back(type);
  const std::size_t id = names_.size();
  index_.emplace(std::make_pair(type, key), id);
  names_.push_back(std::move(key));
  numbers_.push_back(number);
  return id;
}

void ClassLabels::order(Dataset& d, const std::string& positive) const {
  const std::size_t k = names_.size();
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  const LabelType kind = type();
  if (kind != LabelType::string)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return numbers_[a] > numbers_[b]; });
  if (!positive.empty()) {
    auto it = std::find_if(order.begin(), order.end(), [&](std::size_t c) { return names_[c] == positive; });
    if (it == order.end()) throw Error::usage(fmt::format("--positive {}: no such class in the data", positive));
    std::rotate(order.begin(), it, it + 1);
  }
  std::vector<std::size_t> rank(k);
  for (std::size_t i = 0; i < k; ++i) rank[order[i]] = i;
  for (double& t : d.target) t = double(rank[std::size_t(t)]);
  d.class_names.clear();
  d.class_labels.clear();
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t c = order[i];
    d.class_names.push_back(names_[c]);
    int label;
    if (kind == LabelType::number) {
      const double v = numbers_[c];
      if (v != std::floor(v) || std::fabs(v) > 2147483647.0)
        throw Error(fmt::format("class label {} is not an integer: classifiers need integer, string or boolean "
                                "labels (use --task regression for numeric targets)",
                                names_[c]));
      label = int(v);
    } else {
      label = k == 2 ? (i == 0 ? 1 : -1) : int(i + 1);
    }
    d.class_labels.push_back(label);
  }
  if (k == 2 && d.class_labels[0] == -1 && d.class_labels[1] == 1)
    throw Error::usage("--positive -1: with the labels 1 and -1, libsvm always makes 1 the first (positive) class");
}

}  // namespace mlpipe
