// Fixed-size values in byte buffers that only ranks of one job read (same machine type and
// build): memcpy, no byte-order conversion.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

namespace mlpipe::mapreduce {

template <class T>
void put_raw(std::string& buf, T v) {
  buf.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// Reads a T at `pos` and advances `pos`; the caller knows the bytes are there.
template <class T>
T get_raw(std::string_view buf, std::size_t& pos) {
  T v;
  std::memcpy(&v, buf.data() + pos, sizeof v);
  pos += sizeof v;
  return v;
}

}  // namespace mlpipe::mapreduce
