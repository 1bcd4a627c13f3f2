// Calendar days in a named zone: where a day begins, in a zone without daylight saving
// (Shanghai), on a 23-hour day (New York in March) and where midnight itself is skipped
// (Santiago, whose clocks jump from 00:00 to 01:00).
#include "core/time_zone.hpp"

#include <gtest/gtest.h>

namespace wenku {
namespace {

constexpr int64_t kHour = 60LL * 60 * 1000;

TEST(TimeZone, DayStartIsLocalMidnightNotUtc) {
  auto zone = TimeZone::Find("Asia/Shanghai");
  ASSERT_TRUE(zone.ok());
  const int64_t t = 1704124740000;  // 2024-01-01 15:59 UTC = 23:59 in Shanghai
  EXPECT_EQ(zone->Date(t), "2024-01-01");
  EXPECT_EQ(zone->DayStart(t, 0), 1704038400000);   // 2023-12-31 16:00 UTC
  EXPECT_EQ(zone->DayStart(t, 1), 1704124800000);   // one minute after t: 2 January begins
  EXPECT_EQ(zone->DayStart(t, -1), 1703952000000);  // 31 December
  EXPECT_EQ(zone->DayStart(t, -29), zone->DayStart(t, 0) - 29 * 24 * kHour);
  EXPECT_EQ(zone->Date(zone->DayStart(t, -29)), "2023-12-03");
  EXPECT_EQ(zone->DayStart(zone->DayStart(t, 0), 0),
            zone->DayStart(t, 0));  // midnight is its own day's start
  // UTC's own calendar for comparison: the same instant is still 1 January, which began 8 hours
  // later.
  EXPECT_EQ(TimeZone::Find("UTC")->DayStart(t, 0), 1704067200000);
}

TEST(TimeZone, DaysFollowTheCalendarAcrossDaylightSaving) {
  auto ny = TimeZone::Find("America/New_York");
  ASSERT_TRUE(ny.ok());
  const int64_t noon =
      1710086400000;  // 2024-03-10 16:00 UTC = 12:00 EDT, the day clocks spring forward
  EXPECT_EQ(ny->Date(noon), "2024-03-10");
  EXPECT_EQ(ny->DayStart(noon, 0), 1710046800000);  // 05:00 UTC = 00:00 EST
  EXPECT_EQ(ny->DayStart(noon, 1) - ny->DayStart(noon, 0), 23 * kHour);
  EXPECT_EQ(ny->DayStart(noon, 2) - ny->DayStart(noon, 1), 24 * kHour);

  auto santiago = TimeZone::Find("America/Santiago");
  ASSERT_TRUE(santiago.ok());
  const int64_t t = 1725796800000;  // 2024-09-08 12:00 UTC; that day's 00:00 did not happen there
  EXPECT_EQ(santiago->Date(t), "2024-09-08");
  const int64_t start = santiago->DayStart(t, 0);
  EXPECT_EQ(start, 1725768000000);  // 04:00 UTC: 01:00, the day's first instant
  EXPECT_EQ(santiago->Date(start), "2024-09-08");
  EXPECT_EQ(santiago->Date(start - 1), "2024-09-07");
}

}  // namespace
}  // namespace wenku
