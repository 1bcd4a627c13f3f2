// ChangeCounterStore: named counters every process of a site shares (migration 19, table
// `change_counters`), for "something changed, drop what you cached" between web nodes: a
// node that changes something bumps the counter; every node reads it now and then and
// clears its cache when it moved (web/cache_sync.hpp). Only the value's changes mean
// anything, never the value itself.
// Threading: safe for concurrent use (the Database serialises).
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

class ChangeCounterStore {
 public:
  explicit ChangeCounterStore(Database& db) : db_(db) {}
  // Adds one (a missing counter starts at 0). Errors: kIo, kConflict (busy).
  Status Bump(const std::string& name);
  // The value now (0 for a counter never bumped). Errors: kIo.
  Result<int64_t> Get(const std::string& name);

 private:
  Database& db_;
};

}  // namespace wenku::storage
