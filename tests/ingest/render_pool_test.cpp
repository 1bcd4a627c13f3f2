// RenderPool with a fake drawer whose drawings wait at a gate the test opens: one drawing per
// page however many ask, the per-visitor limit, the queue bound, failures reaching every
// waiter, and stopping.
#include "ingest/render_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;

class GatedDrawer final : public PageDrawer {
 public:
  Result<std::string> Draw(DocumentId id, int64_t n) override {
    std::unique_lock lock(mu_);
    ++calls_[{id, n}];
    ++started_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    if (n == throw_on_) throw std::runtime_error("lost infrastructure");
    if (n == fail_on_)
      return MakeError(ErrorCode::kConversionFailed, "page " + std::to_string(n) + " is damaged");
    return std::string("/derived/" + std::to_string(id) + "/" + std::to_string(n) + ".webp");
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until `k` drawings have started.
  void WaitStarted(int k) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return started_ >= k; });
  }
  int Calls(DocumentId id, int64_t n) {
    std::lock_guard lock(mu_);
    return calls_[{id, n}];
  }
  int64_t fail_on_ = -1;
  int64_t throw_on_ = -1;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int started_ = 0;
  std::map<std::pair<DocumentId, int64_t>, int> calls_;
};

TEST(RenderPoolTest, OnePageIsDrawnOnceHoweverManyAskForIt) {
  GatedDrawer drawer;
  RenderPool pool(drawer, RenderPoolOptions{2, 8, 2});
  std::vector<std::thread> askers;
  std::vector<std::optional<Drawing>> drawings(20);
  for (int i = 0; i < 20; ++i) {
    askers.emplace_back([&, i] {
      auto d = pool.Submit(7, 6, "visitor " + std::to_string(i));
      ASSERT_TRUE(d.ok()) << d.error().message;
      drawings[i] = *d;
    });
  }
  for (auto& t : askers) t.join();
  drawer.WaitStarted(1);
  EXPECT_EQ(pool.counts().running, 1);
  EXPECT_EQ(pool.counts().visitors, 20);
  drawer.Open();
  for (auto& d : drawings) {
    const auto& r = d->Wait();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, "/derived/7/6.webp");
  }
  EXPECT_EQ(drawer.Calls(7, 6), 1);
  EXPECT_EQ(pool.counts().visitors, 0);  // everyone's slot is free again
}

TEST(RenderPoolTest, AVisitorWaitsForAtMostPerVisitorDrawings) {
  GatedDrawer drawer;
  RenderPool pool(drawer, RenderPoolOptions{2, 8, 2});
  auto p6 = pool.Submit(1, 6, "user 1");
  auto p7 = pool.Submit(1, 7, "user 1");
  ASSERT_TRUE(p6.ok());
  ASSERT_TRUE(p7.ok());
  auto p8 = pool.Submit(1, 8, "user 1");
  ASSERT_FALSE(p8.ok());
  EXPECT_EQ(p8.error().code, ErrorCode::kBusy);
  // Asking again for a page they already wait for costs nothing (a browser's retry).
  EXPECT_TRUE(pool.Submit(1, 6, "user 1").ok());
  // Another visitor is not held back by user 1, and may join user 1's drawing.
  EXPECT_TRUE(pool.Submit(1, 8, "ip 10.0.0.9").ok());
  EXPECT_TRUE(pool.Submit(1, 6, "ip 10.0.0.9").ok());
  drawer.Open();
  ASSERT_TRUE(p6->Wait().ok());
  ASSERT_TRUE(p7->Wait().ok());
  // Done drawings free the visitor's slots.
  auto p9 = pool.Submit(1, 9, "user 1");
  ASSERT_TRUE(p9.ok());
  EXPECT_TRUE(p9->Wait().ok());
}

TEST(RenderPoolTest, AFullQueueIsRefused) {
  GatedDrawer drawer;
  RenderPool pool(drawer, RenderPoolOptions{1, 2, 2});
  auto running = pool.Submit(1, 6, "a");
  ASSERT_TRUE(running.ok());
  drawer.WaitStarted(1);
  EXPECT_TRUE(pool.Submit(1, 7, "b").ok());
  EXPECT_TRUE(pool.Submit(1, 8, "c").ok());
  EXPECT_EQ(pool.counts().running, 1);
  EXPECT_EQ(pool.counts().queued, 2);
  auto refused = pool.Submit(1, 9, "d");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kBusy);
  EXPECT_EQ(pool.counts().visitors, 3);  // "d" holds nothing
  // Joining a queued drawing needs no room in the queue.
  EXPECT_TRUE(pool.Submit(1, 8, "d").ok());
  drawer.Open();
  EXPECT_TRUE(running->Wait().ok());
}

TEST(RenderPoolTest, AFailureReachesEveryoneWaitingForThePage) {
  GatedDrawer drawer;
  drawer.fail_on_ = 6;
  RenderPool pool(drawer, RenderPoolOptions{2, 8, 2});
  auto a = pool.Submit(1, 6, "a");
  auto b = pool.Submit(1, 6, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  drawer.Open();
  for (auto* d : {&*a, &*b}) {
    const auto& r = d->Wait();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kConversionFailed);
    EXPECT_EQ(r.error().message, "page 6 is damaged");
  }
  EXPECT_EQ(drawer.Calls(1, 6), 1);
}

TEST(RenderPoolTest, AnExceptionInADrawingIsAnInternalErrorAndThePoolGoesOn) {
  GatedDrawer drawer;
  drawer.throw_on_ = 6;
  RenderPool pool(drawer, RenderPoolOptions{1, 8, 2});
  auto bad = pool.Submit(1, 6, "a");
  auto good = pool.Submit(1, 7, "a");
  drawer.Open();
  ASSERT_FALSE(bad->Wait().ok());
  EXPECT_EQ(bad->Wait().error().code, ErrorCode::kInternal);
  EXPECT_TRUE(good->Wait().ok());
}

TEST(RenderPoolTest, OnReadyCallsBackOnceWhenDoneOrAtOnceIfAlreadyDone) {
  GatedDrawer drawer;
  RenderPool pool(drawer, RenderPoolOptions{1, 8, 2});
  auto d = pool.Submit(1, 6, "a");
  ASSERT_TRUE(d.ok());
  std::atomic<int> woken{0};
  d->OnReady([&] { ++woken; });
  EXPECT_FALSE(d->Ready());
  EXPECT_EQ(woken, 0);
  drawer.Open();
  d->Wait();
  EXPECT_EQ(woken, 1);
  d->OnReady([&] { ++woken; });  // already done: called here and now
  EXPECT_EQ(woken, 2);
}

TEST(RenderPoolTest, StopEndsWaitingDrawingsAndFinishesRunningOnes) {
  GatedDrawer drawer;
  RenderPool pool(drawer, RenderPoolOptions{1, 8, 2});
  auto running = pool.Submit(1, 6, "a");
  drawer.WaitStarted(1);
  auto queued = pool.Submit(1, 7, "b");
  ASSERT_TRUE(running.ok() && queued.ok());
  std::thread stopper([&] { pool.Stop(); });
  const auto& dropped = queued->Wait();
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code, ErrorCode::kBusy);
  auto late = pool.Submit(1, 8, "c");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kBusy);
  drawer.Open();
  stopper.join();
  EXPECT_TRUE(running->Wait().ok());
  EXPECT_EQ(drawer.Calls(1, 7), 0);
}

}  // namespace
}  // namespace wenku::ingest
