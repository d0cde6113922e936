// The NDJSON record reader: a record indexed, then every field read with every getter
// (each may refuse the field's type), the members of objects too, and each key looked up.
#include "mlpipe/core/json_reader.h"

#include <string>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;

namespace {

template <typename Get>
void attempt(Get&& get) {
  try {
    get();
  } catch (const Error&) {
  }
}

// Reads `f` every way the reader offers. `depth` bounds the walk into nested objects.
void read_every_way(JsonReader& reader, const Field& f, int depth) {
  SparseVector sparse;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  attempt([&] { (void)reader.get_string(f); });
  attempt([&] { (void)reader.get_number(f); });
  attempt([&] { (void)reader.get_integer(f); });
  attempt([&] { (void)reader.get_bool(f); });
  attempt([&] {
    reader.get_sparse(f, sparse);
    for (std::size_t i = 0; i < sparse.idx.size(); ++i)
      fuzz::expect(sparse.idx[i] >= 1 && (i == 0 || sparse.idx[i - 1] < sparse.idx[i]),
                   "sparse indices are >= 1 and strictly increasing");
    fuzz::expect(sparse.idx.size() == sparse.val.size(), "a sparse vector has one value per index");
  });
  attempt([&] { reader.get_numbers(f, numbers); });
  attempt([&] { reader.get_strings(f, strings); });
  if (depth < 2)
    attempt([&] {
      std::vector<Field> members = reader.get_object(f);
      for (const Field& m : members) read_every_way(reader, m, depth + 1);
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Kept in a buffer with simdjson's padding, as the input reader keeps records.
  std::string buffer(fuzz::as_text(data, size));
  buffer.reserve(size + kJsonPadding);
  Record record;
  record.data = std::string_view(buffer.data(), size);
  record.readable = buffer.capacity();
  static JsonReader reader;  // reused, as a worker reuses its reader across records
  try {
    reader.index(record);
  } catch (const Error&) {
    return 0;
  }
  std::vector<Field> fields = reader.fields();
  for (const Field& f : fields) read_every_way(reader, f, 0);
  for (const Field& f : fields) {
    std::string key(f.key);
    attempt([&] {
      if (auto found = reader.find(key)) read_every_way(reader, *found, 1);
    });
    attempt([&] {
      if (auto found = reader.find(key + "." + key)) read_every_way(reader, *found, 1);
    });
  }
  return 0;
}
