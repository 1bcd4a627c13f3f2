#include "web/rate_limiter.hpp"

namespace wenku::web {

void RateLimiter::Prune(std::deque<int64_t>& events, int64_t now_ms) const {
  while (!events.empty() && events.front() <= now_ms - window_ms_) events.pop_front();
}

bool RateLimiter::Blocked(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = events_.find(key);
  if (it == events_.end()) return false;
  Prune(it->second, now_ms);
  if (it->second.empty()) {
    events_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= max_;
}

void RateLimiter::Record(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  // Keeps memory bounded under a flood of distinct keys: forget keys whose window passed.
  if (events_.size() > 100000) {
    for (auto it = events_.begin(); it != events_.end();) {
      Prune(it->second, now_ms);
      it = it->second.empty() ? events_.erase(it) : std::next(it);
    }
  }
  auto& events = events_[key];
  Prune(events, now_ms);
  events.push_back(now_ms);
}

bool RateLimiter::Allow(const std::string& key, int64_t now_ms) {
  if (Blocked(key, now_ms)) return false;
  Record(key, now_ms);
  return true;
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  events_.erase(key);
}

}  // namespace wenku::web
