// The keys of the records a rank passes to the keyed stage, read once, with each key's
// figures (first record, records, rows and columns of the pairs it would make). MPI-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/core/string_map.h"
#include "mlpipe/mapreduce/key_plan.h"
#include "mlpipe/mapreduce/keyed_input.h"

namespace mlpipe::mapreduce {

// The keys of one rank's records, numbered in order of first appearance.
struct KeyTable {
  StringMap<std::uint32_t> ids;
  std::vector<const std::string*> names;  // by id (the map's keys)
  std::vector<KeyStat> stats;             // by id
  std::vector<std::uint32_t> record_key;  // each record's key id, in scan order
};

// How the keyed stage's key is read from a record.
struct KeyReading {
  const Stage* keyed = nullptr;
  Placement placement;
  bool products = false;  // count each key's rows and columns (the key may be split)
};

// The key of a record without one, and of a record that is not valid JSON: the keyed
// stage reports those (as --on-error says) wherever the record lands.
inline constexpr std::string_view kMissingKey{"\x01missing", 8};
inline constexpr std::string_view kInvalidKey{"\x01invalid", 8};

// Reads every record of `scan` once. Under Placement::one_rank every record has the same (empty) key.
KeyTable scan_keys(KeyedInputScanner& scan, const KeyReading& how);

}  // namespace mlpipe::mapreduce
