// Metrics: what GET /metrics shows about this process, in Prometheus' text exposition format
// (version 0.0.4). Counted here: every HTTP request once (the server calls
// Handler::Observe when its answer is ready), by the route table's pattern — never the raw
// path, so a crawler cannot grow the label set — its method and status, and its duration in
// a histogram per route. The action (actions/metrics_show.cpp) adds what others count: the
// page cache, the job queue (read from the database), conversions, purchases.
//
// The format is written by hand (MetricsText): it is a few lines of text — HELP and TYPE
// comments, `name{label="value"} number` samples, cumulative `_bucket`s with `_sum` and
// `_count` for a histogram — and a client library (prometheus-cpp) would bring its own
// registry, threads and HTTP server for what is here about 150 lines.
//
// Every number is per process: several `wenku serve` nodes are several scrape targets, and
// Prometheus sums them. A counter starts at 0 when the process starts.
//
// Threading: RecordRequest is safe from any thread and cheap on the hot path — the
// histograms are plain atomics per route; the request counter is a small map behind one of
// kShards mutexes, picked per thread, so threads rarely meet. Render may run concurrently.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wenku::web {

// Label names and values of one sample, in order.
using MetricLabels = std::vector<std::pair<std::string_view, std::string_view>>;

// Builds a text exposition: a family's HELP and TYPE lines, then its samples. Label values
// are escaped (\ " and newline), HELP text too (\ and newline).
class MetricsText {
 public:
  // `type`: "counter", "gauge" or "histogram".
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void Sample(std::string_view name, const MetricLabels& labels, uint64_t value);
  void Sample(std::string_view name, const MetricLabels& labels, int64_t value) {
    Sample(name, labels, static_cast<double>(value));
  }
  std::string Take() { return std::move(out_); }

 private:
  void Start(std::string_view name, const MetricLabels& labels);
  std::string out_;
};

// A label value as the format wants it between its quotes.
std::string EscapeLabelValue(std::string_view value);
// A sample value: integers without a fraction, others in their shortest exact form,
// "+Inf", "-Inf", "NaN".
std::string FormatMetricValue(double value);

// The upper bounds (seconds) of the request duration histogram's buckets; +Inf follows.
inline constexpr std::array<double, 12> kDurationBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                            0.25,  0.5,   1,    2.5,   5,    10};

class Metrics {
 public:
  // `routes`: the label of each route id (the route table's patterns, in its order). Any
  // other id (-1: no route matched) is counted as route="unmatched".
  explicit Metrics(std::vector<std::string> routes);

  // One answered request: its route id, method as sent, status, and the seconds from its
  // header's arrival to its answer being ready (the sending is not included: a slow
  // client does not make the server look slow).
  void RecordRequest(int route, std::string_view method, int status, double seconds);

  // wenku_http_requests_total and wenku_http_request_duration_seconds into `text`.
  void WriteRequests(MetricsText& text) const;

  // When this object (the process's site) was made: the uptime's start.
  std::chrono::system_clock::time_point started() const { return started_wall_; }
  double UptimeSeconds() const;

 private:
  static constexpr size_t kShards = 8;
  static constexpr size_t kMethods = 5;  // GET HEAD POST DELETE other
  struct alignas(64) Shard {
    std::mutex mu;
    // (route index << 24) | (method << 16) | status → requests
    std::unordered_map<uint64_t, uint64_t> counts;
  };
  struct Histogram {
    std::array<std::atomic<uint64_t>, kDurationBuckets.size() + 1> buckets{};  // not cumulative
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_ns{0};
  };
  size_t RouteIndex(int route) const;  // routes_.size(): unmatched

  std::vector<std::string> routes_;
  std::unique_ptr<Histogram[]> histograms_;  // routes_.size() + 1
  mutable std::array<Shard, kShards> shards_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::system_clock::time_point started_wall_;
};

}  // namespace wenku::web
