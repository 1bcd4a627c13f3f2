// ViewCounter: counts document page views in memory and writes them to the database in one
// transaction every few seconds (a write per page view would serialise every reader behind
// SQLite's single writer). Views counted in the last interval before a crash are lost;
// Stop() flushes what is pending.
// Threading: Count is safe from many threads; the flusher is one background thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "storage/document_store.hpp"

namespace wenku::web {

class ViewCounter {
 public:
  ViewCounter(storage::DocumentStore& documents, int interval_ms);
  ~ViewCounter();
  void Count(DocumentId id);
  void Flush();
  void Stop();

 private:
  storage::DocumentStore& documents_;
  int interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::unordered_map<DocumentId, int64_t> pending_;
  std::thread thread_;
};

}  // namespace wenku::web
