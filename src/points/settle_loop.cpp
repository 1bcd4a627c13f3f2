#include "points/settle_loop.hpp"

#include <spdlog/spdlog.h>

namespace wenku::points {

SettleLoop::SettleLoop(Points& points, std::chrono::milliseconds interval)
    : points_(points), interval_(interval) {}

SettleLoop::~SettleLoop() { Stop(); }

void SettleLoop::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void SettleLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SettleLoop::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto settled = points_.Settle();
    if (!settled.ok()) {
      spdlog::error("points: settlement failed: {}", settled.error().message);
    } else if (settled->users > 0) {
      spdlog::info("points: settled {} points for {} users", settled->points, settled->users);
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace wenku::points
