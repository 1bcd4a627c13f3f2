// RateLimiter: at most `max_events` events per key within a sliding window, in memory
// (registrations per IP, searches per visitor, reports and claims; log-in attempts have
// their own rule, accounts/login_throttle.hpp). The
// limits of one server process; several processes behind a balancer each keep their own (a
// stricter shared limiter would live in the database).
//
// Memory is bounded: a key whose last event left the window is forgotten as soon as
// another key records an event, and at most `max_keys` keys are kept — past that the key
// recorded least recently is forgotten (so a flood of distinct keys costs its flooder the
// counts of its own oldest keys, never unbounded memory). A key keeps at most `max_events`
// times when events are recorded through Allow/Take.
// Threading: safe for concurrent use.
#pragma once

#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace wenku::web {

class RateLimiter {
 public:
  static constexpr size_t kDefaultMaxKeys = 100000;
  // REQUIRES: max_events >= 1, window_ms >= 1, max_keys >= 1.
  RateLimiter(int max_events, int64_t window_ms, size_t max_keys = kDefaultMaxKeys)
      : max_(max_events), window_ms_(window_ms), max_keys_(max_keys) {}

  // True when `key` has had `max_events` events within the window ending at `now_ms`.
  bool Blocked(const std::string& key, int64_t now_ms);
  void Record(const std::string& key, int64_t now_ms);
  // Records the event when not blocked; returns whether it was allowed.
  bool Allow(const std::string& key, int64_t now_ms);
  // Allow, saying how long to wait when refused: 0 when the event was allowed (and
  // recorded), else the milliseconds until the oldest event in the window leaves it and a
  // slot frees (at least 1).
  int64_t Take(const std::string& key, int64_t now_ms);
  void Reset(const std::string& key);
  // Changes `max_events` (a runtime setting changed). REQUIRES: max_events >= 1.
  void SetMax(int max_events);
  // Keys currently remembered (for tests and metrics).
  size_t size();

 private:
  struct Entry {
    std::deque<int64_t> events;            // ascending times within the window
    std::list<std::string>::iterator lru;  // its place in lru_
  };
  void Prune(std::deque<int64_t>& events, int64_t now_ms) const;
  // Forgets keys whose events all left the window, and the least recently recorded ones
  // while `room` more would not fit. REQUIRES: mu_ held.
  void Evict(int64_t now_ms, size_t room);
  int64_t RetryAfterLocked(const std::string& key, int64_t now_ms);
  void RecordLocked(const std::string& key, int64_t now_ms);

  int max_;
  int64_t window_ms_;
  size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> events_;
  std::list<std::string> lru_;  // keys, least recently recorded first
};

}  // namespace wenku::web
