// LoginThrottle on a fake clock: progressive delays per account (never a lock), familiar
// addresses keeping the owner out of a stranger's delay, the per-address limit, the
// reservation that makes check-and-record one step, and bounded tables.
#include "accounts/login_throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace wenku::accounts {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  LoginThrottlePolicy Policy() {
    LoginThrottlePolicy p;
    p.free_failures = 3;
    p.first_delay_ms = 1000;
    p.max_delay_ms = 15 * 60 * 1000;
    p.address_failures = 100;
    return p;
  }
  // A failed attempt (asserting it was allowed).
  void Fail(LoginThrottle& t, const std::string& account, const std::string& address) {
    LoginAttempt a = t.Begin(account, address);
    ASSERT_TRUE(a.allowed) << "waits " << a.wait_ms;
  }
  FakeClock clock_;
};

TEST_F(LoginThrottleTest, TheDelayDoublesFromOneSecondToItsCap) {
  LoginThrottle t(Policy(), clock_);
  const int64_t expected[] = {0,     0,     0,      1000,   2000,   4000,   8000,  16000,
                              32000, 64000, 128000, 256000, 512000, 900000, 900000};
  for (int64_t n = 0; n < 15; ++n) EXPECT_EQ(t.DelayAfter(n), expected[n]) << n;
  EXPECT_EQ(t.DelayAfter(1000), 900000);
}

TEST_F(LoginThrottleTest, AfterTheFreeFailuresEachAttemptWaitsLongerAndASuccessResets) {
  LoginThrottle t(Policy(), clock_);
  for (int i = 0; i < 3; ++i) Fail(t, "alice", "198.51.100.7");
  LoginAttempt refused = t.Begin("alice", "198.51.100.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.wait_ms, 1000);
  clock_.Advance(400);
  EXPECT_EQ(t.Begin("alice", "198.51.100.7").wait_ms, 600);
  clock_.Advance(600);
  Fail(t, "alice", "198.51.100.7");  // the 4th failure
  EXPECT_EQ(t.Begin("alice", "198.51.100.7").wait_ms, 2000);
  clock_.Advance(2000);
  Fail(t, "alice", "198.51.100.7");
  EXPECT_EQ(t.Begin("alice", "198.51.100.7").wait_ms, 4000);
  // Never a lock: after the wait, the right password works, and clears the failures.
  clock_.Advance(4000);
  LoginAttempt right = t.Begin("alice", "198.51.100.7");
  ASSERT_TRUE(right.allowed);
  t.Succeeded(right);
  for (int i = 0; i < 3; ++i) Fail(t, "alice", "203.0.113.9");
  EXPECT_EQ(t.Begin("alice", "203.0.113.9").wait_ms, 1000);
  // Other accounts are untouched.
  EXPECT_TRUE(t.Begin("bob", "198.51.100.7").allowed);
}

TEST_F(LoginThrottleTest, AStrangersFailuresDoNotHoldTheOwnerUpAtAFamiliarAddress) {
  LoginThrottle t(Policy(), clock_);
  const std::string home = "2001:db8:1:2::";
  LoginAttempt first = t.Begin("alice", home);
  ASSERT_TRUE(first.allowed);
  t.Succeeded(first);
  // An attacker elsewhere runs the account's delay up to its cap.
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(t.DelayAfter(i));
    Fail(t, "alice", "198.51.100." + std::to_string(i));
  }
  LoginAttempt stranger = t.Begin("alice", "203.0.113.1");
  EXPECT_FALSE(stranger.allowed);
  EXPECT_EQ(stranger.wait_ms, 900000);
  // The owner at home is let in at once, and their success leaves the stranger's delay.
  LoginAttempt owner = t.Begin("alice", home);
  ASSERT_TRUE(owner.allowed);
  t.Succeeded(owner);
  EXPECT_FALSE(t.Begin("alice", "203.0.113.1").allowed);
  // From an unfamiliar address the owner waits at most the cap, then gets in.
  clock_.Advance(900000);
  EXPECT_TRUE(t.Begin("alice", "203.0.113.1").allowed);
  // A familiar address stays familiar for 30 days only.
  clock_.Advance(31LL * 24 * 3600 * 1000);
  for (int i = 0; i < 3; ++i) Fail(t, "alice", "198.51.100.1");
  EXPECT_FALSE(t.Begin("alice", home).allowed);
}

TEST_F(LoginThrottleTest, OneAddressIsLimitedAcrossAccountsAndRefilledOverTime) {
  LoginThrottlePolicy p = Policy();
  p.address_failures = 4;
  p.address_window_ms = 60000;  // one attempt back every 15 s
  LoginThrottle t(p, clock_);
  for (int i = 0; i < 4; ++i) Fail(t, "user" + std::to_string(i), "2001:db8:1:2::");
  LoginAttempt refused = t.Begin("someone-else", "2001:db8:1:2::");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.wait_ms, 15000);
  EXPECT_TRUE(t.Begin("someone-else", "2001:db8:9:9::").allowed);  // another address
  clock_.Advance(15000);
  Fail(t, "someone-else", "2001:db8:1:2::");
  EXPECT_FALSE(t.Begin("yet-another", "2001:db8:1:2::").allowed);
  // A success gives its attempt back.
  clock_.Advance(15000);
  LoginAttempt ok = t.Begin("user9", "2001:db8:1:2::");
  ASSERT_TRUE(ok.allowed);
  t.Succeeded(ok);
  EXPECT_TRUE(t.Begin("user8", "2001:db8:1:2::").allowed);
}

TEST_F(LoginThrottleTest, ConcurrentGuessesCannotAllPassOneCheck) {
  LoginThrottle t(Policy(), clock_);
  std::atomic<int> allowed = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      if (t.Begin("alice", "198.51.100.7").allowed) ++allowed;
    });
  }
  for (auto& th : threads) th.join();
  // The free failures, plus none: every reserved attempt counted before the next looked.
  EXPECT_EQ(allowed.load(), 3);
}

TEST_F(LoginThrottleTest, AnAbandonedAttemptIsGivenBackAndFailuresAreForgottenInTime) {
  LoginThrottle t(Policy(), clock_);
  for (int i = 0; i < 2; ++i) Fail(t, "alice", "198.51.100.7");
  LoginAttempt broken = t.Begin("alice", "198.51.100.7");
  ASSERT_TRUE(broken.allowed);
  t.Abandoned(broken);  // e.g. the database did not answer
  EXPECT_TRUE(t.Begin("alice", "198.51.100.7").allowed);
  EXPECT_FALSE(t.Begin("alice", "198.51.100.7").allowed);
  clock_.Advance(4 * 900000);
  EXPECT_TRUE(t.Begin("alice", "198.51.100.7").allowed);
}

TEST_F(LoginThrottleTest, ItsTablesAreBounded) {
  LoginThrottlePolicy p = Policy();
  p.max_keys = 50;
  LoginThrottle t(p, clock_);
  for (int i = 0; i < 1000; ++i) {
    LoginAttempt a = t.Begin("name" + std::to_string(i), "10.0." + std::to_string(i) + ".1");
    if (i % 2 == 0) t.Succeeded(a);
  }
  EXPECT_LE(t.size(), 150u);
}

}  // namespace
}  // namespace wenku::accounts
