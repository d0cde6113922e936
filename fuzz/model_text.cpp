// A whole model as load_model reads it: the model file (libsvm or XGBoost JSON) and its
// sidecar, the input split at its first NUL byte (no NUL: no sidecar). A model that loads
// then predicts a few vectors every way it can.
#include <limits>
#include <string>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/model/model.h"

using namespace mlpipe;

namespace {

SparseVector vector_of(std::vector<std::uint32_t> idx, std::vector<float> val) {
  SparseVector x;
  x.idx = std::move(idx);
  x.val = std::move(val);
  return x;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  std::size_t nul = input.find('\0');
  std::string_view model_text = input.substr(0, nul);
  std::string sidecar = nul == std::string_view::npos ? std::string() : std::string(input.substr(nul + 1));
  Model m;
  try {
    m = load_model_from_text(model_text, sidecar, "fuzz.model");
  } catch (const Error&) {
    return 0;
  }
  static const std::vector<SparseVector> inputs = {
      vector_of({}, {}), vector_of({1, 2, 3, 4}, {0.5f, -1, 2, 0.25f}),
      vector_of({1, 3, 30, 1000, 70000}, {1, 1, -3, 1e6f, 2}),
      vector_of({2, 5, 7}, {std::numeric_limits<float>::max(), -1e-30f, 3})};
  Model::Scratch scratch;
  std::vector<double> values;
  for (const SparseVector& x : inputs) {
    try {
      if (m.decision_functions() == 1) (void)m.decision(x, scratch);
      m.decision_values(x, scratch, values);
      (void)m.predict(x, scratch);
      if (m.is_classifier()) {
        std::size_t c = m.predict_class(x, scratch);
        fuzz::expect(c < m.class_count(), "the predicted class is one of the model's");
        if (m.has_probability()) {
          c = m.predict_probability(x, scratch, values);
          fuzz::expect(c < m.class_count() && values.size() == m.class_count(), "one probability per class");
        }
      }
    } catch (const Error&) {
    }
  }
  return 0;
}
