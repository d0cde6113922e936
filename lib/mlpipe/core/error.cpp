#include "mlpipe/core/error.h"

#include <fmt/format.h>

namespace mlpipe {

std::string format_error(std::string_view tool, const Error& e) {
  if (!e.has_location()) return fmt::format("{}: error: {}", tool, e.what());
  if (e.line() == 0) return fmt::format("{}: error: {}: {}", tool, e.file(), e.what());
  return fmt::format("{}: error: {}:{}: {}", tool, e.file(), e.line(), e.what());
}

}  // namespace mlpipe
