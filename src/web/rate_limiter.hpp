// RateLimiter: at most `max_events` events per key within a sliding window, in memory
// (login attempts per account and per IP, registrations per IP). The limits of one server
// process; several processes behind a balancer each keep their own (a stricter shared
// limiter would live in the database).
// Threading: safe for concurrent use.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace wenku::web {

class RateLimiter {
 public:
  RateLimiter(int max_events, int64_t window_ms) : max_(max_events), window_ms_(window_ms) {}
  // True when `key` has had `max_events` events within the window ending at `now_ms`.
  bool Blocked(const std::string& key, int64_t now_ms);
  void Record(const std::string& key, int64_t now_ms);
  // Records the event when not blocked; returns whether it was allowed.
  bool Allow(const std::string& key, int64_t now_ms);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<int64_t>& events, int64_t now_ms) const;
  int max_;
  int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> events_;
};

}  // namespace wenku::web
