// A trained model ready to predict: a validated libsvm model file, or gradient-boosted
// trees in XGBoost's JSON format, plus the optional sidecar (MODEL.json, written by
// mltrain; its format is sidecar.h's). This is the API other modules use.
//
//   Model m = load_model("claim.model");          // Error(FILE, LINE, …) on a bad file
//   Model::Scratch scratch;                        // one per thread
//   double d = m.decision(features, scratch);      // binary: > 0 means m.class_names()[0]
//   if (m.is_linear()) { LinearWeights w = m.linear_weights(); /* d == w·x + w.bias */ }
//   if (!m.spec().empty() && m.spec() != my_spec) … // feature specs compare as strings
//
// A Model is immutable after loading, cheap to copy (shared state) and safe to use from
// many threads at once, each with its own Scratch. Predictions agree with libsvm's
// svm-predict: the same decision values (up to rounding), the same one-vs-one votes,
// the same pairwise-coupling probabilities.
//
// Speed: a linear kernel is collapsed at load into one weight vector per decision
// function, so prediction costs O(nonzeros of x) whatever the number of support vectors.
// Other kernels precompute support-vector norms and take sparse-dense products against
// the input scattered into a dense per-thread buffer.
//
// Tree models (is_trees(), learner() "xgboost") answer the same questions from their
// margins: decision() is the margin of a binary classifier (> 0: class_names()[0], which
// mltrain trains as XGBoost's label 1) or the regression value; a multi-class model has one
// margin per class (decision_values()), predict_class() is the largest, and probabilities
// are the sigmoid / softmax of the margins, as XGBoost's. Their labels and class names
// come from the sidecar's "classes"; without one, a binary model's classes are the labels
// 1 then 0 (XGBoost's label 1 is the positive class) and a multi-class model's 0 … k-1.
// What only an SVM has (file(), type(), kernel(), linear_weights()) throws Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/sparse.h"
#include "mlpipe/model/boosted_trees.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/svm_file.h"

namespace mlpipe {

// A linear model's decision function: decision(x) = Σ weight[k]·x[index[k]] + bias.
struct LinearWeights {
  std::vector<std::uint32_t> index;  // 1-based, strictly increasing; zero weights left out
  std::vector<double> weight;
  double bias = 0;
};

class Model {
 public:
  // Per-thread buffers for predictions. Reusable across models.
  class Scratch {
   public:
    Scratch() = default;

   private:
    friend class Model;
    std::vector<double> dense;    // the input scattered by feature index (kernel models)
    std::vector<double> kvalue;   // kernel value per support vector
    std::vector<double> dec;      // decision values
    std::vector<int> votes;
    std::vector<double> pairwise; // probability coupling
    std::vector<double> q, qp;
    SparseVector scaled;          // the input after the sidecar's scaling
    std::vector<float> margins;   // tree models
    TreeEnsemble::Scratch trees;
  };

  Model();  // an empty model; assign one from load_model()
  // Builds the predictor from a validated libsvm model and what its sidecar says.
  // `name` is the model's file name, used in errors (class names not matching labels).
  Model(SvmFile file, ModelInfo info, const std::string& name = "model");
  // A tree model from XGBoost's JSON model text (as train_boosted_trees returns it) and
  // what its sidecar says (info.class_labels / class_names: one per class, in model order;
  // empty: the defaults above). Throws Error(name, 0, …) on a bad model or a sidecar that
  // does not fit it.
  static Model from_trees(std::string_view json_text, ModelInfo info, const std::string& name = "model");

  bool is_trees() const;                   // gradient-boosted trees (XGBoost)
  std::string_view learner() const;        // "xgboost" or "libsvm" (liblinear models are libsvm files)
  const TreeEnsemble& trees() const;       // the trees; throws Error for a libsvm model

  SvmType type() const;                    // libsvm models only (throws Error for trees)
  KernelType kernel() const;               // libsvm models only (throws Error for trees)
  bool is_classifier() const;              // c-svc, nu-svc; binary:logistic, multi:softprob
  bool is_regression() const;              // epsilon-svr, nu-svr; reg:squarederror
  std::size_t class_count() const;         // classification: classes; otherwise 2 (libsvm's convention)
  const std::vector<int>& labels() const;  // labels, in model order (classification)
  // Class names in model order: the sidecar's, or the numeric labels as text.
  const std::vector<std::string>& class_names() const;
  std::size_t support_vectors() const;     // 0 for trees
  // SVM classification: k(k-1)/2; multi-class trees: k (one margin per class); otherwise 1.
  std::size_t decision_functions() const;
  std::uint32_t max_index() const;         // largest feature index the model uses
  // The features the model was trained on: indices 1 … dimension() (0: unknown, no sidecar).
  std::uint32_t dimension() const;
  // Can give class probabilities: trees (every classifier), libsvm models trained with
  // probability estimates, multi-class logistic regressions (their sidecar's intercepts).
  bool has_probability() const;
  const std::string& spec() const;         // the sidecar's feature spec, "" when none
  const ModelInfo& info() const;
  const SvmFile& file() const;             // the libsvm model as read; throws Error for trees

  // The single decision value of a binary classifier (> 0: class_names()[0]), of a
  // regression model (the predicted value) or of a one-class model (> 0: inside).
  // Throws Error for a model with more (or fewer) than one decision function.
  double decision(const SparseVector& x, Scratch& scratch) const;
  double decision(const SparseVector& x) const;  // with a temporary scratch
  // All decision values, in libsvm's order (classes (0,1), (0,2), …, (1,2), …); for trees
  // the margins (one per class for multi-class).
  void decision_values(const SparseVector& x, Scratch& scratch, std::vector<double>& out) const;
  // Classification: the predicted class index into labels(), by one-vs-one voting as
  // svm-predict does (trees: margin > 0 for binary, the largest margin otherwise). Other
  // types: throws Error.
  std::size_t predict_class(const SparseVector& x, Scratch& scratch) const;
  // Classification with probability: class probabilities (in model order) by libsvm's
  // pairwise coupling; returns the most probable class index (what svm-predict -b 1 says).
  // Trees: the sigmoid (binary) or softmax of the margins; returns predict_class().
  // A multi-class logistic regression: liblinear's, each class's sigmoid of w_c·x + b_c
  // divided by their sum; returns the most probable class (predict_class()'s).
  std::size_t predict_probability(const SparseVector& x, Scratch& scratch, std::vector<double>& probs) const;
  // What svm-predict prints: the label, the regression value, or ±1 for one-class.
  double predict(const SparseVector& x, Scratch& scratch) const;

  bool is_linear() const;  // linear kernel (collapsed to weight vectors at load); false for trees
  // The weights of a linear model with one decision function (binary, regression,
  // one-class). Throws Error otherwise.
  LinearWeights linear_weights() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  void compute(const SparseVector& x, Scratch& s) const;  // fills s.dec
};

// Loads a model file and its sidecar when there is one: a libsvm model, or XGBoost trees
// (recognised by content: a file starting with '{'). A sidecar's "learner", when given, must
// agree ("xgboost" for trees, anything else for libsvm), and its "model_file", when given,
// must be the size and checksum of the model file (a truncated or replaced file is refused).
// Throws Error(FILE, LINE, …) naming the model or the sidecar on any problem; never crashes on
// a bad file. Both files are read through `files`.
Model load_model(const std::string& path, const FileSource& files);

// A model from the texts of its file and sidecar ("" for none), as load_model() reads
// them; `name` is the model file's name for errors. mltrain checks what it writes with it.
Model load_model_from_text(std::string_view model_text, const std::string& sidecar_text, const std::string& name);

}  // namespace mlpipe
