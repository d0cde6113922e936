// XGBoost's JSON model read by our tree walker: a model that parses gives finite-or-not
// margins for any vector without reading out of bounds, the same with either scratch.
#include <cmath>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/model/boosted_trees.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  TreeEnsemble t;
  try {
    t = TreeEnsemble::parse(fuzz::as_text(data, size), "fuzz.json");
  } catch (const Error&) {
    return 0;
  }
  fuzz::expect(t.outputs() >= 1, "a model has at least one output");
  fuzz::expect(t.leaves() <= t.nodes(), "leaves are nodes");
  static const std::vector<SparseVector> inputs = [] {
    std::vector<SparseVector> v(4);
    v[1].idx = {1, 2, 3, 4};
    v[1].val = {0.5f, -1, 2, 0.25f};
    v[2].idx = {1, 3, 30, 1000, 70000};
    v[2].val = {1, NAN, -3, 1e6f, 2};
    v[3].idx = {2, 5, 7, 4000000000u};
    v[3].val = {3e38f, -1e-30f, 3, 1};
    return v;
  }();
  TreeEnsemble::Scratch scratch;
  std::vector<float> margins(t.outputs()), again(t.outputs());
  for (const SparseVector& x : inputs) {
    t.margins(x, scratch, margins.data());
    TreeEnsemble::Scratch fresh;
    t.margins(x, fresh, again.data());
    for (std::size_t k = 0; k < margins.size(); ++k)
      fuzz::expect(margins[k] == again[k] || (std::isnan(margins[k]) && std::isnan(again[k])),
                   "margins do not depend on the scratch");
  }
  return 0;
}
