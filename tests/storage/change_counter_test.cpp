// ChangeCounterStore and CacheSync on SQLite and PostgreSQL: two handles on one database are
// two web nodes. A change on one clears the other's page cache at its next poll; concurrent
// bumps from both are all counted.
#include "storage/change_counter_store.hpp"

#include <thread>
#include <vector>

#include "storage/storage_fixture.hpp"
#include "web/cache_sync.hpp"

namespace wenku::storage {
namespace {

class ChangeCounterTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(ChangeCounterTest);

web::Response Page(const std::string& body) {
  web::Response r;
  r.status = 200;
  r.body = body;
  return r;
}

TEST_P(ChangeCounterTest, AChangeOnOneNodeClearsTheOtherNodesCacheAtItsNextPoll) {
  auto other = OpenAnother();
  ASSERT_TRUE(other.ok()) << other.error().message;
  ChangeCounterStore counters_a(*db_), counters_b(**other);
  web::PageCache cache_a(60'000), cache_b(60'000);
  web::CacheSync node_a(counters_a, cache_a), node_b(counters_b, cache_b);
  node_a.Poll();
  node_b.Poll();  // the first read only learns the value
  cache_a.Put("/d/1", Page("A"), 0, 0, cache_a.generation());
  cache_b.Put("/d/1", Page("B"), 0, 0, cache_b.generation());
  node_b.Poll();
  ASSERT_TRUE(cache_b.Get("/d/1", 1, false).has_value()) << "nothing changed: B keeps its page";

  node_a.Changed();
  EXPECT_FALSE(cache_a.Get("/d/1", 1, false).has_value()) << "A clears its own cache at once";
  ASSERT_TRUE(cache_b.Get("/d/1", 1, false).has_value()) << "B learns of it at its next poll";
  node_b.Poll();
  EXPECT_FALSE(cache_b.Get("/d/1", 1, false).has_value());
}

TEST_P(ChangeCounterTest, ConcurrentBumpsFromTwoNodesAreAllCounted) {
  auto other = OpenAnother();
  ASSERT_TRUE(other.ok()) << other.error().message;
  ChangeCounterStore a(*db_), b(**other);
  EXPECT_EQ(*a.Get("page_cache"), 0);
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        // SQLite may answer busy under write contention (kConflict): a caller retries.
        Status s;
        for (int tries = 0; tries < 50; ++tries) {
          s = (t % 2 ? a : b).Bump("page_cache");
          if (s.ok() || s.error().code != ErrorCode::kConflict) break;
        }
        if (!s.ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(*b.Get("page_cache"), 100);
  EXPECT_EQ(*a.Get("other"), 0);
}

}  // namespace
}  // namespace wenku::storage
