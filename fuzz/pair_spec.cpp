// mllink's pair-spec loader: a spec that parses has a canonical form that parses to the
// same layout.
#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/pairs/pair_features.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  PairSpec spec;
  try {
    spec = parse_pair_spec(fuzz::as_text(data, size), "pairs.json");
  } catch (const Error&) {
    return 0;
  }
  fuzz::expect(spec.max_index() <= 2147483647u, "pair indices fit libsvm's int");
  std::string canonical = canonical_pair_spec_json(spec);
  try {
    PairSpec again = parse_pair_spec(canonical, "pairs.json");
    fuzz::expect(canonical_pair_spec_json(again) == canonical, "a canonical pair spec reads back to itself");
  } catch (const Error& e) {
    fuzz::violated(std::string("the canonical form of a valid pair spec is refused: ") + e.what());
  }
  return 0;
}
