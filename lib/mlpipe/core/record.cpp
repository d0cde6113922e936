#include "mlpipe/core/record.h"

namespace mlpipe {

const std::string& Record::source_name() const {
  static const std::string unknown = "<input>";
  return source ? *source : unknown;
}

void Batch::from_lines(Batch& batch, std::string&& text, const std::string* source) {
  batch.records.clear();
  batch.buffer = std::move(text);
  batch.bytes = batch.buffer.size();
  batch.buffer.reserve(batch.buffer.size() + kJsonPadding);
  const char* base = batch.buffer.data();
  const std::size_t end = batch.buffer.size();
  const std::size_t readable_end = batch.buffer.capacity();
  std::size_t pos = 0;
  std::uint64_t line = 0;
  while (pos < end) {
    std::size_t nl = batch.buffer.find('\n', pos);
    if (nl == std::string::npos) nl = end;
    ++line;
    if (nl > pos) {
      Record r;
      r.data = std::string_view(base + pos, nl - pos);
      r.readable = readable_end - pos;
      r.source = source;
      r.line = line;
      batch.records.push_back(r);
    }
    pos = nl + 1;
  }
}

}  // namespace mlpipe
