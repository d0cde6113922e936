// Helpers of the show unit tests: records from JSON text, graphs from records.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "mlpipe/core/json_reader.h"
#include "mlpipe/show/argument_graph.h"
#include "mlpipe/show/argument_records.h"

namespace mlpipe::show::test {

// Adds each record (one JSON object) to `graph`, as mlshow's worker does.
inline void add_records(ArgumentGraph& graph, std::initializer_list<std::string_view> records,
                        const RoleNames& names = {}) {
  ArgumentRecords reader(names);
  for (std::string_view r : records) {
    JsonText text(r, "test");
    reader.add(text.reader(), graph);
  }
}

// A finished graph of `records`.
inline ArgumentGraph graph_of(std::initializer_list<std::string_view> records, const RoleNames& names = {}) {
  ArgumentGraph g;
  add_records(g, records, names);
  g.finish();
  return g;
}

inline std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string_view::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace mlpipe::show::test
