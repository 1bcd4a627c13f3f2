#include "web/earnings_chart.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace wenku::web {
namespace {

constexpr int kLeft = 48;  // room for the axis numbers
constexpr int kRight = 8;
constexpr int kTop = 12;
constexpr int kBottom = 24;  // room for the dates
constexpr int kStep = 16;    // one day
constexpr int kBar = 12;     // a bar's width; the rest of the step is the gap

std::string N(int64_t n) { return std::to_string(n); }

// SVG units of height for `amount` when `max` reaches the full height.
int64_t BarHeight(int64_t amount, int64_t max) {
  if (amount <= 0 || max <= 0) return 0;
  return std::max<int64_t>(1, amount * kChartPlotHeight / max);
}

}  // namespace

std::string EarningsChartSvg(const std::vector<points::DayEarnings>& days, std::string_view label) {
  std::vector<DayValue> values;
  values.reserve(days.size());
  for (const auto& d : days) values.push_back(DayValue{d.date, d.amount});
  return DayChartSvg(values, label, "earnings-chart");
}

std::string DayChartSvg(const std::vector<DayValue>& days, std::string_view label,
                        std::string_view svg_class) {
  int64_t max = 0;
  for (const auto& d : days) max = std::max(max, d.amount);
  const int64_t n = static_cast<int64_t>(days.size());
  const int64_t width = kLeft + n * kStep + kRight;
  const int64_t height = kTop + kChartPlotHeight + kBottom;
  const int64_t base = kTop + kChartPlotHeight;
  const std::string name = EscapeMarkup(label);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + EscapeMarkup(svg_class) +
                    "\" viewBox=\"0 0 " + N(width) + " " + N(height) + "\" width=\"" + N(width) +
                    "\" height=\"" + N(height) + "\" role=\"img\" aria-label=\"" + name + "\">";
  svg += "<title>" + name + "</title>";
  svg += "<line class=\"axis\" x1=\"" + N(kLeft) + "\" y1=\"" + N(kTop) + "\" x2=\"" + N(kLeft) +
         "\" y2=\"" + N(base) + "\"/>";
  svg += "<line class=\"axis\" x1=\"" + N(kLeft) + "\" y1=\"" + N(base) + "\" x2=\"" +
         N(width - kRight) + "\" y2=\"" + N(base) + "\"/>";
  svg += "<text class=\"axis-max\" x=\"" + N(kLeft - 4) + "\" y=\"" + N(kTop + 4) +
         "\" text-anchor=\"end\">" + N(max) + "</text>";
  svg += "<text class=\"axis-zero\" x=\"" + N(kLeft - 4) + "\" y=\"" + N(base) +
         "\" text-anchor=\"end\">0</text>";
  for (int64_t i = 0; i < n; ++i) {
    const auto& d = days[i];
    const int64_t h = BarHeight(d.amount, max);
    svg += "<rect class=\"bar\" x=\"" + N(kLeft + i * kStep + (kStep - kBar) / 2) + "\" y=\"" +
           N(base - h) + "\" width=\"" + N(kBar) + "\" height=\"" + N(h) + "\"><title>" +
           EscapeMarkup(d.date) + ": " + N(d.amount) + "</title></rect>";
  }
  if (n > 0) {
    const int64_t y = height - 6;
    svg += "<text class=\"date\" x=\"" + N(kLeft) + "\" y=\"" + N(y) + "\" text-anchor=\"start\">" +
           EscapeMarkup(days.front().date) + "</text>";
    svg += "<text class=\"date\" x=\"" + N(width - kRight) + "\" y=\"" + N(y) +
           "\" text-anchor=\"end\">" + EscapeMarkup(days.back().date) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace wenku::web
