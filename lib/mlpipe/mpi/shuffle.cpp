#include "mlpipe/mpi/shuffle.h"


namespace mlpipe::mpi {

bool shuffle_records(const Comm& c, const std::vector<mapreduce::KeyedInputRange>& ranges,
                     const mapreduce::KeyTable& keys, const KeyRoutes& routes, std::size_t per_dest_bytes,
                     mapreduce::Spool& received, const volatile std::sig_atomic_t* stop,
                     mapreduce::ExchangeCounts& counts) {
  mapreduce::KeyedInputScanner scan(ranges);
  std::size_t i = 0;
  auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
    mapreduce::Tag tag;
    while (const Record* r = scan.next(tag)) {
      std::uint32_t k = keys.record_key[i++];
      bool full = false;
      for (int t : routes.targets[k]) {
        std::string& o = out[std::size_t(t)];
        mapreduce::put_entry(o, tag, *keys.names[k], r->data);
        full = full || o.size() >= budget;
      }
      if (full) return false;
    }
    return true;
  };
  auto consume = [&](int, std::string_view bytes) { received.write(bytes); };
  return exchange(c, per_dest_bytes, produce, consume, stop, counts);
}

}  // namespace mlpipe::mpi
