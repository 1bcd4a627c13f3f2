#include "web/view_counter.hpp"

#include <spdlog/spdlog.h>

namespace wenku::web {

ViewCounter::ViewCounter(storage::DocumentStore& documents, int interval_ms, OnChanged on_changed,
                         int refresh_ms)
    : documents_(documents),
      interval_ms_(interval_ms),
      on_changed_(std::move(on_changed)),
      refresh_ms_(refresh_ms) {
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

void ViewCounter::Count(DocumentId id, const std::string& visitor, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (now_ms - window_start_ >= kViewWindowMs || seen_.size() >= kMaxViewers) {
    seen_.clear();
    window_start_ = now_ms;
  }
  if (!seen_.insert(visitor + " " + std::to_string(id)).second) return;
  ++pending_[id];
  if (on_changed_) changed_.insert(id);
}

void ViewCounter::Touch(DocumentId id) {
  std::lock_guard lock(mu_);
  if (on_changed_) changed_.insert(id);
}

void ViewCounter::Flush() {
  std::unordered_map<DocumentId, int64_t> batch;
  std::vector<DocumentId> changed;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
    auto now = std::chrono::steady_clock::now();
    if (!changed_.empty() &&
        (stop_ || now - last_refresh_ >= std::chrono::milliseconds(refresh_ms_))) {
      changed.assign(changed_.begin(), changed_.end());
      changed_.clear();
      last_refresh_ = now;
    }
  }
  if (!batch.empty()) {
    Status s = documents_.AddViews({batch.begin(), batch.end()});
    if (!s.ok()) spdlog::warn("web: could not record page views: {}", s.error().message);
  }
  if (!changed.empty()) on_changed_(changed);
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
