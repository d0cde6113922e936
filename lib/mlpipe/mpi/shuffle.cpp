#include "mlpipe/mpi/shuffle.h"


namespace mlpipe::mr {

bool shuffle_records(const Comm& c, const std::vector<KeyedInputRange>& ranges, const KeyTable& keys,
                     const KeyRoutes& routes, std::size_t per_dest_bytes, Spool& received,
                     const volatile std::sig_atomic_t* stop, ExchangeCounts& counts) {
  KeyedInputScanner scan(ranges);
  std::size_t i = 0;
  auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
    Tag tag;
    while (const Record* r = scan.next(tag)) {
      std::uint32_t k = keys.record_key[i++];
      bool full = false;
      for (int t : routes.targets[k]) {
        std::string& o = out[std::size_t(t)];
        put_entry(o, tag, *keys.names[k], r->data);
        full = full || o.size() >= budget;
      }
      if (full) return false;
    }
    return true;
  };
  auto consume = [&](int, std::string_view bytes) { received.write(bytes); };
  return exchange(c, per_dest_bytes, produce, consume, stop, counts);
}

}  // namespace mlpipe::mr
