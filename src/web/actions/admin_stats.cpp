// GET /admin/stats — the site's health for moderators and admins (the route table says so):
// for each of the last kStatsDays calendar days in site.time_zone, uploads (and of them how
// many are ready and how many failed now), downloads, purchases and the points spent on
// them, each a server-drawn bar chart (DayChartSvg) and one table; the ingest queue's
// length and its oldest job's age; the failed documents grouped by failure reason.
// The numbers come from storage::StatsStore (one grouped query per series).
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/earnings_chart.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int kStatsDays = 30;
constexpr int64_t kFailureRows = 50;

// "3 h 20 min" / "5 min" / "20 s" for a duration.
std::string AgeLabel(Lang lang, int64_t ms) {
  const int64_t s = std::max<int64_t>(0, ms / 1000);
  if (s < 60) return Format(lang, "stats_age_seconds", {std::to_string(s)});
  if (s < 3600) return Format(lang, "stats_age_minutes", {std::to_string(s / 60)});
  return Format(lang, "stats_age_hours", {std::to_string(s / 3600), std::to_string(s % 3600 / 60)});
}

}  // namespace

Response ShowAdminStats(Context& ctx) {
  const TimeZone& zone = ctx.site.points().zone();
  const int64_t now = ctx.site.NowMs();
  const std::vector<int64_t> edges = zone.LastDays(now, kStatsDays);
  auto daily = ctx.site.stats().Daily(edges);
  if (!daily.ok()) return Fail(ctx, daily.error());
  auto queue = ctx.site.stats().Queue();
  if (!queue.ok()) return Fail(ctx, queue.error());
  auto failures = ctx.site.stats().Failures(kFailureRows);
  if (!failures.ok()) return Fail(ctx, failures.error());

  std::vector<std::string> dates;
  for (int i = 0; i < kStatsDays; ++i) dates.push_back(zone.Date(edges[i]));
  View v = BaseView(ctx, T(ctx.lang, "stats_heading"));
  v.set("nav_stats", View::type::bool_true);
  const std::string n = std::to_string(kStatsDays);
  v.set("stats_intro", Format(ctx.lang, "stats_intro", {n, zone.name()}));

  const std::pair<const char*, const std::vector<int64_t>*> series[] = {
      {"uploads", &daily->uploads},     {"ready", &daily->ready},
      {"failed", &daily->failed},       {"downloads", &daily->downloads},
      {"purchases", &daily->purchases}, {"points_spent", &daily->points_spent}};
  ViewList charts;
  for (const auto& [name, values] : series) {
    std::vector<DayValue> days;
    int64_t total = 0;
    for (int i = 0; i < kStatsDays; ++i) {
      days.push_back(DayValue{dates[i], (*values)[i]});
      total += (*values)[i];
    }
    const std::string label = T(ctx.lang, std::string("stats_") + name);
    View c;
    c.set("name", std::string(name));
    c.set("label", label);
    c.set("total", std::to_string(total));
    std::string cls = std::string("stats-chart stats-") + name;
    for (char& ch : cls) ch = ch == '_' ? '-' : ch;
    c.set("svg", DayChartSvg(days, Format(ctx.lang, "stats_chart_label", {label, n}), cls));
    charts.push_back(c);
  }
  v.set("charts", charts);

  ViewList rows;  // newest day first
  for (int i = kStatsDays - 1; i >= 0; --i) {
    View r;
    r.set("date", dates[i]);
    r.set("uploads", std::to_string(daily->uploads[i]));
    r.set("ready", std::to_string(daily->ready[i]));
    r.set("failed", std::to_string(daily->failed[i]));
    r.set("downloads", std::to_string(daily->downloads[i]));
    r.set("purchases", std::to_string(daily->purchases[i]));
    r.set("points_spent", std::to_string(daily->points_spent[i]));
    rows.push_back(r);
  }
  v.set("days", rows);

  v.set("queue_length", std::to_string(queue->length));
  if (queue->oldest_created_at > 0) {
    v.set("queue_oldest", AgeLabel(ctx.lang, now - queue->oldest_created_at));
  }
  ViewList reasons;
  for (const storage::FailureCount& f : *failures) {
    View r;
    r.set("reason", f.reason.empty() ? T(ctx.lang, "stats_no_reason") : f.reason);
    r.set("count", std::to_string(f.count));
    reasons.push_back(r);
  }
  v.set("failures", reasons);
  if (failures->empty()) v.set("no_failures", View::type::bool_true);
  return RenderPage(ctx, "admin_stats", v, 200);
}

}  // namespace wenku::web
