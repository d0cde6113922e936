// What the serve unit tests ask of a call that should be refused: the HTTP status of the
// RequestError it throws (0 when it throws none), and its message.
#pragma once

#include <string>

#include "mlpipe/serve/request_error.h"

namespace mlpipe::serve::testing {

template <typename F>
int status_of(F f, std::string& message) {
  try {
    f();
  } catch (const RequestError& e) {
    message = e.what();
    return e.status();
  }
  return 0;
}

}  // namespace mlpipe::serve::testing
