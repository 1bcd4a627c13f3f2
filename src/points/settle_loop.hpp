// SettleLoop: the background job that moves pending earnings older than economy.settle_days
// into their owners' wallets (Points::Settle) every `interval`, on a thread of its own, in
// `wenku serve` and `wenku worker` (several processes settling at once is safe: each
// settlement's ledger key is unique and a post is one transaction). The first round runs at
// Start. A failed round is logged and retried at the next one.
// Threading: Start and Stop from one thread; Stop (also the destructor) wakes the loop and
// waits for a round in progress to finish.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "points/points.hpp"

namespace wenku::points {

// How often `wenku serve` and `wenku worker` settle.
inline constexpr std::chrono::seconds kSettleEvery{60};

class SettleLoop {
 public:
  SettleLoop(Points& points, std::chrono::milliseconds interval);
  ~SettleLoop();
  SettleLoop(const SettleLoop&) = delete;
  SettleLoop& operator=(const SettleLoop&) = delete;

  void Start();
  void Stop();

 private:
  void Loop();

  Points& points_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wenku::points
