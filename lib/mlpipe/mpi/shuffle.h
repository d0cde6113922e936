// Phase B, second half of the data movement: records go to their key's writer (or to the
// ranks computing a split key's slices), in bounded all-to-all rounds; each rank then
// groups what it received by key (key_groups.h).
#pragma once

#include <csignal>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mlpipe/mpi/comm.h"
#include "mlpipe/mpi/key_directory.h"
#include "mlpipe/mpi/key_groups.h"
#include "mlpipe/mpi/keyed_input.h"
#include "mlpipe/mpi/spool.h"

namespace mlpipe::mr {

// Sends every record of `ranges` (scanned in the order scan_keys saw them) to the targets
// of its key and writes the entries this rank receives into `received`. False when stopped.
bool shuffle_records(const Comm& c, const std::vector<KeyedInputRange>& ranges, const KeyTable& keys,
                     const KeyRoutes& routes, std::size_t per_dest_bytes, Spool& received,
                     const volatile std::sig_atomic_t* stop, ExchangeCounts& counts);

}  // namespace mlpipe::mr
