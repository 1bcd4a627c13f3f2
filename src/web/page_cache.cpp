#include "web/page_cache.hpp"

namespace wenku::web {

std::optional<PageCache::Hit> PageCache::Get(const std::string& key, int64_t now_ms) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  Entry& e = it->second;
  if (e.expires_ms > now_ms) return e.hit;
  bool someone_redraws = e.refreshing_since_ms != 0 && now_ms - e.refreshing_since_ms < kMaxStaleMs;
  if (someone_redraws && now_ms - e.expires_ms < kMaxStaleMs) return e.hit;  // stale, briefly
  e.refreshing_since_ms = now_ms;  // this caller redraws it
  return std::nullopt;
}

void PageCache::Put(const std::string& key, const Response& response, DocumentId view_of,
                    int64_t now_ms) {
  if (!enabled()) return;
  std::lock_guard lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();  // bounded; refilled within a second
  entries_[key] = Entry{Hit{response, view_of}, now_ms + ttl_ms_};
}

void PageCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace wenku::web
