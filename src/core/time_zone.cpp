#include "core/time_zone.hpp"

#include <unicode/ucal.h>

#include <cstdio>
#include <memory>
#include <string>

namespace wenku {
namespace {

std::u16string Utf16(const std::string& ascii) {
  return std::u16string(ascii.begin(), ascii.end());
}

using Calendar = std::unique_ptr<UCalendar, void (*)(UCalendar*)>;

// A Gregorian calendar in `zone` (null on failure).
Calendar Open(const std::string& zone) {
  std::u16string id = Utf16(zone);
  UErrorCode status = U_ZERO_ERROR;
  Calendar cal(ucal_open(id.data(), static_cast<int32_t>(id.size()), "en_US@calendar=gregorian",
                         UCAL_GREGORIAN, &status),
               ucal_close);
  if (U_FAILURE(status)) cal.reset();
  return cal;
}

}  // namespace

Result<TimeZone> TimeZone::Find(const std::string& name) {
  bool ascii = !name.empty() && name.size() < 64;
  for (char c : name) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    std::u16string id = Utf16(name);
    UChar canonical[128];
    UBool is_system = false;
    UErrorCode status = U_ZERO_ERROR;
    ucal_getCanonicalTimeZoneID(id.data(), static_cast<int32_t>(id.size()), canonical, 128,
                                &is_system, &status);
    if (U_SUCCESS(status) && is_system) return TimeZone(name);
  }
  return MakeError(ErrorCode::kInvalidInput,
                   "\"" + name + "\" is not a time zone (use a name like Asia/Shanghai or UTC)");
}

std::string TimeZone::Date(int64_t epoch_ms) const {
  Calendar cal = Open(name_);
  if (!cal) return "0000-00-00";
  UErrorCode status = U_ZERO_ERROR;
  ucal_setMillis(cal.get(), static_cast<UDate>(epoch_ms), &status);
  int year = ucal_get(cal.get(), UCAL_EXTENDED_YEAR, &status);
  int month = ucal_get(cal.get(), UCAL_MONTH, &status) + 1;
  int day = ucal_get(cal.get(), UCAL_DATE, &status);
  if (U_FAILURE(status)) return "0000-00-00";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

int64_t TimeZone::DayStart(int64_t epoch_ms, int days_later) const {
  constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
  Calendar cal = Open(name_);
  const int64_t utc_day = epoch_ms - ((epoch_ms % kDayMs) + kDayMs) % kDayMs;
  if (!cal) return utc_day + days_later * kDayMs;  // cannot happen for a zone Find accepted
  UErrorCode status = U_ZERO_ERROR;
  ucal_setMillis(cal.get(), static_cast<UDate>(epoch_ms), &status);
  // Set the date first, then midnight: adding days keeps the wall-clock time. A midnight
  // skipped by a daylight-saving jump resolves to the first valid instant after it; a
  // midnight that happens twice to the first of the two.
  ucal_setAttribute(cal.get(), UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
  ucal_setAttribute(cal.get(), UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
  if (days_later != 0) ucal_add(cal.get(), UCAL_DATE, days_later, &status);
  ucal_set(cal.get(), UCAL_HOUR_OF_DAY, 0);
  ucal_set(cal.get(), UCAL_MINUTE, 0);
  ucal_set(cal.get(), UCAL_SECOND, 0);
  ucal_set(cal.get(), UCAL_MILLISECOND, 0);
  const UDate start = ucal_getMillis(cal.get(), &status);
  if (U_FAILURE(status)) return utc_day + days_later * kDayMs;
  return static_cast<int64_t>(start);
}

std::vector<int64_t> TimeZone::LastDays(int64_t epoch_ms, int days) const {
  std::vector<int64_t> edges;
  for (int d = -(days - 1); d <= 1; ++d) edges.push_back(DayStart(epoch_ms, d));
  return edges;
}

}  // namespace wenku
