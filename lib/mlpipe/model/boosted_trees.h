// Gradient-boosted trees as XGBoost writes them (its JSON model format), flattened for
// prediction without XGBoost:
//
//   TreeEnsemble t = TreeEnsemble::parse(text, "model.json");  // Error(FILE, 0, …) on a bad model
//   TreeEnsemble::Scratch scratch;                            // one per thread
//   std::vector<float> m(t.outputs());
//   t.margins(x, scratch, m.data());                          // what XGBoost's output_margin says
//
// Feature index i of a SparseVector is XGBoost's column i (column 0 is never set by a
// 1-based vector); an index the vector does not hold is a missing value and takes the
// node's default direction, exactly as for a CSR DMatrix. Margins are accumulated the way
// XGBoost's CPU predictor does (in float, base margin first, then the trees in file
// order, each adding to its class), so they are XGBoost's bit for bit.
//
// The file is untrusted: every index, child and count is checked at parse time, and the
// trees are copied in depth-first order so that a bad file cannot make prediction loop
// or read out of bounds. An ensemble is immutable after parsing and safe to use from many
// threads at once, each with its own Scratch; prediction allocates nothing once the
// scratch has grown to the model's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/sparse.h"

namespace mlpipe {

// The learning tasks whose margins we know how to turn into predictions.
enum class TreeTask {
  binary,      // binary:logistic — one margin, P(label 1) = sigmoid(margin)
  multiclass,  // multi:softprob, multi:softmax — one margin per class, softmax
  regression,  // reg:squarederror — the margin is the prediction
};

class TreeEnsemble {
 public:
  // Per-thread buffer: the input scattered by feature index (NaN = missing). Reusable
  // across ensembles.
  class Scratch {
   public:
    Scratch() = default;

   private:
    friend class TreeEnsemble;
    std::vector<float> dense;
  };

  TreeEnsemble() = default;  // no trees, one output: the margin 0

  // Parses an XGBoost JSON model (XGBoosterSaveModel to a ".json" name, or
  // XGBoosterSaveModelToBuffer with {"format":"json"}); `name` is used in errors.
  // Throws Error(name, 0, what) on invalid JSON, an unsupported booster or objective,
  // or any inconsistency (index out of range, bad child, shared node, cycle).
  static TreeEnsemble parse(std::string_view json, const std::string& name);

  TreeTask task() const { return task_; }
  const std::string& objective() const { return objective_; }  // as the file names it
  std::size_t outputs() const { return outputs_; }  // margins per row: classes (multi-class) or 1
  std::size_t classes() const;                      // 2 (binary), k (multi-class), 0 (regression)
  std::size_t trees() const { return roots_.size(); }
  std::size_t nodes() const { return nodes_.size(); }  // reachable nodes of all trees
  std::size_t leaves() const;
  int depth() const { return depth_; }                 // of the deepest tree (a lone leaf: 0)
  std::uint32_t max_index() const { return max_index_; }  // largest feature split on; 0 when none
  std::uint32_t num_feature() const { return num_feature_; }  // the columns XGBoost trained on
  float base_score() const { return base_score_; }    // as stored (probability for binary:logistic)
  float base_margin() const { return base_margin_; }  // what every margin starts from
  const std::string& version() const { return version_; }  // XGBoost's, "1.7.4"; "" when absent

  // The outputs() margins of x into out[0 … outputs()-1].
  void margins(const SparseVector& x, Scratch& scratch, float* out) const;

 private:
  // One node, 16 bytes. Trees are stored one after another, each in depth-first order.
  struct Node {
    std::uint32_t feature;   // split feature; bit 31 set: a missing value goes left
    float value;             // split threshold (go left when x < value), or the leaf value
    std::uint32_t child[2];  // absolute indices: [0] right, [1] left (indexed by "go left");
                             // a leaf is its own child both ways
  };
  static constexpr std::uint32_t kDefaultLeft = 0x80000000u;
  static constexpr std::size_t kBlock = 8;  // trees walked side by side

  static std::uint32_t step(const Node& node, float v);  // the child x goes to

  TreeTask task_ = TreeTask::regression;
  std::string objective_;
  std::string version_;
  std::size_t outputs_ = 1;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> roots_;  // first node of each tree
  std::vector<std::uint32_t> group_;  // output (class) each tree adds to
  std::vector<std::uint32_t> tree_depth_;   // of each tree
  std::vector<std::uint32_t> block_depth_;  // of the deepest tree of each block of kBlock
  std::uint32_t max_index_ = 0;
  std::uint32_t num_feature_ = 0;
  int depth_ = 0;
  float base_score_ = 0;
  float base_margin_ = 0;
  bool dense_ = true;  // features read through a dense scratch (else binary search in x)

  friend struct TreeParser;
};

}  // namespace mlpipe
