// StatsStore: the numbers of the moderators' statistics page (/admin/stats) — per-interval
// counts of uploads, their outcome, downloads and purchases, the ingest queue now, and the
// failures grouped by reason. Read-only; every series is one grouped query over the whole
// span (no query per day).
// Intervals are half-open [edges[i], edges[i+1]) of epoch ms; the caller picks them (the
// site's calendar days, TimeZone::LastDays).
//   uploads     documents created in the interval (deleted ones are gone from the count)
//   ready       of those, the ones ready now; failed: the ones failed now
//   downloads   downloads started in the interval (DocumentStore::CountDownload's rows)
//   purchases   purchase transactions in the interval; points_spent: what their buyers paid
// Errors: kInvalidInput (edges not ascending, fewer than 2 or more than 367), kIo.
// Threading: safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

// One value per interval for each series (all the same length).
struct DailySeries {
  std::vector<int64_t> uploads, ready, failed, downloads, purchases, points_spent;
};

struct QueueState {
  int64_t length = 0;             // jobs queued or running
  int64_t oldest_created_at = 0;  // the oldest of them (0 when none)
};

struct FailureCount {
  std::string reason;  // the failure reason shown to the owner ("" when none was stored)
  int64_t count = 0;
};

class StatsStore {
 public:
  explicit StatsStore(Database& db) : db_(db) {}

  Result<DailySeries> Daily(const std::vector<int64_t>& edges);
  Result<QueueState> Queue();
  // Documents failed now, grouped by reason, the most frequent first, at most `limit` rows.
  Result<std::vector<FailureCount>> Failures(int64_t limit);

 private:
  Database& db_;
};

}  // namespace wenku::storage
