#include "web/page_cache.hpp"

#include <algorithm>

#include "web/gzip.hpp"

namespace wenku::web {

std::optional<PageCache::Hit> PageCache::Get(const std::string& key, int64_t now_ms, bool gzip) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  Entry& e = it->second;
  auto answer = [&]() -> Hit {
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (gzip && e.gzipped) return Hit{*e.gzipped, e.hit.view_of};
    return e.hit;
  };
  if (e.expires_ms > now_ms) return answer();
  bool someone_redraws = e.refreshing_since_ms != 0 && now_ms - e.refreshing_since_ms < kMaxStaleMs;
  if (someone_redraws && now_ms - e.expires_ms < kMaxStaleMs) return answer();  // stale, briefly
  e.refreshing_since_ms = now_ms;  // this caller redraws it
  misses_.fetch_add(1, std::memory_order_relaxed);
  return std::nullopt;
}

void PageCache::Put(const std::string& key, const Response& response, DocumentId view_of,
                    int64_t now_ms, uint64_t generation, int64_t min_ttl_ms) {
  if (!enabled() || generation != generation_.load()) return;
  std::optional<Response> gzipped;
  if (ShouldGzip(response)) {  // once per redraw, outside the lock
    gzipped = response;
    GzipResponse(*gzipped, 6);
  }
  const size_t size = key.size() + response.body.size() + (gzipped ? gzipped->body.size() : 0);
  std::lock_guard lock(mu_);
  if (generation != generation_.load()) return;  // cleared while compressing
  // Bounded in entries and bytes; when full it starts over (refilled within a second).
  if (entries_.size() >= kMaxEntries || bytes_ + size > kMaxBytes) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(key);
  if (!inserted) bytes_ -= it->second.bytes;
  it->second = Entry{Hit{response, view_of}, std::move(gzipped),
                     now_ms + std::max(ttl_ms_, min_ttl_ms), 0, size};
  bytes_ += size;
}

void PageCache::Clear() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
  bytes_ = 0;
}

}  // namespace wenku::web
