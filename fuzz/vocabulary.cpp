// mlfeat's vocabulary loader (the TSV of --fit): a vocabulary that loads writes a file
// that loads to the same terms.
#include "mlpipe/features/vocabulary.h"

#include "harness.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;
using namespace mlpipe::features;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Vocabulary v;
  try {
    v = Vocabulary::parse(fuzz::as_text(data, size), "vocab.tsv");
  } catch (const Error&) {
    return 0;
  }
  for (std::uint32_t i = 1; i <= v.terms().size(); ++i) fuzz::expect(v.idf(i) > 0, "every term has a positive idf");
  std::string tsv = v.to_tsv();
  try {
    Vocabulary again = Vocabulary::parse(tsv, "vocab.tsv");
    fuzz::expect(again.terms().size() == v.terms().size() && again.docs() == v.docs(),
                 "a vocabulary written reads back with the same terms");
    fuzz::expect(again.to_tsv() == tsv, "a vocabulary written reads back to the same file");
  } catch (const Error& e) {
    fuzz::violated(std::string("a vocabulary that loaded is refused once written: ") + e.what());
  }
  return 0;
}
