#include "web/cache_sync.hpp"

#include <spdlog/spdlog.h>

namespace wenku::web {
namespace {
constexpr const char* kCounter = "page_cache";
}

void CacheSync::Changed() {
  cache_.Clear();
  Status s = counters_.Bump(kCounter);
  if (!s.ok()) {
    spdlog::warn("web: could not tell the other nodes to drop their cached pages: {}",
                 s.error().message);
  }
}

void CacheSync::Poll() {
  auto value = counters_.Get(kCounter);
  std::lock_guard lock(mu_);
  if (!value.ok()) {
    if (!failing_) {
      spdlog::warn("web: cannot read the shared page-cache counter: {}", value.error().message);
    }
    failing_ = true;
    return;
  }
  failing_ = false;
  if (seen_ && *value != last_) cache_.Clear();
  seen_ = true;
  last_ = *value;
}

void CacheSync::Start() {
  std::lock_guard lock(mu_);
  if (running_) return;
  running_ = true;
  stop_ = false;
  thread_ = std::thread([this] {
    Poll();
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
      if (stop_) break;
      lock.unlock();
      Poll();
      lock.lock();
    }
  });
}

void CacheSync::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stop_ = true;
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace wenku::web
