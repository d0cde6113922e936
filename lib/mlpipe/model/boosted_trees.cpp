#include "mlpipe/model/boosted_trees.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe {

namespace od = simdjson::ondemand;

namespace {

// Feature tables indexed by feature number are used up to this many entries (16 MiB of
// floats per thread); a model splitting on larger indices is read by binary search in x.
constexpr std::size_t kDenseEntries = std::size_t(1) << 22;

// Nodes of all trees together stay addressable by a 31-bit child index.
constexpr std::size_t kMaxNodes = std::size_t(std::numeric_limits<std::int32_t>::max());

[[noreturn]] void bad(std::string what) { throw Error(std::move(what)); }

template <typename T>
T check(simdjson::simdjson_result<T>&& r, std::string_view where) {
  T value;
  if (auto err = std::move(r).get(value)) {
    if (err == simdjson::INCORRECT_TYPE) bad(fmt::format("{}: wrong JSON type", where));
    bad(fmt::format("invalid JSON at {}: {}", where, simdjson::error_message(err)));
  }
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Numbers are read from their text as floats: a float threshold written by XGBoost (shortest
// round-trip form) must come back as exactly that float, which parsing to double and then
// rounding to float does not guarantee.
float to_float(std::string_view text, std::string_view where) {
  const std::optional<float> v = parse_floating<float>(text);
  if (!v) bad(fmt::format("{}: expected a number, found '{}'", where, text.substr(0, 40)));
  if (!std::isfinite(*v)) bad(fmt::format("{}: expected a finite number, found '{}'", where, text.substr(0, 40)));
  return *v;
}

std::int64_t to_int(std::string_view text, std::string_view where) {
  const std::optional<std::int64_t> v = parse_integer<std::int64_t>(text);
  if (!v) bad(fmt::format("{}: expected an integer, found '{}'", where, text.substr(0, 40)));
  return *v;
}

od::object object_of(od::value v, std::string_view where) {
  if (check(v.type(), where) != od::json_type::object) bad(fmt::format("{}: expected an object", where));
  return check(v.get_object(), where);
}

od::array array_of(od::value v, std::string_view where) {
  if (check(v.type(), where) != od::json_type::array) bad(fmt::format("{}: expected an array", where));
  return check(v.get_array(), where);
}

std::string_view string_of(od::value v, std::string_view where) {
  if (check(v.type(), where) != od::json_type::string) bad(fmt::format("{}: expected a string", where));
  return check(v.get_string(), where);
}

// XGBoost writes its model parameters as strings ("num_class": "3").
std::int64_t int_param(od::value v, std::string_view where) { return to_int(string_of(v, where), where); }

template <typename F>
void each_element(od::value v, std::string_view where, F f) {
  for (auto element : array_of(v, where)) {
    od::value e = check(std::move(element), where);
    f(e);
  }
}

std::vector<float> floats(od::value v, std::string_view where) {
  std::vector<float> out;
  each_element(v, where, [&](od::value& e) { out.push_back(to_float(trim(e.raw_json_token()), where)); });
  return out;
}

std::vector<std::int64_t> ints(od::value v, std::string_view where) {
  std::vector<std::int64_t> out;
  each_element(v, where, [&](od::value& e) { out.push_back(to_int(trim(e.raw_json_token()), where)); });
  return out;
}

// default_left: 0/1 as XGBoost writes it (true/false accepted too).
std::vector<bool> flags(od::value v, std::string_view where) {
  std::vector<bool> out;
  each_element(v, where, [&](od::value& e) {
    std::string_view t = trim(e.raw_json_token());
    if (t == "true" || t == "1") out.push_back(true);
    else if (t == "false" || t == "0") out.push_back(false);
    else bad(fmt::format("{}: expected 0 or 1, found '{}'", where, t.substr(0, 40)));
  });
  return out;
}

// One tree as stored in the file, before validation.
struct RawTree {
  std::int64_t num_nodes = -1;
  std::vector<std::int64_t> left, right, split_index, split_type;
  std::vector<float> split_condition;
  std::vector<bool> default_left;
  bool categorical = false;  // non-empty "categories"
};

RawTree read_tree(od::value v, const std::string& where) {
  RawTree t;
  for (auto member : object_of(v, where)) {
    od::field f = check(std::move(member), where);
    std::string_view key = check(f.unescaped_key(), where);
    std::string at = fmt::format("{}.{}", where, key);
    od::value value = f.value();
    if (key == "left_children") t.left = ints(value, at);
    else if (key == "right_children") t.right = ints(value, at);
    else if (key == "split_indices") t.split_index = ints(value, at);
    else if (key == "split_conditions") t.split_condition = floats(value, at);
    else if (key == "default_left") t.default_left = flags(value, at);
    else if (key == "split_type") t.split_type = ints(value, at);
    else if (key == "categories") each_element(value, at, [&](od::value&) { t.categorical = true; });
    else if (key == "tree_param") {
      for (auto pm : object_of(value, at)) {
        od::field pf = check(std::move(pm), at);
        if (check(pf.unescaped_key(), at) == "num_nodes")
          t.num_nodes = int_param(pf.value(), at + ".num_nodes");
      }
    }
  }
  return t;
}

}  // namespace

// Reads the parts of the model that prediction needs and builds the flat node array.
struct TreeParser {
  explicit TreeParser(TreeEnsemble& ensemble) : e(ensemble) {}
  TreeEnsemble& e;
  std::int64_t num_class = 0, num_feature = 0, num_target = 1, num_trees = -1;
  std::string booster;
  bool have_base_score = false, have_learner = false;
  std::vector<std::int64_t> tree_info;
  std::size_t tree_count = 0;
  std::string max_at;  // where the largest feature index is split on
  // Reachability walk (reused across trees).
  std::vector<std::uint8_t> seen;
  std::vector<std::pair<std::int64_t, int>> stack;  // (file node, depth)
  std::vector<std::int32_t> position;               // file node -> our node index

  void learner(od::value v) {
    have_learner = true;
    for (auto member : object_of(v, "learner")) {
      od::field f = check(std::move(member), "learner");
      std::string_view key = check(f.unescaped_key(), "learner");
      if (key == "gradient_booster") gradient_booster(f.value());
      else if (key == "learner_model_param") model_param(f.value());
      else if (key == "objective") {
        for (auto om : object_of(f.value(), "learner.objective")) {
          od::field of = check(std::move(om), "learner.objective");
          if (check(of.unescaped_key(), "learner.objective") == "name")
            e.objective_ = std::string(string_of(of.value(), "learner.objective.name"));
        }
      }
    }
  }

  void model_param(od::value v) {
    const char* where = "learner.learner_model_param";
    for (auto member : object_of(v, where)) {
      od::field f = check(std::move(member), where);
      std::string_view key = check(f.unescaped_key(), where);
      std::string at = fmt::format("{}.{}", where, key);
      od::value value = f.value();
      if (key == "num_class") num_class = int_param(value, at);
      else if (key == "num_feature") num_feature = int_param(value, at);
      else if (key == "num_target") num_target = int_param(value, at);
      else if (key == "base_score") {
        e.base_score_ = to_float(string_of(value, at), at);
        have_base_score = true;
      }
    }
  }

  void gradient_booster(od::value v) {
    const char* where = "learner.gradient_booster";
    for (auto member : object_of(v, where)) {
      od::field f = check(std::move(member), where);
      std::string_view key = check(f.unescaped_key(), where);
      if (key == "name") booster = std::string(string_of(f.value(), "learner.gradient_booster.name"));
      else if (key == "model") gbtree_model(f.value());
    }
  }

  void gbtree_model(od::value v) {
    const char* where = "learner.gradient_booster.model";
    for (auto member : object_of(v, where)) {
      od::field f = check(std::move(member), where);
      std::string_view key = check(f.unescaped_key(), where);
      std::string at = fmt::format("{}.{}", where, key);
      od::value value = f.value();
      if (key == "tree_info") tree_info = ints(value, at);
      else if (key == "gbtree_model_param") {
        for (auto pm : object_of(value, at)) {
          od::field pf = check(std::move(pm), at);
          if (check(pf.unescaped_key(), at) == "num_trees") num_trees = int_param(pf.value(), at + ".num_trees");
        }
      } else if (key == "trees") {
        if (!e.roots_.empty()) bad(fmt::format("{}: given twice", at));
        each_element(value, at, [&](od::value& t) {
          add_tree(read_tree(t, fmt::format("{}[{}]", at, tree_count)));
          ++tree_count;
        });
      }
    }
  }

  // Checks one tree and appends its reachable nodes in depth-first order (children after
  // their parent, the left subtree first). Each node may be reached once: a child index
  // that points back up or to a node already used is a cycle or a shared node.
  void add_tree(const RawTree& t) {
    const std::string where = fmt::format("tree {}", tree_count);
    if (t.categorical || std::any_of(t.split_type.begin(), t.split_type.end(), [](std::int64_t s) { return s != 0; }))
      bad(fmt::format("{}: categorical splits are not supported", where));
    if (t.num_nodes < 1) bad(fmt::format("{}: expected tree_param.num_nodes >= 1", where));
    const std::size_t n = std::size_t(t.num_nodes);
    auto need = [&](std::size_t size, const char* array) {
      if (size != n) bad(fmt::format("{}: '{}' has {} entries, num_nodes is {}", where, array, size, n));
    };
    need(t.left.size(), "left_children");
    need(t.right.size(), "right_children");
    need(t.split_index.size(), "split_indices");
    need(t.split_condition.size(), "split_conditions");
    need(t.default_left.size(), "default_left");
    if (!t.split_type.empty()) need(t.split_type.size(), "split_type");
    if (e.nodes_.size() + n > kMaxNodes) bad(fmt::format("{}: too many nodes in the model", where));

    seen.assign(n, 0);
    position.assign(n, -1);
    stack.clear();
    stack.emplace_back(0, 0);
    const std::size_t first = e.nodes_.size();
    e.roots_.push_back(std::uint32_t(first));
    int tree_depth = 0;
    // Nodes are appended in preorder; a parent's right child is patched when it is placed.
    std::vector<std::pair<std::size_t, std::int64_t>> right_of;  // (our parent, file child)
    while (!stack.empty()) {
      auto [id, depth] = stack.back();
      stack.pop_back();
      const std::size_t i = std::size_t(id);
      seen[i] = 1;
      position[i] = std::int32_t(e.nodes_.size());
      tree_depth = std::max(tree_depth, depth);
      TreeEnsemble::Node node{};
      node.value = t.split_condition[i];
      if (t.left[i] == -1) {
        if (t.right[i] != -1) bad(fmt::format("{}: node {} has no left child but a right child {}", where, i, t.right[i]));
        // A leaf is its own child both ways: a walk of the tree's depth stops on it.
        node.child[0] = node.child[1] = std::uint32_t(e.nodes_.size());
      } else {
        for (std::int64_t c : {t.left[i], t.right[i]}) {
          if (c < 0 || std::size_t(c) >= n)
            bad(fmt::format("{}: node {} has child {}, outside 0..{}", where, i, c, n - 1));
          if (seen[std::size_t(c)])
            bad(fmt::format("{}: node {} has child {}, which is reached twice (a cycle or a shared node)", where, i, c));
          seen[std::size_t(c)] = 1;
        }
        // The upper bound, num_feature, may come later in the file: checked in finish().
        const std::int64_t f = t.split_index[i];
        if (f < 0 || f >= std::int64_t(TreeEnsemble::kDefaultLeft))
          bad(fmt::format("{}: node {} splits on feature {}, outside 0..2147483647", where, i, f));
        if (max_at.empty() || std::uint32_t(f) > e.max_index_)
          max_at = fmt::format("{}: node {} splits on feature {}", where, i, f);
        e.max_index_ = std::max(e.max_index_, std::uint32_t(f));
        node.feature = std::uint32_t(f) | (t.default_left[i] ? TreeEnsemble::kDefaultLeft : 0u);
        node.child[1] = std::uint32_t(e.nodes_.size() + 1);  // preorder: the left child comes next
        right_of.emplace_back(e.nodes_.size(), t.right[i]);
        stack.emplace_back(t.right[i], depth + 1);
        stack.emplace_back(t.left[i], depth + 1);
      }
      e.nodes_.push_back(node);
    }
    for (auto [parent, child] : right_of) e.nodes_[parent].child[0] = std::uint32_t(position[std::size_t(child)]);
    e.tree_depth_.push_back(std::uint32_t(tree_depth));
    e.depth_ = std::max(e.depth_, tree_depth);
  }

  void finish() {
    if (!have_learner) bad("not an XGBoost model: no \"learner\" object");
    if (booster != "gbtree")
      bad(booster.empty() ? std::string("learner: no \"gradient_booster\" with a \"name\"")
                          : fmt::format("booster '{}' is not supported (only gbtree)", booster));
    if (num_target != 1) bad(fmt::format("num_target {} is not supported (one target only)", num_target));
    if (num_feature < 0 || num_feature > std::int64_t(TreeEnsemble::kDefaultLeft))
      bad(fmt::format("num_feature {} is out of range", num_feature));
    e.num_feature_ = std::uint32_t(num_feature);
    if (!max_at.empty() && std::int64_t(e.max_index_) >= num_feature)
      bad(fmt::format("{}, outside the model's num_feature {}", max_at, num_feature));
    if (!have_base_score) bad("learner.learner_model_param: no \"base_score\"");
    const std::string& obj = e.objective_;
    if (obj == "binary:logistic") {
      e.task_ = TreeTask::binary;
      if (!(e.base_score_ > 0 && e.base_score_ < 1))
        bad(fmt::format("base_score {} must be in (0, 1) for binary:logistic", e.base_score_));
      // XGBoost's ProbToMargin for the logistic loss, in float as XGBoost computes it.
      e.base_margin_ = -std::log(1.0f / e.base_score_ - 1.0f);
    } else if (obj == "multi:softprob" || obj == "multi:softmax") {
      e.task_ = TreeTask::multiclass;
      e.base_margin_ = e.base_score_;
    } else if (obj == "reg:squarederror") {
      e.task_ = TreeTask::regression;
      e.base_margin_ = e.base_score_;
    } else {
      bad(obj.empty() ? std::string("learner.objective: no \"name\"")
                      : fmt::format("objective '{}' is not supported (binary:logistic, multi:softprob, "
                                    "multi:softmax, reg:squarederror)",
                                    obj));
    }
    if (e.task_ == TreeTask::multiclass) {
      if (num_class < 2 || num_class > 1000000)
        bad(fmt::format("{} needs num_class >= 2, found {}", obj, num_class));
      e.outputs_ = std::size_t(num_class);
    } else {
      if (num_class > 1) bad(fmt::format("{} with num_class {}", obj, num_class));
      e.outputs_ = 1;
    }
    if (num_trees != std::int64_t(e.roots_.size()))
      bad(fmt::format("gbtree_model_param.num_trees is {}, but there are {} trees", num_trees, e.roots_.size()));
    if (tree_info.size() != e.roots_.size())
      bad(fmt::format("tree_info has {} entries for {} trees", tree_info.size(), e.roots_.size()));
    for (std::size_t t = 0; t < tree_info.size(); ++t) {
      if (tree_info[t] < 0 || std::size_t(tree_info[t]) >= e.outputs_)
        bad(fmt::format("tree {} belongs to output {}, outside 0..{}", t, tree_info[t], e.outputs_ - 1));
      e.group_.push_back(std::uint32_t(tree_info[t]));
    }
    e.dense_ = std::size_t(e.max_index_) + 1 <= kDenseEntries;
    for (std::size_t b = 0; b < e.roots_.size(); b += TreeEnsemble::kBlock) {
      std::uint32_t steps = 0;
      for (std::size_t t = b; t < std::min(b + TreeEnsemble::kBlock, e.roots_.size()); ++t)
        steps = std::max(steps, e.tree_depth_[t]);
      e.block_depth_.push_back(steps);
    }
  }
};

TreeEnsemble TreeEnsemble::parse(std::string_view json, const std::string& name) {
  TreeEnsemble e;
  try {
    simdjson::padded_string padded(json);
    od::parser parser;
    od::document doc = check(parser.iterate(padded), "the start");
    od::json_type type;
    if (auto err = doc.type().get(type)) bad(fmt::format("invalid JSON: {}", simdjson::error_message(err)));
    if (type != od::json_type::object) bad("not an XGBoost model: expected a JSON object");
    od::object root = check(doc.get_object(), "the top level");
    TreeParser p(e);
    for (auto member : root) {
      od::field f = check(std::move(member), "the top level");
      std::string_view key = check(f.unescaped_key(), "the top level");
      od::value value = f.value();
      if (key == "learner") {
        p.learner(value);
      } else if (key == "version") {
        std::vector<std::int64_t> v = ints(value, "version");
        for (std::size_t i = 0; i < v.size(); ++i) e.version_ += (i ? "." : "") + std::to_string(v[i]);
      }
    }
    // Anything after the closing brace (current_location fails only at the end).
    const char* rest = nullptr;
    if (!doc.current_location().get(rest)) bad("invalid JSON: unexpected content after the model");
    p.finish();
  } catch (Error& err) {
    throw Error(name, 0, err.what());
  }
  return e;
}

std::size_t TreeEnsemble::classes() const {
  switch (task_) {
    case TreeTask::binary: return 2;
    case TreeTask::multiclass: return outputs_;
    case TreeTask::regression: return 0;
  }
  return 0;
}

std::size_t TreeEnsemble::leaves() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) n += nodes_[i].child[1] == i;
  return n;
}

// One step down: XGBoost's rule, a missing value (NaN) takes the default child, otherwise
// left when x < threshold. Written without branches (integer flags, the child picked by
// index): which way a row goes is not predictable, and a mispredicted branch per node
// costs more than the arithmetic.
inline std::uint32_t TreeEnsemble::step(const Node& node, float v) {
  const std::uint32_t less = v < node.value;
  const std::uint32_t missing = std::isnan(v);
  return node.child[less | (missing & (node.feature >> 31))];
}

void TreeEnsemble::margins(const SparseVector& x, Scratch& s, float* out) const {
  for (std::size_t g = 0; g < outputs_; ++g) out[g] = base_margin_;
  const std::size_t n = x.size();
  const std::uint32_t* xi = x.idx.data();
  const float* xv = x.val.data();
  const std::size_t ntrees = roots_.size();
  const Node* nodes = nodes_.data();
  if (dense_) {
    const std::size_t size = std::size_t(max_index_) + 1;
    if (s.dense.size() < size) s.dense.assign(size, std::numeric_limits<float>::quiet_NaN());
    float* dense = s.dense.data();
    for (std::size_t k = 0; k < n; ++k)
      if (xi[k] <= max_index_) dense[xi[k]] = xv[k];
    // kBlock trees walked side by side, a level at a time: their node loads are independent,
    // so the CPU overlaps them instead of waiting on one path at a time. Leaves loop on
    // themselves, so a block walks as deep as its deepest tree.
    std::size_t t = 0;
    for (std::size_t b = 0; t + kBlock <= ntrees; ++b, t += kBlock) {
      std::uint32_t cur[kBlock];
      for (std::size_t j = 0; j < kBlock; ++j) cur[j] = roots_[t + j];
      for (std::uint32_t level = 0; level < block_depth_[b]; ++level)
        for (std::size_t j = 0; j < kBlock; ++j) {
          const Node& node = nodes[cur[j]];
          cur[j] = step(node, dense[node.feature & ~kDefaultLeft]);
        }
      // Added in file order, as XGBoost adds them: the same float sums.
      for (std::size_t j = 0; j < kBlock; ++j) out[group_[t + j]] += nodes[cur[j]].value;
    }
    for (; t < ntrees; ++t) {
      std::uint32_t cur = roots_[t];
      for (std::uint32_t level = 0; level < tree_depth_[t]; ++level) {
        const Node& node = nodes[cur];
        cur = step(node, dense[node.feature & ~kDefaultLeft]);
      }
      out[group_[t]] += nodes[cur].value;
    }
    for (std::size_t k = 0; k < n; ++k)
      if (xi[k] <= max_index_) dense[xi[k]] = std::numeric_limits<float>::quiet_NaN();
  } else {
    // Features beyond a dense table's reach: looked up in x by binary search.
    for (std::size_t t = 0; t < ntrees; ++t) {
      std::uint32_t cur = roots_[t];
      for (std::uint32_t level = 0; level < tree_depth_[t]; ++level) {
        const Node& node = nodes[cur];
        const std::uint32_t f = node.feature & ~kDefaultLeft;
        const std::uint32_t* p = std::lower_bound(xi, xi + n, f);
        cur = step(node, p != xi + n && *p == f ? xv[p - xi] : std::numeric_limits<float>::quiet_NaN());
      }
      out[group_[t]] += nodes[cur].value;
    }
  }
}

}  // namespace mlpipe
