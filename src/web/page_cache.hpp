// PageCache: pages as anonymous visitors get them (the document page, home, listings),
// kept for a short time (web.page_cache_ms, default 1 s; 0 turns it off). A popular page
// is then drawn from the database and templates about once a second however many visitors
// read it, and a hit is answered on the network thread without a trip to the handler pool.
//
// When an entry expires, the first request after that redraws the page while the others
// keep getting the old copy (for at most 5 s), so a popular page is never redrawn by many
// requests at once.
//
// Only GET pages of routes marked cacheable, for requests with no session cookie and no
// Authorization header, answered 200 without Set-Cookie. Any successful change (a
// comment, a deletion, an upload) clears the whole cache; a newly converted document shows
// up in listings within the time-to-live. Views of a cached document page still count.
// Threading: safe for concurrent use.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/document.hpp"
#include "web/http.hpp"

namespace wenku::web {

class PageCache {
 public:
  explicit PageCache(int64_t ttl_ms) : ttl_ms_(ttl_ms) {}
  bool enabled() const { return ttl_ms_ > 0; }

  struct Hit {
    Response response;
    DocumentId view_of = 0;  // a document page: count a view
  };
  // The page; gzip-compressed when `gzip` and it is worth it (compressed once, at Put).
  std::optional<Hit> Get(const std::string& key, int64_t now_ms, bool gzip);
  // `generation` is generation() read before the page was drawn: a page drawn while a
  // change cleared the cache is dropped rather than kept for another TTL. `min_ttl_ms`: keep
  // it at least this long (a page that is costly and may be a little old: the sitemaps).
  void Put(const std::string& key, const Response& response, DocumentId view_of, int64_t now_ms,
           uint64_t generation, int64_t min_ttl_ms = 0);
  void Clear();
  uint64_t generation() const { return generation_.load(); }
  // Get's answers since start (a stale copy served counts as a hit): /metrics.
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    Hit hit;
    std::optional<Response> gzipped;
    int64_t expires_ms = 0;
    int64_t refreshing_since_ms = 0;  // 0: nobody is redrawing it
    size_t bytes = 0;
  };
  static constexpr int64_t kMaxStaleMs = 5000;
  static constexpr size_t kMaxEntries = 20000;
  static constexpr size_t kMaxBytes = 64u << 20;
  size_t bytes_ = 0;
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  int64_t ttl_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace wenku::web
