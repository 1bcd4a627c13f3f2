// TimeZone: calendar dates in a named IANA time zone ("Asia/Shanghai"), for rules that
// follow the local calendar (one check-in a day, earnings per day). Backed by ICU's
// calendar, which carries its own zone data, so it does not depend on the process's TZ.
// Threading: a TimeZone is immutable and safe to share.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace wenku {

class TimeZone {
 public:
  // Errors: kInvalidInput when `name` is not a time zone ICU knows.
  static Result<TimeZone> Find(const std::string& name);

  const std::string& name() const { return name_; }
  // The local calendar date at `epoch_ms`, as "YYYY-MM-DD".
  std::string Date(int64_t epoch_ms) const;

 private:
  explicit TimeZone(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace wenku
