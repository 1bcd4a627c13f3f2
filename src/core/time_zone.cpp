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
  std::u16string id = Utf16(name_);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCalendar, void (*)(UCalendar*)> cal(
      ucal_open(id.data(), static_cast<int32_t>(id.size()), "en_US@calendar=gregorian",
                UCAL_GREGORIAN, &status),
      ucal_close);
  if (U_FAILURE(status) || !cal) return "0000-00-00";
  ucal_setMillis(cal.get(), static_cast<UDate>(epoch_ms), &status);
  int year = ucal_get(cal.get(), UCAL_EXTENDED_YEAR, &status);
  int month = ucal_get(cal.get(), UCAL_MONTH, &status) + 1;
  int day = ucal_get(cal.get(), UCAL_DATE, &status);
  if (U_FAILURE(status)) return "0000-00-00";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

}  // namespace wenku
