#include "mlpipe/core/error.h"

#include <fmt/format.h>

namespace mlpipe {

namespace {

std::string format_as(std::string_view tool, std::string_view kind, const Error& e) {
  return fmt::format("{}: {}: {}", tool, kind, describe(e));
}

}  // namespace

std::string describe(const Error& e) {
  if (!e.has_location()) return e.what();
  if (e.line() == 0) return fmt::format("{}: {}", e.file(), e.what());
  return fmt::format("{}:{}: {}", e.file(), e.line(), e.what());
}

std::string format_error(std::string_view tool, const Error& e) { return format_as(tool, "error", e); }

std::string format_warning(std::string_view tool, const Error& e) { return format_as(tool, "warning", e); }

}  // namespace mlpipe
