#include "ingest/render_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>

namespace wenku::ingest {
namespace fs = std::filesystem;

struct Drawing::State {
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::optional<Result<std::string>> result;
  bool settled = false;  // the result is set and every callback has run
  mutable std::vector<std::function<void()>> callbacks;

  void Finish(Result<std::string> r) {
    std::vector<std::function<void()>> to_call;
    {
      std::lock_guard lock(mu);
      result = std::move(r);
      to_call.swap(callbacks);
    }
    for (auto& fn : to_call) fn();
    {
      std::lock_guard lock(mu);
      settled = true;
    }
    cv.notify_all();
  }
};

bool Drawing::Ready() const {
  std::lock_guard lock(state_->mu);
  return state_->result.has_value();
}

void Drawing::OnReady(std::function<void()> done) const {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->result) {
      state_->callbacks.push_back(std::move(done));
      return;
    }
  }
  done();
}

const Result<std::string>& Drawing::result() const {
  std::lock_guard lock(state_->mu);
  return *state_->result;  // never changes once set
}

const Result<std::string>& Drawing::Wait() const {
  std::unique_lock lock(state_->mu);
  state_->cv.wait(lock, [&] { return state_->settled; });
  return *state_->result;
}

struct RenderPool::Job {
  Key key;
  std::shared_ptr<Drawing::State> state = std::make_shared<Drawing::State>();
  std::set<std::string> visitors;
};

RenderPool::RenderPool(PageDrawer& drawer, RenderPoolOptions options)
    : drawer_(drawer), options_(options) {
  options_.threads = std::max(1, options_.threads);
  options_.queue = std::max(0, options_.queue);
  options_.per_visitor = std::max(1, options_.per_visitor);
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Loop(); });
}

RenderPool::~RenderPool() { Stop(); }

Result<Drawing> RenderPool::Submit(DocumentId id, int64_t n, const std::string& visitor) {
  std::lock_guard lock(mu_);
  if (stopping_) return MakeError(ErrorCode::kBusy, "the server is stopping");
  const Key key{id, n};
  auto it = jobs_.find(key);
  if (it != jobs_.end() && it->second->visitors.contains(visitor)) {
    return Drawing(it->second->state);  // already waiting for this very drawing
  }
  int& mine = visitors_[visitor];
  if (mine >= options_.per_visitor) {
    if (mine == 0) visitors_.erase(visitor);
    return MakeError(ErrorCode::kBusy, "you are waiting for " + std::to_string(mine) +
                                           " page images already; try again shortly");
  }
  std::shared_ptr<Job> job;
  if (it != jobs_.end()) {
    job = it->second;
  } else {
    if (static_cast<int>(queue_.size()) >= options_.queue) {
      if (mine == 0) visitors_.erase(visitor);
      return MakeError(ErrorCode::kBusy, "too many page images are being drawn; try again shortly");
    }
    job = std::make_shared<Job>();
    job->key = key;
    jobs_.emplace(key, job);
    queue_.push_back(job);
    work_.notify_one();
  }
  job->visitors.insert(visitor);
  ++mine;
  return Drawing(job->state);
}

void RenderPool::Forget(Job& job) {
  jobs_.erase(job.key);
  for (const auto& v : job.visitors) {
    auto it = visitors_.find(v);
    if (it != visitors_.end() && --it->second <= 0) visitors_.erase(it);
  }
  job.visitors.clear();
}

void RenderPool::Loop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    Result<std::string> r = MakeError(ErrorCode::kInternal, "the page could not be drawn");
    try {
      r = drawer_.Draw(job->key.first, job->key.second);
    } catch (const std::exception& e) {
      spdlog::error("render: document {} page {} failed: {}", job->key.first, job->key.second,
                    e.what());
    }
    {
      std::lock_guard lock(mu_);
      --running_;
      Forget(*job);
    }
    job->state->Finish(std::move(r));
  }
}

void RenderPool::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  std::deque<std::shared_ptr<Job>> dropped;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
    for (auto& job : dropped) Forget(*job);
  }
  work_.notify_all();
  for (auto& job : dropped)
    job->state->Finish(MakeError(ErrorCode::kBusy, "the server is stopping"));
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

RenderPool::Counts RenderPool::counts() const {
  std::lock_guard lock(mu_);
  return Counts{running_, static_cast<int>(queue_.size()), static_cast<int>(visitors_.size())};
}

}  // namespace wenku::ingest
