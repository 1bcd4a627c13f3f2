// DayChart: a bar chart of one number per day, drawn on the server as an inline SVG (no
// script, no library) — the /me page's earnings (EarningsChartSvg) and the series of
// /admin/stats (DayChartSvg). Pure: the same days and label give the same bytes.
//
// Shape: one bar per day, left to right in the order given; a bar's height is proportional to
// the day's amount (the largest amount reaches the full kChartPlotHeight; a positive amount
// is at least 1 unit high so it stays visible; a day with 0 or less has no height, its
// number still in the bar's tooltip). The axis names the largest amount at the top and 0 at
// the baseline; the first and last dates stand under the two ends.
//
// Safety: the SVG holds only numbers computed here and text passed through EscapeMarkup (the
// label, the dates), so it may be put into a page unescaped ({{{…}}}).
// Threading: a pure function; safe everywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "points/points.hpp"

namespace wenku::web {

inline constexpr int kChartPlotHeight = 120;  // SVG units from the baseline to the top

struct DayValue {
  std::string date;  // "YYYY-MM-DD"
  int64_t amount = 0;
};

// `label` names the chart for those who cannot see it: the SVG's <title> and aria-label;
// `svg_class` is the <svg>'s class (letters, digits and '-' only).
std::string DayChartSvg(const std::vector<DayValue>& days, std::string_view label,
                        std::string_view svg_class);
// DayChartSvg of the earnings, class "earnings-chart".
std::string EarningsChartSvg(const std::vector<points::DayEarnings>& days, std::string_view label);

}  // namespace wenku::web
