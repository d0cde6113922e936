// Phase B, second half of the data movement: records go to their key's writer (or to the
// ranks computing a split key's slices), in bounded all-to-all rounds; each rank then
// groups what it received by key (key_groups.h).
#pragma once

#include <csignal>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/key_groups.h"
#include "mlpipe/mapreduce/keyed_input.h"
#include "mlpipe/mapreduce/spool.h"
#include "mlpipe/mpi/comm.h"
#include "mlpipe/mpi/key_directory.h"

namespace mlpipe::mpi {

// Sends every record of `ranges` (scanned in the order scan_keys saw them) to the targets
// of its key and writes the entries this rank receives into `received`. False when stopped.
bool shuffle_records(const Comm& c, const std::vector<mapreduce::KeyedInputRange>& ranges,
                     const mapreduce::KeyTable& keys, const KeyRoutes& routes, std::size_t per_dest_bytes,
                     mapreduce::Spool& received, const volatile std::sig_atomic_t* stop,
                     mapreduce::ExchangeCounts& counts);

}  // namespace mlpipe::mpi
