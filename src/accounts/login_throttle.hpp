// LoginThrottle: how long a log-in attempt must wait — the one rule, which the log-in form,
// the JSON API and the password change (a wrong current password) all go through
// (web/auth.hpp). In memory, per server process.
//
// Rules:
//   Per account  a progressive delay, never a lock: the first `free_failures` failures cost
//                nothing; after that each further attempt must wait first_delay · 2^k since
//                the last one (1 s, 2 s, 4 s, … capped at max_delay: 15 min), k counting the
//                failures past the free ones. A success clears the failures it was counted
//                with. Failures are forgotten 4 · max_delay after the last attempt.
//   Familiar     an address (its subscriber address: IPv6 by /64, web/http.hpp) from which
//   addresses    the account logged in within `familiar_ms` (30 days) has an account
//                delay of its own: failures from elsewhere never hold the owner up at home,
//                and the owner's success at home does not clear a stranger's delay. From
//                an unfamiliar address the owner waits at most the capped delay.
//   Per address  every address may fail `address_failures` times in a burst, refilled at
//                that many per `address_window_ms` (a leaky bucket), whatever accounts it
//                tries; a success gives its attempt back. Unknown names count as accounts
//                (so a refusal says nothing about whether the account exists).
//   Atomic       Begin reserves the attempt and checks every limit in one locked step: the
//                attempt counts as a failure from then on (so N concurrent guesses cannot
//                all pass a check made before any of them was recorded); Succeeded and
//                Abandoned give it back. A refused attempt checks no password and counts
//                nothing.
//   Bounded      each of the three tables keeps at most `max_keys` keys; past that the
//                one used least recently is forgotten.
//
// Threading: safe for concurrent use (one mutex, held only for the table updates — never
// while a password is verified).
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/config.hpp"

namespace wenku::accounts {

struct LoginThrottlePolicy {
  int free_failures = 3;
  int64_t first_delay_ms = 1000;
  int64_t max_delay_ms = 15LL * 60 * 1000;
  int address_failures = 30;
  int64_t address_window_ms = 15LL * 60 * 1000;
  int64_t familiar_ms = 30LL * 24 * 3600 * 1000;
  size_t max_keys = 100000;
  // From the settings login.free_failures, login.first_delay_ms, login.max_delay_seconds,
  // login.address_failures (per 15 minutes).
  static LoginThrottlePolicy FromConfig(const Config& config);
};

// One reserved attempt (Begin's answer).
struct LoginAttempt {
  bool allowed = false;
  int64_t wait_ms = 0;  // refused: milliseconds until an attempt would be allowed (>= 1)
  std::string bucket;   // the account delay it was counted in
  std::string account;
  std::string address;
};

class LoginThrottle {
 public:
  // REQUIRES: free_failures >= 0, first_delay_ms >= 1, max_delay_ms >= first_delay_ms,
  // address_failures >= 1, address_window_ms >= 1, max_keys >= 1.
  LoginThrottle(LoginThrottlePolicy policy, const Clock& clock) : p_(policy), clock_(clock) {}

  // Reserves an attempt on `account` (the name as looked up: NFC) from `address` (a
  // subscriber address), or refuses it with how long to wait.
  LoginAttempt Begin(const std::string& account, const std::string& address);
  // The attempt proved the password: its failures are cleared, its address becomes familiar
  // for the account, and the address gets the attempt back. No-op for a refused attempt.
  void Succeeded(const LoginAttempt& attempt);
  // The attempt could not be judged (a storage error): it is given back.
  void Abandoned(const LoginAttempt& attempt);

  // The wait after `failures` failures (0 while they are free).
  int64_t DelayAfter(int64_t failures) const;
  // Keys kept in all tables (for tests and metrics).
  size_t size();

 private:
  struct Failures {
    int64_t count = 0;
    int64_t last_ms = 0;
  };
  struct Bucket {  // the per-address leaky bucket
    double level = 0;
    int64_t at_ms = 0;
  };
  // A map that forgets its least recently used key past `max` keys.
  template <class V>
  class Lru {
   public:
    V* Find(const std::string& key);
    V& Use(const std::string& key, size_t max);
    void Erase(const std::string& key);
    size_t size() const { return map_.size(); }

   private:
    std::unordered_map<std::string, std::pair<V, std::list<std::string>::iterator>> map_;
    std::list<std::string> order_;  // least recently used first
  };

  std::string BucketFor(const std::string& account, const std::string& address, int64_t now);
  int64_t AccountWait(const std::string& bucket, int64_t now);
  int64_t AddressWait(const std::string& address, int64_t now);

  LoginThrottlePolicy p_;
  const Clock& clock_;
  std::mutex mu_;
  Lru<Failures> failures_;  // account delay buckets: "a:" + account or "f:" + account + address
  Lru<Bucket> addresses_;   // per-address buckets
  Lru<int64_t> familiar_;   // account + address → last success
};

}  // namespace wenku::accounts
