#include "web/rate_limiter.hpp"

#include <algorithm>

namespace wenku::web {

void RateLimiter::Prune(std::deque<int64_t>& events, int64_t now_ms) const {
  while (!events.empty() && events.front() <= now_ms - window_ms_) events.pop_front();
}

void RateLimiter::Evict(int64_t now_ms, size_t room) {
  // lru_ is in the order of last records, so keys whose last event left the window sit at
  // its front: forgetting them costs only what is forgotten.
  while (!lru_.empty()) {
    auto it = events_.find(lru_.front());
    const bool stale = it->second.events.empty() || it->second.events.back() <= now_ms - window_ms_;
    if (!stale && events_.size() + room <= max_keys_) break;
    events_.erase(it);
    lru_.pop_front();
  }
}

int64_t RateLimiter::RetryAfterLocked(const std::string& key, int64_t now_ms) {
  auto it = events_.find(key);
  if (it == events_.end()) return 0;
  Prune(it->second.events, now_ms);
  if (it->second.events.empty()) {
    lru_.erase(it->second.lru);
    events_.erase(it);
    return 0;
  }
  const auto& events = it->second.events;
  if (static_cast<int>(events.size()) < max_) return 0;
  // The slot frees when the event max_ places from the end leaves the window.
  const int64_t frees_at = events[events.size() - static_cast<size_t>(max_)] + window_ms_;
  return std::max<int64_t>(1, frees_at - now_ms);
}

void RateLimiter::RecordLocked(const std::string& key, int64_t now_ms) {
  auto it = events_.find(key);
  if (it == events_.end()) {
    Evict(now_ms, 1);
    lru_.push_back(key);
    it = events_.emplace(key, Entry{{}, std::prev(lru_.end())}).first;
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lru);
  }
  Prune(it->second.events, now_ms);
  it->second.events.push_back(now_ms);
  Evict(now_ms, 0);  // this key is the newest now: only others go
}

bool RateLimiter::Blocked(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  return RetryAfterLocked(key, now_ms) > 0;
}

void RateLimiter::Record(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  RecordLocked(key, now_ms);
}

bool RateLimiter::Allow(const std::string& key, int64_t now_ms) { return Take(key, now_ms) == 0; }

int64_t RateLimiter::Take(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (int64_t wait = RetryAfterLocked(key, now_ms); wait > 0) return wait;
  RecordLocked(key, now_ms);
  return 0;
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = events_.find(key);
  if (it == events_.end()) return;
  lru_.erase(it->second.lru);
  events_.erase(it);
}

size_t RateLimiter::size() {
  std::lock_guard lock(mu_);
  return events_.size();
}

void RateLimiter::SetMax(int max_events) {
  std::lock_guard lock(mu_);
  max_ = max_events;
}

}  // namespace wenku::web
