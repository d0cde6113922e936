// What checking every record costs: records/s and MB/s of mlpipe's JsonReader::index (the
// whole record checked against RFC 8259 and its top-level fields indexed, in one pass) next
// to the two ways simdjson would do it: on-demand indexing of the top-level fields (fast, but
// it leaves nested values and unread scalars unchecked) and a DOM parse (checks everything,
// builds a tape). One thread, the same lines, median of RUNS passes.
//   json_check FILE.ndjson [RUNS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <simdjson.h>
#include <sstream>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/record.h"

namespace {

double median_seconds(int runs, const std::function<std::size_t()>& pass, std::size_t& checksum) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    checksum = pass();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: json_check FILE.ndjson [RUNS]\n";
    return 2;
  }
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  // Each line in its own padded buffer, as the input layer gives records.
  std::vector<std::string> lines;
  std::size_t bytes = 0;
  for (std::size_t pos = 0; pos < all.size();) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) nl = all.size();
    std::string line = all.substr(pos, nl - pos);
    bytes += line.size();
    line.reserve(line.size() + mlpipe::kJsonPadding);
    lines.push_back(std::move(line));
    pos = nl + 1;
  }
  std::string name = argv[1];

  mlpipe::JsonReader reader;
  auto ours = [&] {
    std::size_t n = 0;
    mlpipe::Record r;
    r.source = &name;
    for (const std::string& l : lines) {
      r.data = l;
      r.readable = l.capacity();
      n += reader.index(r).size();
    }
    return n;
  };
  simdjson::ondemand::parser od;
  auto on_demand = [&] {
    std::size_t n = 0;
    for (const std::string& l : lines) {
      simdjson::padded_string_view json(l.data(), l.size(), l.capacity());
      auto doc = od.iterate(json);
      for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key().value();
        auto v = field.value();
        std::string_view raw;
        switch (v.type().value()) {
          case simdjson::ondemand::json_type::object: raw = v.get_object().value().raw_json().value(); break;
          case simdjson::ondemand::json_type::array: raw = v.get_array().value().raw_json().value(); break;
          default: raw = v.raw_json_token(); break;
        }
        n += !key.empty() + !raw.empty();
      }
    }
    return n;
  };
  simdjson::dom::parser dom;
  auto dom_parse = [&] {
    std::size_t n = 0;
    for (const std::string& l : lines) {
      simdjson::dom::element e;
      if (dom.parse(l.data(), l.size(), false).get(e)) continue;
      n += simdjson::dom::object(e).size();
    }
    return n;
  };

  std::size_t check = 0;
  try {
    double t_ours = median_seconds(runs, ours, check);
    double t_od = median_seconds(runs, on_demand, check);
    double t_dom = median_seconds(runs, dom_parse, check);
    double mb = double(bytes) / 1e6;
    fmt::print("{} records, {:.1f} MB, median of {} passes, one thread\n", lines.size(), mb, runs);
    fmt::print("{:<52} {:>12} {:>9}\n", "", "records/s", "MB/s");
    auto row = [&](const char* what, double t) {
      fmt::print("{:<52} {:>12.0f} {:>9.0f}\n", what, double(lines.size()) / t, mb / t);
    };
    row("mlpipe JsonReader::index (checks everything)", t_ours);
    row("simdjson on-demand, top-level index (checks less)", t_od);
    row("simdjson DOM parse (checks everything)", t_dom);
    fmt::print("mlpipe vs on-demand index: {:.2f}x   mlpipe vs DOM: {:.2f}x\n", t_od / t_ours, t_dom / t_ours);
  } catch (const mlpipe::Error& e) {
    std::cerr << "json_check: " << e.what() << "\n";
    return 1;
  } catch (const simdjson::simdjson_error& e) {
    std::cerr << "json_check: simdjson: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
