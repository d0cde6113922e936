// The feature spec's names for its values.
#include "mlpipe/features/spec.h"

namespace mlpipe {

std::string_view weight_name(Weight w) {
  switch (w) {
    case Weight::binary:
      return "binary";
    case Weight::tf:
      return "tf";
    case Weight::tfidf:
      return "tfidf";
    case Weight::sublinear:
      return "sublinear";
  }
  return "tf";
}

}  // namespace mlpipe
