// TimeZone: calendar dates in a named IANA time zone ("Asia/Shanghai"), for rules that
// follow the local calendar (one check-in a day, earnings per day). Backed by ICU's
// calendar, which carries its own zone data, so it does not depend on the process's TZ.
// Threading: a TimeZone is immutable and safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wenku {

class TimeZone {
 public:
  // Errors: kInvalidInput when `name` is not a time zone ICU knows.
  static Result<TimeZone> Find(const std::string& name);

  const std::string& name() const { return name_; }
  // The local calendar date at `epoch_ms`, as "YYYY-MM-DD".
  std::string Date(int64_t epoch_ms) const;
  // The instant (epoch ms) the local day begins that is `days_later` calendar days after the
  // day holding `epoch_ms` (0: that day; -1: the day before). Days are calendar days, so one
  // may last 23 or 25 hours across a daylight-saving change; where midnight does not exist
  // the day begins at its first local instant. Date(DayStart(t, n)) is t's date plus n days.
  int64_t DayStart(int64_t epoch_ms, int days_later) const;
  // The `days` calendar days ending with the one holding `epoch_ms`, as days + 1 ascending
  // edges: the first day's start … the next day's start (for per-day sums over [e[i], e[i+1])).
  std::vector<int64_t> LastDays(int64_t epoch_ms, int days) const;

 private:
  explicit TimeZone(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace wenku
