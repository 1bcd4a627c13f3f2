#include "web/view_counter.hpp"

#include <spdlog/spdlog.h>

namespace wenku::web {

ViewCounter::ViewCounter(storage::DocumentStore& documents, int interval_ms)
    : documents_(documents), interval_ms_(interval_ms) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
      lock.unlock();
      Flush();
      lock.lock();
    }
  });
}

ViewCounter::~ViewCounter() { Stop(); }

void ViewCounter::Count(DocumentId id) {
  std::lock_guard lock(mu_);
  ++pending_[id];
}

void ViewCounter::Flush() {
  std::unordered_map<DocumentId, int64_t> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  Status s = documents_.AddViews({batch.begin(), batch.end()});
  if (!s.ok()) spdlog::warn("web: could not record page views: {}", s.error().message);
}

void ViewCounter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  Flush();
}

}  // namespace wenku::web
