// ViewCounter: counts document page views in memory and writes them to the database in one
// transaction every few seconds (a write per page view would serialise every reader behind
// SQLite's single writer). Views counted in the last interval before a crash are lost;
// Stop() flushes what is pending.
//
// It also keeps the search index's counters fresh (its "most downloaded" sort and the mild
// popularity weight): documents viewed or downloaded (Touch) are handed to `on_changed`
// at most once every `refresh_ms`, from the flusher thread.
// A visitor's views of one document count once per kViewWindowMs (30 minutes): reloading a
// page, or the page cache answering it again, is not another view. The visitors seen are
// kept in memory (at most kMaxViewers pairs; when full, a new window starts early), so a
// restart or a second web node may count a visitor once more.
// Threading: Count is safe from many threads; the flusher is one background thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/document_store.hpp"

namespace wenku::web {

inline constexpr int64_t kViewWindowMs = 30 * 60 * 1000;
inline constexpr size_t kMaxViewers = 200000;

class ViewCounter {
 public:
  using OnChanged = std::function<void(const std::vector<DocumentId>&)>;
  ViewCounter(storage::DocumentStore& documents, int interval_ms, OnChanged on_changed = {},
              int refresh_ms = 60000);
  ~ViewCounter();
  // A view of `id` by `visitor` ("user:<id>" or "ip:<address>", as SearchVisitorKey makes
  // it) at `now_ms`; not counted when that visitor viewed it within the window.
  void Count(DocumentId id, const std::string& visitor, int64_t now_ms);
  // A download (or any other change of its counters) of `id`.
  void Touch(DocumentId id);
  void Flush();
  void Stop();

 private:
  storage::DocumentStore& documents_;
  int interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::unordered_map<DocumentId, int64_t> pending_;
  OnChanged on_changed_;
  int refresh_ms_;
  std::unordered_set<DocumentId> changed_;
  std::unordered_set<std::string> seen_;  // "<visitor> <id>" viewed in this window
  int64_t window_start_ = 0;
  std::chrono::steady_clock::time_point last_refresh_ = std::chrono::steady_clock::now();
  std::thread thread_;
};

}  // namespace wenku::web
