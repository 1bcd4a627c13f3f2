// CacheSync: the page cache's invalidation shared by every web node of a site. A change
// made through one node (any successful POST, dispatch.cpp) clears that node's PageCache at
// once and bumps the shared counter "page_cache" (storage/change_counter_store.hpp, in the
// database every node uses); a background thread on every node reads the counter every
// `interval_ms` (1 s) and clears its own cache when the counter moved. So a page another node
// changed is at most about a second old here — pages are cached for web.page_cache_ms (1 s)
// anyway; this matters for the longer-lived entries (the sitemaps, a minute).
// On one node the counter costs one UPDATE per change and one SELECT a second.
// A database that cannot be read keeps the cache as it is (logged once per failure streak);
// entries still expire by their time-to-live.
// Threading: Changed() is safe from many threads; one background thread between Start and Stop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "storage/change_counter_store.hpp"
#include "web/page_cache.hpp"

namespace wenku::web {

class CacheSync {
 public:
  CacheSync(storage::ChangeCounterStore& counters, PageCache& cache, int64_t interval_ms = 1000)
      : counters_(counters), cache_(cache), interval_ms_(interval_ms) {}
  ~CacheSync() { Stop(); }
  // Something changed here: clear this node's cache and tell the others.
  void Changed();
  // Reads the counter once now (what Start's thread does every interval); public for tests.
  void Poll();
  void Start();
  void Stop();

 private:
  storage::ChangeCounterStore& counters_;
  PageCache& cache_;
  int64_t interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;
  bool stop_ = false;
  bool seen_ = false;  // `last_` holds a value read from the database
  bool failing_ = false;
  int64_t last_ = 0;
  std::thread thread_;
};

}  // namespace wenku::web
