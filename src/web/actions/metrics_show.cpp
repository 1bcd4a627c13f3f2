// GET /metrics — this process's numbers in Prometheus' text exposition format (metrics.hpp
// says why it is written by hand). Who may read it is the route table's Who::kLocalOrAdmin:
// a scraper on this machine, or one holding an admin's API token (Authorization: Bearer);
// anyone else gets 403. Nothing here names a user or a document.
//
//   wenku_http_requests_total{route,method,code}    counter   (Site::metrics)
//   wenku_http_request_duration_seconds{route}      histogram (Site::metrics)
//   wenku_jobs{state}                               gauge     queued / running, cluster-wide
//                                                             (one query on the jobs table)
//   wenku_conversions_total{result}                 counter   ready / failed / retried, by
//                                                             this process's workers only
//   wenku_purchases_total                           counter   charged through this process
//   wenku_page_cache_hits_total / _misses_total     counter   this process's page cache
//   wenku_process_start_time_seconds, wenku_uptime_seconds, wenku_build_info{version}
//
// Per process, except wenku_jobs: with several nodes, sum the counters over the targets and
// read wenku_jobs from any one of them. A scrape that cannot read the queue still answers
// (the other numbers are this process's own) with wenku_jobs left out and
// wenku_metrics_errors 1, so that an alert can tell "no data" from "zero".
#include <chrono>

#include "web/actions/actions.hpp"

#ifndef WENKU_VERSION
#define WENKU_VERSION "unknown"
#endif

namespace wenku::web {

Response ShowMetrics(Context& ctx) {
  Site& site = ctx.site;
  MetricsText text;
  site.metrics.WriteRequests(text);

  auto queue = site.jobs().Counts();
  if (queue.ok()) {
    text.Family("wenku_jobs", "gauge", "Ingest jobs in the queue (all nodes), by state.");
    text.Sample("wenku_jobs", {{"state", "queued"}}, queue->queued);
    text.Sample("wenku_jobs", {{"state", "running"}}, queue->running);
  }
  text.Family("wenku_metrics_errors", "gauge",
              "1 when a number could not be read for this scrape (the job queue).");
  text.Sample("wenku_metrics_errors", {}, static_cast<uint64_t>(queue.ok() ? 0 : 1));

  const ingest::ConversionCounts done = site.conversions();
  text.Family("wenku_conversions_total", "counter",
              "Ingest jobs finished by this process's workers, by result.");
  text.Sample("wenku_conversions_total", {{"result", "ready"}}, done.ready);
  text.Sample("wenku_conversions_total", {{"result", "failed"}}, done.failed);
  text.Sample("wenku_conversions_total", {{"result", "retried"}}, done.retried);

  text.Family("wenku_purchases_total", "counter", "Purchases charged through this process.");
  text.Sample("wenku_purchases_total", {}, site.points().purchases());

  text.Family("wenku_page_cache_hits_total", "counter",
              "Anonymous page requests answered from this process's page cache.");
  text.Sample("wenku_page_cache_hits_total", {}, site.page_cache.hits());
  text.Family("wenku_page_cache_misses_total", "counter",
              "Cacheable page requests this process's page cache could not answer.");
  text.Sample("wenku_page_cache_misses_total", {}, site.page_cache.misses());

  const double started =
      std::chrono::duration<double>(site.metrics.started().time_since_epoch()).count();
  text.Family("wenku_process_start_time_seconds", "gauge",
              "When this process started serving, in seconds since the Unix epoch.");
  text.Sample("wenku_process_start_time_seconds", {}, started);
  text.Family("wenku_uptime_seconds", "gauge", "Seconds since this process started serving.");
  text.Sample("wenku_uptime_seconds", {}, site.metrics.UptimeSeconds());
  text.Family("wenku_build_info", "gauge", "Always 1; the build's version is its label.");
  text.Sample("wenku_build_info", {{"version", WENKU_VERSION}}, uint64_t{1});

  Response r = Text(200, text.Take(), "text/plain; version=0.0.4; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace wenku::web
