// See spec_dimension.h.
#include "mlpipe/model/spec_dimension.h"

#include <optional>
#include <vector>

#include "mlpipe/core/json_reader.h"

namespace mlpipe {

std::uint64_t spec_dimension(std::string_view spec_json) {
  if (spec_json.empty()) return 0;
  JsonText json(spec_json, "spec");
  JsonReader& r = json.reader();
  if (std::optional<Field> d = r.find("dimension"); d && d->type == JsonType::number) {
    const double v = r.get_number(*d);
    return v >= 1 && v <= 4294967295.0 ? std::uint64_t(v) : 0;
  }
  if (std::optional<Field> pair = r.find("layout.pair"); pair && pair->type == JsonType::array) {
    std::vector<double> range;
    r.get_numbers(*pair, range);
    return range.size() == 2 && range[1] >= 1 && range[1] <= 4294967295.0 ? std::uint64_t(range[1]) : 0;
  }
  std::optional<Field> type = r.find("vocabulary.type");
  if (!type || type->type != JsonType::string) return 0;
  const bool hashing = r.get_string(*type) == "hashing";
  std::optional<Field> size = r.find(hashing ? "vocabulary.hash_bits" : "vocabulary.terms");
  if (!size || size->type != JsonType::number) return 0;
  const std::int64_t v = r.get_integer(*size);
  if (hashing) return v >= 1 && v <= 31 ? std::uint64_t(1) << v : 0;
  return v >= 1 && v <= 4294967295 ? std::uint64_t(v) : 0;
}

}  // namespace mlpipe
