// mlfeat's feature spec loader: a spec that parses has a canonical form that parses to the
// same spec (the same canonical text again).
#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/features/spec_compare.h"
#include "mlpipe/features/spec_file.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  FeatureSpec spec;
  try {
    spec = parse_spec(text, "spec.json");
  } catch (const Error&) {
    return 0;
  }
  std::string canonical = canonical_spec_json(spec);
  try {
    FeatureSpec again = parse_spec(canonical, "spec.json");
    fuzz::expect(canonical_spec_json(again) == canonical, "a canonical spec reads back to itself");
    fuzz::expect(spec_mismatch(spec, again).empty(), "a canonical spec makes the same features");
  } catch (const Error& e) {
    fuzz::violated(std::string("the canonical form of a valid spec is refused: ") + e.what());
  }
  return 0;
}
