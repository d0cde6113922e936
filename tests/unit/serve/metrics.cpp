#include "mlpipe/serve/metrics.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

using namespace mlpipe::serve;
namespace serve = mlpipe::serve;  // serve::Metrics, not mlpipe::Metrics (model quality)

TEST_CASE("route names") {
  struct Case {
    Route route;
    const char* name;
  };
  const Case cases[] = {{Route::infer, "infer"},     {Route::pipeline, "pipeline"}, {Route::train, "train"},
                        {Route::repository, "repository"}, {Route::health, "health"},     {Route::metadata, "metadata"},
                        {Route::page, "page"},       {Route::metrics, "metrics"},   {Route::other, "other"}};
  for (const Case& c : cases) CHECK(route_name(c.route) == c.name);
}

TEST_CASE("no requests yet: the rows counter alone") {
  CHECK(serve::Metrics().prometheus() ==
        "# HELP mlserve_requests_total Requests answered, by route and status class.\n"
        "# TYPE mlserve_requests_total counter\n"
        "# HELP mlserve_request_seconds Time from a request read whole to its response made.\n"
        "# TYPE mlserve_request_seconds histogram\n"
        "# HELP mlserve_rows_total Rows predicted (model inference) and documents run (pipelines).\n"
        "# TYPE mlserve_rows_total counter\n"
        "mlserve_rows_total 0\n");
}

TEST_CASE("Prometheus text: counts by route and status class, a cumulative histogram, rows") {
  serve::Metrics m;
  m.observe(Route::infer, 200, 0.0002);
  m.observe(Route::infer, 200, 0.001);  // on a bound: counted in it (le: less or equal)
  m.observe(Route::infer, 413, 0.003);
  m.observe(Route::infer, 500, 7);  // above every bound: +Inf only
  m.observe(Route::health, 204, 0.00005);
  m.observe(Route::other, 99, 0);  // no status class of its own: counted with the 5xx
  m.add_rows(10);
  m.add_rows(5);
  CHECK(m.prometheus() ==
        "# HELP mlserve_requests_total Requests answered, by route and status class.\n"
        "# TYPE mlserve_requests_total counter\n"
        "mlserve_requests_total{route=\"infer\",code=\"2xx\"} 2\n"
        "mlserve_requests_total{route=\"infer\",code=\"4xx\"} 1\n"
        "mlserve_requests_total{route=\"infer\",code=\"5xx\"} 1\n"
        "mlserve_requests_total{route=\"health\",code=\"2xx\"} 1\n"
        "mlserve_requests_total{route=\"other\",code=\"5xx\"} 1\n"
        "# HELP mlserve_request_seconds Time from a request read whole to its response made.\n"
        "# TYPE mlserve_request_seconds histogram\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.0001\"} 0\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.00025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.0005\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.001\"} 2\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.0025\"} 2\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.005\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.01\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.025\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.05\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.1\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.25\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"0.5\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"1\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"5\"} 3\n"
        "mlserve_request_seconds_bucket{route=\"infer\",le=\"+Inf\"} 4\n"
        "mlserve_request_seconds_sum{route=\"infer\"} 7.0042\n"
        "mlserve_request_seconds_count{route=\"infer\"} 4\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.0001\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.00025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.0005\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.001\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.0025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.005\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.01\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.05\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.1\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.25\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"0.5\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"1\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"5\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"health\",le=\"+Inf\"} 1\n"
        "mlserve_request_seconds_sum{route=\"health\"} 5e-05\n"
        "mlserve_request_seconds_count{route=\"health\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.0001\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.00025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.0005\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.001\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.0025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.005\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.01\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.025\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.05\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.1\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.25\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"0.5\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"1\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"5\"} 1\n"
        "mlserve_request_seconds_bucket{route=\"other\",le=\"+Inf\"} 1\n"
        "mlserve_request_seconds_sum{route=\"other\"} 0\n"
        "mlserve_request_seconds_count{route=\"other\"} 1\n"
        "# HELP mlserve_rows_total Rows predicted (model inference) and documents run (pipelines).\n"
        "# TYPE mlserve_rows_total counter\n"
        "mlserve_rows_total 15\n");
}

TEST_CASE("requests counted from several threads at once are all counted") {
  serve::Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.observe(Route::infer, 200, 0.002);
        m.add_rows(2);
      }
    });
  for (std::thread& t : threads) t.join();
  const std::string text = m.prometheus();
  CHECK(text.find("mlserve_requests_total{route=\"infer\",code=\"2xx\"} 4000\n") != std::string::npos);
  CHECK(text.find("mlserve_request_seconds_bucket{route=\"infer\",le=\"0.0025\"} 4000\n") != std::string::npos);
  CHECK(text.find("mlserve_request_seconds_count{route=\"infer\"} 4000\n") != std::string::npos);
  CHECK(text.find("mlserve_request_seconds_sum{route=\"infer\"} 8\n") != std::string::npos);
  CHECK(text.find("mlserve_rows_total 8000\n") != std::string::npos);
}
