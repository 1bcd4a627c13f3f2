// The /metrics text (web/metrics.hpp): Prometheus' exposition format as a scraper parses it —
// escaped label values, cumulative histogram buckets ending in +Inf, _sum and _count, one
// line per (route, method, code), and counts that stay exact under many threads.
#include "web/metrics.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace wenku::web {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsTextTest, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"
                             "\n"
                             "d 文库"),
            R"(a\\b\"c\nd 文库)");
  MetricsText text;
  text.Family("wenku_x_total", "counter", "Back\\slash and\nnew line, \"quotes\" stay.");
  text.Sample("wenku_x_total", {{"path", "/d/\"1\""}, {"m", "GET"}}, uint64_t{7});
  text.Sample("wenku_y", {}, 0.25);
  EXPECT_EQ(text.Take(),
            "# HELP wenku_x_total Back\\\\slash and\\nnew line, \"quotes\" stay.\n"
            "# TYPE wenku_x_total counter\n"
            "wenku_x_total{path=\"/d/\\\"1\\\"\",m=\"GET\"} 7\n"
            "wenku_y 0.25\n");
}

TEST(MetricsTextTest, FormatsValues) {
  EXPECT_EQ(FormatMetricValue(3), "3");
  EXPECT_EQ(FormatMetricValue(0.005), "0.005");
  EXPECT_EQ(FormatMetricValue(1.5e9), "1500000000");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(MetricsTest, CountsRequestsByRoutePatternMethodAndCode) {
  Metrics m({"/", "/d/{id}", "/x/\"odd\""});
  m.RecordRequest(1, "GET", 200, 0.01);
  m.RecordRequest(1, "GET", 200, 0.01);
  m.RecordRequest(1, "HEAD", 200, 0.01);
  m.RecordRequest(1, "GET", 404, 0.01);
  m.RecordRequest(2, "POST", 303, 0.01);
  m.RecordRequest(-1, "PATCH", 404, 0.01);  // no route: never the raw path
  m.RecordRequest(99, "GET", 404, 0.01);
  MetricsText text;
  m.WriteRequests(text);
  const std::string out = text.Take();
  EXPECT_TRUE(HasLine(out, "# TYPE wenku_http_requests_total counter")) << out;
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="/d/{id}",method="GET",code="200"} 2)"))
      << out;
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="/d/{id}",method="HEAD",code="200"} 1)"));
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="/d/{id}",method="GET",code="404"} 1)"));
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="/x/\"odd\"",method="POST",code="303"} 1)"));
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="unmatched",method="other",code="404"} 1)"));
  EXPECT_TRUE(
      HasLine(out, R"(wenku_http_requests_total{route="unmatched",method="GET",code="404"} 1)"));
  // A route nobody asked for has neither counter nor histogram lines.
  EXPECT_EQ(out.find(R"(route="/")"), std::string::npos) << out;
}

TEST(MetricsTest, TheDurationHistogramIsCumulativeWithSumAndCount) {
  Metrics m({"/search"});
  for (double s : {0.003, 0.02, 0.02, 3.0, 20.0}) m.RecordRequest(0, "GET", 200, s);
  MetricsText text;
  m.WriteRequests(text);
  const std::string out = text.Take();
  const std::string b = R"(wenku_http_request_duration_seconds_bucket{route="/search",le=")";
  EXPECT_TRUE(HasLine(out, "# TYPE wenku_http_request_duration_seconds histogram")) << out;
  EXPECT_TRUE(HasLine(out, b + R"(0.001"} 0)")) << out;
  EXPECT_TRUE(HasLine(out, b + R"(0.005"} 1)"));
  EXPECT_TRUE(HasLine(out, b + R"(0.01"} 1)"));
  EXPECT_TRUE(HasLine(out, b + R"(0.025"} 3)"));
  EXPECT_TRUE(HasLine(out, b + R"(2.5"} 3)"));
  EXPECT_TRUE(HasLine(out, b + R"(5"} 4)"));
  EXPECT_TRUE(HasLine(out, b + R"(10"} 4)"));
  EXPECT_TRUE(HasLine(out, b + R"(+Inf"} 5)"));
  EXPECT_TRUE(HasLine(out, R"(wenku_http_request_duration_seconds_count{route="/search"} 5)"));
  EXPECT_TRUE(HasLine(out, R"(wenku_http_request_duration_seconds_sum{route="/search"} 23.043)"))
      << out;
  // Buckets in increasing order of le, +Inf last, then _sum and _count.
  EXPECT_LT(out.find(b + "0.001"), out.find(b + "0.005"));
  EXPECT_LT(out.find(b + "10\""), out.find(b + "+Inf"));
  EXPECT_LT(out.find(b + "+Inf"), out.find("_sum{"));
}

TEST(MetricsTest, CountsStayExactUnderManyThreads) {
  Metrics m({"/"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 5000; ++i) m.RecordRequest(0, "GET", 200, 0.002);
    });
  }
  for (auto& t : threads) t.join();
  MetricsText text;
  m.WriteRequests(text);
  const std::string out = text.Take();
  EXPECT_TRUE(HasLine(out, R"(wenku_http_requests_total{route="/",method="GET",code="200"} 40000)"))
      << out;
  EXPECT_TRUE(HasLine(out, R"(wenku_http_request_duration_seconds_count{route="/"} 40000)"));
}

}  // namespace
}  // namespace wenku::web
