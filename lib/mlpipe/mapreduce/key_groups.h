// The records a rank received for the keyed stage, grouped by key: groups in the order of
// their first record, records in order within each. MPI-free.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/spool.h"

namespace mlpipe::mapreduce {

struct KeyGroups {
  std::vector<std::string_view> keys;                  // by group
  std::vector<std::vector<std::string_view>> members;  // by group: its records in tag order
  std::vector<Tag> first;                              // by group: its first record's tag
  std::vector<std::uint32_t> order;                    // groups in the order of their first record
};

// Groups shuffle entries (put_entry) by key; the views point into `entries`.
KeyGroups group_records(std::string_view entries);

}  // namespace mlpipe::mapreduce
