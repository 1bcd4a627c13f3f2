// library/downloads.hpp: which requests count as a download (a GET from byte 0, never HEAD)
// and the once-a-day rule per (document, user), on a real SQLite file with a fake clock.
#include "library/downloads.hpp"

#include <gtest/gtest.h>

#include "storage/storage_fixture.hpp"

namespace wenku::library {
namespace {

TEST(Downloads, OnlyAGetFromTheFirstByteCounts) {
  EXPECT_TRUE(CountsAsDownload("GET", 200, 0));
  EXPECT_TRUE(CountsAsDownload("GET", 206, 0));
  EXPECT_FALSE(CountsAsDownload("HEAD", 200, 0));
  EXPECT_FALSE(CountsAsDownload("GET", 206, 100));
  EXPECT_FALSE(CountsAsDownload("GET", 304, 0));
  EXPECT_FALSE(CountsAsDownload("GET", 416, 0));
}

class DownloadsTest : public storage::StorageTest {
 protected:
  Result<bool> Count(DocumentId id, UserId user) {
    return CountDownload(*documents_, zone_, clock_.NowMs(), id, user);
  }
  int64_t Downloads(DocumentId id) { return documents_->Find(id)->downloads; }
  TimeZone zone_ = TimeZone::Find("Asia/Shanghai").value();
};

TEST_F(DownloadsTest, OncePerDocumentAndUserAndCalendarDay) {
  const DocumentId a = NewDoc("aaaa");
  const DocumentId b = NewDoc("bbbb");
  const UserId bob = users_->Ensure("bob", "user", "bob")->id;
  // 23:30 in Shanghai: the next download half an hour later is on another day.
  const int64_t day = zone_.DayStart(clock_.NowMs(), 1);
  clock_.Advance(day - 30 * 60'000 - clock_.NowMs());
  EXPECT_TRUE(*Count(a, owner_));
  EXPECT_FALSE(*Count(a, owner_));
  EXPECT_TRUE(*Count(a, bob));     // another user
  EXPECT_TRUE(*Count(b, owner_));  // another document
  EXPECT_EQ(Downloads(a), 2);
  clock_.Advance(29 * 60'000);
  EXPECT_FALSE(*Count(a, owner_));  // 23:59, the same day
  clock_.Advance(60'000);
  EXPECT_TRUE(*Count(a, owner_));  // 00:00 the next day
  EXPECT_FALSE(*Count(a, owner_));
  EXPECT_EQ(Downloads(a), 3);
  EXPECT_EQ(Downloads(b), 1);
}

}  // namespace
}  // namespace wenku::library
