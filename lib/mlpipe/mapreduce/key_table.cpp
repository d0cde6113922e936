#include "mlpipe/mapreduce/key_table.h"

#include <algorithm>
#include <optional>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"

namespace mlpipe::mapreduce {

KeyTable scan_keys(KeyedInputScanner& scan, const KeyReading& how) {
  KeyTable t;
  const bool by_key = how.placement.kind == Placement::Kind::by_key;
  JsonReader reader;
  Tag tag;
  std::string_view key;
  while (const Record* r = scan.next(tag)) {
    ProductRoles roles;
    key = {};
    if (by_key) {
      try {
        reader.index(*r);
        std::optional<Field> f = reader.find(how.placement.key);
        key = f ? f->raw : kMissingKey;
        if (how.products) roles = how.keyed->product_roles(reader);
      } catch (const Error&) {
        key = kInvalidKey;
      }
    }
    auto it = t.ids.find(key);
    if (it == t.ids.end()) {
      it = t.ids.emplace(std::string(key), std::uint32_t(t.names.size())).first;
      t.names.push_back(&it->first);
      t.stats.emplace_back();
    }
    KeyStat& s = t.stats[it->second];
    s.first = std::min(s.first, tag);
    ++s.records;
    s.rows += roles.row;
    s.columns += roles.column;
    t.record_key.push_back(it->second);
  }
  return t;
}

}  // namespace mlpipe::mapreduce
