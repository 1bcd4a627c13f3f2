// The /me earnings chart as SVG text: one bar per day, heights in proportion, the axis and
// the end dates, nothing but numbers and escaped text.
#include "web/earnings_chart.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace wenku::web {
namespace {

using points::DayEarnings;

std::vector<DayEarnings> Month(const std::vector<std::pair<int, int64_t>>& amounts = {}) {
  std::vector<DayEarnings> days;
  for (int i = 1; i <= 30; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "2024-06-%02d", i);
    days.push_back({date, 0});
  }
  for (auto [i, amount] : amounts) days[i].amount = amount;
  return days;
}

// Each bar's height and its tooltip, in order.
std::vector<std::pair<int, std::string>> Bars(const std::string& svg) {
  static const std::regex bar(
      R"re(<rect class="bar" x="\d+" y="(\d+)" width="12" height="(\d+)"><title>([^<]*)</title></rect>)re");
  std::vector<std::pair<int, std::string>> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator();
       ++it) {
    EXPECT_EQ(std::stoi((*it)[1]) + std::stoi((*it)[2]), 12 + kChartPlotHeight);  // on the baseline
    out.emplace_back(std::stoi((*it)[2]), (*it)[3]);
  }
  return out;
}

TEST(EarningsChart, OneBarPerDayHeightsInProportionToTheLargest) {
  const std::string svg = EarningsChartSvg(Month({{0, 8}, {14, 4}, {29, 2}, {20, 1}}), "收益");
  auto bars = Bars(svg);
  ASSERT_EQ(bars.size(), 30u);
  EXPECT_EQ(bars[0], std::make_pair(kChartPlotHeight, std::string("2024-06-01: 8")));
  EXPECT_EQ(bars[14].first, kChartPlotHeight / 2);
  EXPECT_EQ(bars[29].first, kChartPlotHeight / 4);
  EXPECT_EQ(bars[20].first, kChartPlotHeight / 8);
  EXPECT_EQ(bars[1], std::make_pair(0, std::string("2024-06-02: 0")));
  EXPECT_NE(svg.find(R"(<text class="axis-max" x="44" y="16" text-anchor="end">8</text>)"),
            std::string::npos);
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
  // The dates at the two ends.
  EXPECT_NE(svg.find(R"(text-anchor="start">2024-06-01</text>)"), std::string::npos);
  EXPECT_NE(svg.find(R"(text-anchor="end">2024-06-30</text>)"), std::string::npos);
  // Named for those who cannot see it.
  EXPECT_EQ(svg.rfind(R"(<svg xmlns="http://www.w3.org/2000/svg" class="earnings-chart")", 0), 0u);
  EXPECT_NE(svg.find(R"(role="img" aria-label="收益")"), std::string::npos);
  EXPECT_NE(svg.find("<title>收益</title>"), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>"));
}

TEST(EarningsChart, ZeroNegativeAndTinyDays) {
  auto none = Bars(EarningsChartSvg(Month(), "x"));
  ASSERT_EQ(none.size(), 30u);
  for (const auto& [height, title] : none) EXPECT_EQ(height, 0) << title;
  EXPECT_NE(EarningsChartSvg(Month(), "x").find(R"(text-anchor="end">0</text>)"),
            std::string::npos);

  // A day that refunded more than it sold has no bar, its number in the tooltip; a tiny
  // positive day still shows.
  auto mixed = Bars(EarningsChartSvg(Month({{3, -4}, {4, 10000}, {5, 1}}), "x"));
  EXPECT_EQ(mixed[3], std::make_pair(0, std::string("2024-06-04: -4")));
  EXPECT_EQ(mixed[4].first, kChartPlotHeight);
  EXPECT_EQ(mixed[5].first, 1);

  EXPECT_TRUE(Bars(EarningsChartSvg({}, "x")).empty());  // no days: an empty frame
}

TEST(EarningsChart, TextIsEscapedAndTheMarkupIsOurs) {
  auto days = Month({{0, 3}});
  days.back().date = "<script>alert(1)</script>";
  const std::string svg = EarningsChartSvg(days, "a \"b\" <c> & 'd'");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find(R"(aria-label="a &quot;b&quot; &lt;c&gt; &amp; &#39;d&#39;")"),
            std::string::npos);
  // Only these elements, and no attribute that runs or loads anything.
  std::set<std::string> tags;
  static const std::regex tag(R"(<([a-z]+))");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator();
       ++it) {
    tags.insert((*it)[1]);
  }
  EXPECT_EQ(tags, (std::set<std::string>{"line", "rect", "svg", "text", "title"}));
  EXPECT_FALSE(std::regex_search(svg, std::regex(R"(\son[a-z]+=)")));
  EXPECT_EQ(svg.find("href"), std::string::npos);
  EXPECT_EQ(svg.find("style"), std::string::npos);
}

}  // namespace
}  // namespace wenku::web
