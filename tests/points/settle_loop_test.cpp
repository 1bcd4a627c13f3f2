// The settlement loop of `wenku serve` and `wenku worker`: it settles at once on Start, again
// every interval, and Stop ends it without waiting out the interval.
#include "points/settle_loop.hpp"

#include <chrono>

#include "points/points_fixture.hpp"

namespace wenku::points {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

TEST_F(PointsTest, TheSettleLoopSettlesOnStartAndStopsAtOnce) {
  Give(bob_, 100);
  Document a = ReadyDoc("a", 10);
  ASSERT_TRUE(points_->Purchase(bob_, a, "k1").ok());  // alice pending +8
  clock_.Advance(8 * kDay);

  SettleLoop loop(*points_, 1h);
  loop.Start();
  for (int i = 0; i < 200 && Pending(alice_) != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Wallet(alice_), 8);

  const auto before = std::chrono::steady_clock::now();
  loop.Stop();  // wakes the hour-long wait
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, TheSettleLoopSettlesAgainEveryInterval) {
  SettleLoop loop(*points_, 20ms);
  loop.Start();
  Give(bob_, 100);
  Document a = ReadyDoc("a", 10);
  ASSERT_TRUE(points_->Purchase(bob_, a, "k1").ok());
  clock_.Advance(8 * kDay);  // matured while the loop runs: a later round moves it
  for (int i = 0; i < 300 && Pending(alice_) != 0; ++i) std::this_thread::sleep_for(10ms);
  loop.Stop();
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Wallet(alice_), 8);
  ExpectLedgerHolds();
}

}  // namespace
}  // namespace wenku::points
