// StatsStore: each series counted into the interval its rows' times fall in (half-open
// edges), rows outside the span left out; the queue and failures by reason.
#include "storage/stats_store.hpp"

#include <gtest/gtest.h>

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

class StatsStoreTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(StatsStoreTest);

TEST_P(StatsStoreTest, RowsFallIntoTheirDaysAndOutsideTheSpanIsLeftOut) {
  const int64_t t0 = clock_.NowMs();
  NewDoc("a");  // before the span
  clock_.Advance(kDay);
  const DocumentId b = NewDoc("b");  // day 0
  clock_.Advance(kDay);
  const DocumentId c = NewDoc("c");  // day 1
  const DocumentId d = NewDoc("d");  // day 1
  ASSERT_TRUE(documents_->CountDownload(b, 0).ok());
  ASSERT_TRUE(documents_->CountDownload(c, 0).ok());
  ASSERT_TRUE(documents_->CountDownload(c, 0).ok());
  (void)d;
  StatsStore stats(*db_);
  // Three days: [t0+1d, t0+2d), [t0+2d, t0+3d), [t0+3d, t0+4d).
  auto daily = stats.Daily({t0 + kDay, t0 + 2 * kDay, t0 + 3 * kDay, t0 + 4 * kDay});
  ASSERT_TRUE(daily.ok()) << daily.error().message;
  EXPECT_EQ(daily->uploads, (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(daily->ready, (std::vector<int64_t>{0, 0, 0}));  // all still queued
  EXPECT_EQ(daily->downloads, (std::vector<int64_t>{0, 3, 0}));
  EXPECT_EQ(daily->purchases, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(stats.Daily({t0}).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(stats.Daily({t0 + kDay, t0}).error().code, ErrorCode::kInvalidInput);

  auto queue = stats.Queue();
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(queue->length, 4);
  EXPECT_EQ(queue->oldest_created_at, t0);

  // Two failures with one reason, one with another: the larger group first.
  for (int i = 0; i < 3; ++i) {
    auto job = jobs_->Claim("w", 60'000);
    ASSERT_TRUE(job.ok() && job->has_value());
    ASSERT_TRUE(documents_
                    ->Fail((*job)->document_id, (*job)->id, "w",
                           Error{ErrorCode::kConversionFailed, i < 2 ? "损坏" : "加密"})
                    .ok());
  }
  auto failures = stats.Failures(10);
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 2u);
  EXPECT_EQ((*failures)[0].reason, "损坏");
  EXPECT_EQ((*failures)[0].count, 2);
  EXPECT_EQ((*failures)[1].reason, "加密");
  EXPECT_EQ(stats.Queue()->length, 1);
}

}  // namespace
}  // namespace wenku::storage
