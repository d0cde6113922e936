// The libsvm model parser: a file that parses is written back (format_svm_file) to a file
// that parses to the same model.
#include "mlpipe/model/svm_file.h"

#include "harness.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SvmFile m;
  try {
    m = parse_svm_file(fuzz::as_text(data, size), "fuzz.model");
  } catch (const Error&) {
    return 0;
  }
  fuzz::expect(m.sv_start.back() == m.sv_index.size() && m.sv_index.size() == m.sv_value.size(),
               "support vectors cover their entries");
  fuzz::expect(m.sv_coef.size() == m.coef_rows() * m.total_sv(), "one coefficient per row and support vector");
  std::string text = format_svm_file(m);
  try {
    SvmFile again = parse_svm_file(text, "written.model");
    fuzz::expect(again.total_sv() == m.total_sv() && again.sv_index == m.sv_index && again.label == m.label &&
                     again.nr_sv == m.nr_sv && again.rho.size() == m.rho.size(),
                 "a model written reads back the same");
  } catch (const Error& e) {
    fuzz::violated(std::string("a model that parsed is refused once written: ") + e.what());
  }
  return 0;
}
