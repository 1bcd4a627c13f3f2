// SettingsStore: the runtime settings an admin changed (migration 9, table `settings`): one
// row per key, the value as text, who changed it last and when. Rows only — which keys may
// be stored and what values they may hold is decided above (settings/live_settings.hpp,
// core/settings.hpp ValidateSetting); the history of changes is the audit log
// (CaseStore::Log, action "setting").
// Threading: safe for concurrent use (the Database serialises).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct StoredSetting {
  std::string key;
  std::string value;
  UserId updated_by = 0;  // 0: the operator at the command line, or a deleted user
  int64_t updated_at = 0;
};

class SettingsStore {
 public:
  SettingsStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Every stored setting, by key. Errors: kIo.
  Result<std::vector<StoredSetting>> All();
  Result<std::vector<StoredSetting>> All(Sql& tx);
  // Inserts or replaces `key`'s value (updated_at: now). Errors: kIo.
  Status Put(Sql& tx, const std::string& key, const std::string& value, UserId by);
  // Forgets `key` (its Config value applies again). Errors: kIo.
  Status Remove(Sql& tx, const std::string& key);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
