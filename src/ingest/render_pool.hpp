// RenderPool: draws page images that were not drawn at ingest (pages past the free preview,
// or a deleted cache file) on its own threads, so that no web handler thread waits for a
// converter child (which may run for minutes on a crafted PDF). It is bounded:
//   - `threads` drawings run at once (render.threads);
//   - one drawing per (document, page) at a time, however many ask: later askers join the
//     drawing in progress and get its result;
//   - at most `queue` drawings wait to start (render.queue): a new one past that is refused;
//   - a visitor (an account, or an IP address when anonymous: the caller names it) waits for
//     at most `per_visitor` different drawings at once (render.per_visitor): one more is
//     refused. Joining a drawing the visitor already waits for costs nothing.
// Refusals are Error::kBusy (the web answers 503 + Retry-After). What a drawing does, and
// remembering the pages that failed, is the PageDrawer's business (PageImages).
//
// The worker loop catches an exception from a drawing (as the ingest worker loop does) and
// turns it into kInternal for everyone waiting.
//
// Threading: every method is safe for concurrent use. A Drawing's callbacks run on a pool
// thread (or on the caller's, when the drawing is already done) and must not block.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/document.hpp"
#include "core/result.hpp"

namespace wenku::ingest {

// The I/O seam: what draws one page (PageImages; a fake in tests).
class PageDrawer {
 public:
  virtual ~PageDrawer() = default;
  // The derived-file name (blob/derived_store.hpp) of the image of page `n` of document `id`,
  // drawn now if need be. Blocks.
  virtual Result<std::string> Draw(DocumentId id, int64_t n) = 0;
};

struct RenderPoolOptions {
  int threads = 2;
  int queue = 8;
  int per_visitor = 2;
};

// One drawing's outcome, shared by everyone who asked for it.
class Drawing {
 public:
  bool Ready() const;
  // Calls `done` once, when the result is there: at once on this thread if it already is,
  // else on the pool thread that finished the drawing.
  void OnReady(std::function<void()> done) const;
  // REQUIRES: Ready().
  const Result<std::string>& result() const;
  // Blocks until the result is there and the OnReady callbacks have run (tests).
  const Result<std::string>& Wait() const;

  struct State;
  explicit Drawing(std::shared_ptr<State> state) : state_(std::move(state)) {}

 private:
  std::shared_ptr<State> state_;
};

class RenderPool {
 public:
  // Starts `options.threads` threads (at least one).
  RenderPool(PageDrawer& drawer, RenderPoolOptions options);
  // Stop().
  ~RenderPool();
  RenderPool(const RenderPool&) = delete;
  RenderPool& operator=(const RenderPool&) = delete;

  // The drawing of page `n` of `id` for `visitor`: the one in progress, or a new one.
  // Errors: kBusy (the queue is full, the visitor is at their limit, or the pool stopped).
  Result<Drawing> Submit(DocumentId id, int64_t n, const std::string& visitor);

  // Refuses new drawings, ends the waiting ones with kBusy, and returns once the running
  // ones have finished. Idempotent.
  void Stop();

  // For tests and logs: drawings running, waiting to start, and visitors waiting.
  struct Counts {
    int running = 0;
    int queued = 0;
    int visitors = 0;
  };
  Counts counts() const;

 private:
  using Key = std::pair<DocumentId, int64_t>;
  struct Job;
  void Loop();
  // Detaches the job from the pool (its key, its visitors); under mu_.
  void Forget(Job& job);

  PageDrawer& drawer_;
  RenderPoolOptions options_;
  std::mutex stop_mu_;  // one Stop() at a time
  mutable std::mutex mu_;
  std::condition_variable work_;
  bool stopping_ = false;
  std::map<Key, std::shared_ptr<Job>> jobs_;  // queued or running
  std::deque<std::shared_ptr<Job>> queue_;    // waiting to start
  int running_ = 0;
  std::map<std::string, int> visitors_;  // drawings each visitor waits for
  std::vector<std::thread> threads_;
};

}  // namespace wenku::ingest
