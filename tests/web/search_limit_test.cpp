// The search rate limit's pieces: the sliding-window limiter's Retry-After and its bounded
// memory, whose count a search goes to, and that no search route can be answered from
// the page cache (which would skip the count).
#include <gtest/gtest.h>

#include "web/rate_limiter.hpp"
#include "web/router.hpp"
#include "web/search_limit.hpp"

namespace wenku::web {
namespace {

TEST(RateLimiter, RetryAfterIsTheTimeUntilTheOldestEventLeavesTheWindow) {
  RateLimiter limiter(3, 60'000);
  EXPECT_EQ(limiter.Take("k", 1'000), 0);
  EXPECT_EQ(limiter.Take("k", 5'000), 0);
  EXPECT_EQ(limiter.Take("k", 9'000), 0);
  // The 4th within the minute: refused until the event at 1 s leaves (at 61 s).
  EXPECT_EQ(limiter.Take("k", 10'000), 51'000);
  EXPECT_EQ(limiter.Take("k", 60'999), 1);
  EXPECT_EQ(limiter.Take("k", 61'000), 0);      // a slot freed; this takes it
  EXPECT_EQ(limiter.Take("k", 61'500), 3'500);  // the next frees when 5 s leaves
  // A refused try is not counted: waiting as told is enough.
  EXPECT_EQ(limiter.Take("k", 65'000), 0);
  EXPECT_EQ(limiter.Take("other", 65'000), 0);  // keys are counted apart
  EXPECT_FALSE(limiter.Allow("k", 65'001));
  EXPECT_TRUE(limiter.Blocked("k", 65'001));
}

TEST(RateLimiter, KeysAreForgottenOnceTheirWindowPassesAndNeverPastTheCap) {
  RateLimiter limiter(2, 1'000, /*max_keys=*/100);
  for (int i = 0; i < 50; ++i) limiter.Record("old" + std::to_string(i), 0);
  EXPECT_EQ(limiter.size(), 50u);
  // A later event elsewhere forgets every key whose window has passed.
  limiter.Record("new", 1'000);
  EXPECT_EQ(limiter.size(), 1u);
  // A flood of distinct keys within one window: never more than the cap; the keys used
  // least recently go first, one in use stays counted.
  for (int i = 0; i < 1'000; ++i) {
    const std::string key = "flood" + std::to_string(i);
    limiter.Record(key, 1'200);
    limiter.Record(key, 1'200);  // each flood key is now blocked
    if (i % 20 == 0) limiter.Record("active", 1'200);
    ASSERT_LE(limiter.size(), 100u);
  }
  EXPECT_EQ(limiter.size(), 100u);
  EXPECT_TRUE(limiter.Blocked("flood999", 1'300));  // the newest are kept
  EXPECT_TRUE(limiter.Blocked("active", 1'300));
  EXPECT_FALSE(limiter.Blocked("flood0", 1'300));  // the oldest were forgotten
  limiter.Reset("active");
  EXPECT_FALSE(limiter.Blocked("active", 1'300));
  EXPECT_EQ(limiter.size(), 99u);
}

TEST(SearchLimit, CountsPerAccountWhenLoggedInElsePerAddress) {
  storage::User alice{7, "alice", "user"};
  EXPECT_EQ(SearchVisitorKey(&alice, "192.0.2.1"), "user:7");
  EXPECT_EQ(SearchVisitorKey(nullptr, "192.0.2.1"), "ip:192.0.2.1");
  // IPv4 seen through an IPv6 socket is the IPv4 address; IPv6 counts by its /64.
  EXPECT_EQ(SearchVisitorKey(nullptr, "::ffff:192.0.2.1"), "ip:192.0.2.1");
  EXPECT_EQ(SearchVisitorKey(nullptr, "2001:db8:1:2:aaaa::1"), "ip:2001:db8:1:2::");
  EXPECT_EQ(SearchVisitorKey(nullptr, "2001:db8:1:2:bbbb::9"), "ip:2001:db8:1:2::");
  EXPECT_NE(SearchVisitorKey(nullptr, "2001:db8:1:3::1"), "ip:2001:db8:1:2::");
}

TEST(SearchLimit, NoSearchRouteIsServedFromThePageCache) {
  int searches = 0;
  for (const Route& r : Routes()) {
    if (std::string_view(r.pattern).ends_with("/search")) {
      ++searches;
      EXPECT_EQ(r.cache, Cache::kNo) << r.pattern;
    }
  }
  EXPECT_EQ(searches, 4);
}

}  // namespace
}  // namespace wenku::web
