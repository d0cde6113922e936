// See metrics.h.
#include "mlpipe/serve/metrics.h"

#include <fmt/format.h>

namespace mlpipe::serve {

std::string_view route_name(Route route) {
  constexpr std::string_view names[kRoutes] = {"infer",    "pipeline", "train",   "repository", "health",
                                               "metadata", "page",     "metrics", "other"};
  return names[std::size_t(route)];
}

void Metrics::observe(Route route, int status, double seconds) {
  PerRoute& r = routes_[std::size_t(route)];
  std::size_t cls = status >= 100 && status < 600 ? std::size_t(status / 100 - 1) : kStatusClasses - 1;
  r.by_status[cls].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.micros.fetch_add(std::uint64_t(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::prometheus() const {
  std::string out;
  auto load = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  out += "# HELP mlserve_requests_total Requests answered, by route and status class.\n";
  out += "# TYPE mlserve_requests_total counter\n";
  for (std::size_t i = 0; i < kRoutes; ++i)
    for (std::size_t c = 0; c < kStatusClasses; ++c)
      if (std::uint64_t n = load(routes_[i].by_status[c]))
        out += fmt::format("mlserve_requests_total{{route=\"{}\",code=\"{}xx\"}} {}\n", route_name(Route(i)), c + 1, n);
  out += "# HELP mlserve_request_seconds Time from a request read whole to its response made.\n";
  out += "# TYPE mlserve_request_seconds histogram\n";
  for (std::size_t i = 0; i < kRoutes; ++i) {
    const PerRoute& r = routes_[i];
    std::uint64_t count = load(r.count);
    if (!count) continue;
    std::string_view name = route_name(Route(i));
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += load(r.buckets[b]);
      out += fmt::format("mlserve_request_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", name, kBuckets[b], cumulative);
    }
    cumulative += load(r.buckets[kBuckets.size()]);
    out += fmt::format("mlserve_request_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", name, cumulative);
    out += fmt::format("mlserve_request_seconds_sum{{route=\"{}\"}} {}\n", name, double(load(r.micros)) / 1e6);
    out += fmt::format("mlserve_request_seconds_count{{route=\"{}\"}} {}\n", name, count);
  }
  out += "# HELP mlserve_rows_total Rows predicted (model inference) and documents run (pipelines).\n";
  out += "# TYPE mlserve_rows_total counter\n";
  out += fmt::format("mlserve_rows_total {}\n", load(rows_));
  return out;
}

}  // namespace mlpipe::serve
