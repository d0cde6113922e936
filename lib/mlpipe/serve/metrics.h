// The service's counters, in Prometheus' text format for GET /metrics: requests by route and
// status, a latency histogram by route, rows predicted, and (added by the caller) the models'
// versions and the jobs. Lock-free: every request adds to it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlpipe::serve {

enum class Route { infer, pipeline, train, repository, health, metadata, page, metrics, other };
inline constexpr std::size_t kRoutes = 9;
std::string_view route_name(Route route);

class Metrics {
 public:
  static constexpr std::array<double, 14> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};

  void observe(Route route, int status, double seconds);
  void add_rows(std::uint64_t rows) { rows_.fetch_add(rows, std::memory_order_relaxed); }

  // The counters and histograms, each with its # HELP and # TYPE lines.
  std::string prometheus() const;

 private:
  static constexpr std::size_t kStatusClasses = 5;  // 1xx … 5xx
  struct PerRoute {
    std::array<std::atomic<std::uint64_t>, kStatusClasses> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // the last: +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> micros{0};  // the sum of latencies, in microseconds
  };
  std::array<PerRoute, kRoutes> routes_{};
  std::atomic<std::uint64_t> rows_{0};
};

}  // namespace mlpipe::serve
