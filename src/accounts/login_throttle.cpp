#include "accounts/login_throttle.hpp"

#include <algorithm>
#include <cmath>

namespace wenku::accounts {
namespace {

// Key parts are joined with a byte no name or address holds.
std::string Pair(const std::string& account, const std::string& address) {
  return account + '\x1f' + address;
}

}  // namespace

LoginThrottlePolicy LoginThrottlePolicy::FromConfig(const Config& config) {
  LoginThrottlePolicy p;
  p.free_failures = static_cast<int>(std::max(0L, config.GetInt("login.free_failures")));
  p.first_delay_ms = std::max(1L, config.GetInt("login.first_delay_ms"));
  p.max_delay_ms = std::max(p.first_delay_ms, config.GetInt("login.max_delay_seconds") * 1000);
  p.address_failures = static_cast<int>(std::max(1L, config.GetInt("login.address_failures")));
  return p;
}

template <class V>
V* LoginThrottle::Lru<V>::Find(const std::string& key) {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second.first;
}

template <class V>
V& LoginThrottle::Lru<V>::Use(const std::string& key, size_t max) {
  auto it = map_.find(key);
  if (it != map_.end()) {
    order_.splice(order_.end(), order_, it->second.second);
    return it->second.first;
  }
  while (map_.size() >= max && !order_.empty()) {
    map_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(key);
  return map_.emplace(key, std::make_pair(V{}, std::prev(order_.end()))).first->second.first;
}

template <class V>
void LoginThrottle::Lru<V>::Erase(const std::string& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return;
  order_.erase(it->second.second);
  map_.erase(it);
}

int64_t LoginThrottle::DelayAfter(int64_t failures) const {
  // The attempt after the last free failure is the first to wait.
  const int64_t past_free = failures - p_.free_failures + 1;
  if (past_free <= 0) return 0;
  int64_t delay = p_.first_delay_ms;
  for (int64_t i = 1; i < past_free && delay < p_.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, p_.max_delay_ms);
}

std::string LoginThrottle::BucketFor(const std::string& account, const std::string& address,
                                     int64_t now) {
  const std::string pair = Pair(account, address);
  if (int64_t* at = familiar_.Find(pair)) {
    if (now - *at < p_.familiar_ms) return "f:" + pair;
    familiar_.Erase(pair);
  }
  return "a:" + account;
}

int64_t LoginThrottle::AccountWait(const std::string& bucket, int64_t now) {
  Failures* f = failures_.Find(bucket);
  if (f == nullptr) return 0;
  if (now - f->last_ms >= 4 * p_.max_delay_ms) {
    failures_.Erase(bucket);
    return 0;
  }
  const int64_t wait = DelayAfter(f->count) - (now - f->last_ms);
  return std::max<int64_t>(0, wait);
}

int64_t LoginThrottle::AddressWait(const std::string& address, int64_t now) {
  Bucket* b = addresses_.Find(address);
  if (b == nullptr) return 0;
  const double per_ms = static_cast<double>(p_.address_failures) / p_.address_window_ms;
  b->level = std::max(0.0, b->level - static_cast<double>(now - b->at_ms) * per_ms);
  b->at_ms = now;
  const double over = b->level + 1 - p_.address_failures;
  if (over <= 0) return 0;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(over / per_ms)));
}

LoginAttempt LoginThrottle::Begin(const std::string& account, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  LoginAttempt a;
  a.account = account;
  a.address = address;
  a.bucket = BucketFor(account, address, now);
  a.wait_ms = std::max(AccountWait(a.bucket, now), AddressWait(address, now));
  if (a.wait_ms > 0) return a;
  // Reserved: counted as a failure until Succeeded or Abandoned says otherwise.
  Failures& f = failures_.Use(a.bucket, p_.max_keys);
  f.count += 1;
  f.last_ms = now;
  Bucket& b = addresses_.Use(address, p_.max_keys);
  if (b.at_ms == 0) b.at_ms = now;
  b.level += 1;
  a.allowed = true;
  return a;
}

void LoginThrottle::Succeeded(const LoginAttempt& a) {
  if (!a.allowed) return;
  const int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  failures_.Erase(a.bucket);
  familiar_.Use(Pair(a.account, a.address), p_.max_keys) = now;
  if (Bucket* b = addresses_.Find(a.address)) b->level = std::max(0.0, b->level - 1);
}

void LoginThrottle::Abandoned(const LoginAttempt& a) {
  if (!a.allowed) return;
  std::lock_guard lock(mu_);
  if (Failures* f = failures_.Find(a.bucket); f != nullptr && f->count > 0) f->count -= 1;
  if (Bucket* b = addresses_.Find(a.address)) b->level = std::max(0.0, b->level - 1);
}

size_t LoginThrottle::size() {
  std::lock_guard lock(mu_);
  return failures_.size() + addresses_.size() + familiar_.size();
}

}  // namespace wenku::accounts
