#include "web/metrics.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

namespace wenku::web {
namespace {

constexpr std::array<std::string_view, 5> kMethodNames = {"GET", "HEAD", "POST", "DELETE", "other"};

size_t MethodIndex(std::string_view method) {
  for (size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
    if (method == kMethodNames[i]) return i;
  }
  return kMethodNames.size() - 1;
}

// This thread's shard: threads are numbered as they first record, round robin.
size_t ThreadShard(size_t shards) {
  static std::atomic<size_t> next{0};
  thread_local const size_t mine = next.fetch_add(1, std::memory_order_relaxed);
  return mine % shards;
}

void AppendEscaped(std::string& out, std::string_view value, bool quotes) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendEscaped(out, value, true);
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Whole numbers (timestamps, counts kept as doubles) in full, as people read them.
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

void MetricsText::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  AppendEscaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void MetricsText::Start(std::string_view name, const MetricLabels& labels) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [label, value] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += label;
      out_ += "=\"";
      AppendEscaped(out_, value, true);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
}

void MetricsText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  Start(name, labels);
  out_ += FormatMetricValue(value);
  out_ += '\n';
}

void MetricsText::Sample(std::string_view name, const MetricLabels& labels, uint64_t value) {
  Start(name, labels);
  out_ += std::to_string(value);
  out_ += '\n';
}

Metrics::Metrics(std::vector<std::string> routes)
    : routes_(std::move(routes)),
      histograms_(new Histogram[routes_.size() + 1]),
      started_(std::chrono::steady_clock::now()),
      started_wall_(std::chrono::system_clock::now()) {}

size_t Metrics::RouteIndex(int route) const {
  return route >= 0 && static_cast<size_t>(route) < routes_.size() ? static_cast<size_t>(route)
                                                                   : routes_.size();
}

void Metrics::RecordRequest(int route, std::string_view method, int status, double seconds) {
  const size_t r = RouteIndex(route);
  if (status < 0 || status > 999) status = 0;
  const uint64_t key = (static_cast<uint64_t>(r) << 24) |
                       (static_cast<uint64_t>(MethodIndex(method)) << 16) |
                       static_cast<uint64_t>(status);
  {
    Shard& shard = shards_[ThreadShard(kShards)];
    std::lock_guard lock(shard.mu);
    ++shard.counts[key];
  }
  Histogram& h = histograms_[r];
  if (!(seconds >= 0)) seconds = 0;  // NaN too
  size_t bucket = 0;
  while (bucket < kDurationBuckets.size() && seconds > kDurationBuckets[bucket]) ++bucket;
  h.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<uint64_t>(std::llround(seconds * 1e9)), std::memory_order_relaxed);
}

void Metrics::WriteRequests(MetricsText& text) const {
  auto label = [this](size_t r) -> std::string_view {
    return r < routes_.size() ? std::string_view(routes_[r]) : std::string_view("unmatched");
  };
  // The shards merged, in a stable order (route, method, status).
  std::map<std::tuple<size_t, size_t, int>, uint64_t> merged;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [key, n] : shard.counts) {
      merged[{key >> 24, (key >> 16) & 0xff, static_cast<int>(key & 0xffff)}] += n;
    }
  }
  text.Family("wenku_http_requests_total", "counter",
              "HTTP requests answered, by route pattern, method and status.");
  for (const auto& [key, n] : merged) {
    const auto& [r, m, status] = key;
    const std::string code = std::to_string(status);
    text.Sample("wenku_http_requests_total",
                {{"route", label(r)}, {"method", kMethodNames[m]}, {"code", code}}, n);
  }
  text.Family("wenku_http_request_duration_seconds", "histogram",
              "Seconds from a request's arrival to its answer being ready, by route pattern.");
  for (size_t r = 0; r <= routes_.size(); ++r) {
    const Histogram& h = histograms_[r];
    if (h.count.load(std::memory_order_relaxed) == 0) continue;  // never asked: no lines
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kDurationBuckets.size(); ++b) {
      cumulative += h.buckets[b].load(std::memory_order_relaxed);
      const std::string le = FormatMetricValue(kDurationBuckets[b]);
      text.Sample("wenku_http_request_duration_seconds_bucket", {{"route", label(r)}, {"le", le}},
                  cumulative);
    }
    cumulative += h.buckets.back().load(std::memory_order_relaxed);
    text.Sample("wenku_http_request_duration_seconds_bucket", {{"route", label(r)}, {"le", "+Inf"}},
                cumulative);
    text.Sample("wenku_http_request_duration_seconds_sum", {{"route", label(r)}},
                static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9);
    // _count is the +Inf bucket: the two agree even while requests are being recorded.
    text.Sample("wenku_http_request_duration_seconds_count", {{"route", label(r)}}, cumulative);
  }
}

double Metrics::UptimeSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace wenku::web
