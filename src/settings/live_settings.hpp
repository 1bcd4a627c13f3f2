// LiveSettings: the settings a running site reads, with an admin's changes applied without a
// restart. For each key, a later layer beats an earlier one:
//   default < wenku.toml < WENKU_* < flags   (the Config given at start)
//   < the database                           (table `settings`, runtime keys only)
// Start-time settings (no group in the list, core/settings.hpp) come from the Config alone.
//
// Cache: the database values are kept in memory. Save updates this process's cache at once;
// every other process (a worker, another web node) re-reads the table when it is asked for
// a value and its copy is older than `refresh_ms` (2 s by default), so a change reaches
// every process within about 2 s. The re-read is one plain SELECT (SQLite answers it on a
// read-only connection), so a Get may be called inside a write transaction. A failed
// re-read keeps the last values (logged) and is tried again on the next Get after
// `refresh_ms`.
//
// Save validates every value with ValidateSetting (the same rules Config applies) and
// refuses keys that are not runtime; if any value is refused nothing is written. Otherwise,
// in one transaction, each changed key is stored and an audit_log row is written (action
// "setting", note "key: old → new", the actor; no document or case).
// Threading: safe for concurrent use.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/settings.hpp"
#include "storage/case_store.hpp"
#include "storage/database.hpp"
#include "storage/settings_store.hpp"

namespace wenku::settings {

// A runtime setting as the admin page shows it.
struct SettingState {
  const SettingInfo* info = nullptr;
  std::string value;
  // "default", "file", "environment", "command line" or "database".
  std::string source;
};

struct Actor {
  UserId id = 0;  // 0: the operator at the command line
  std::string name;
};

struct SaveOutcome {
  // Refused values by key; when not empty nothing was saved.
  std::map<std::string, SettingProblem> problems;
  std::vector<std::string> changed;  // keys whose value changed, in list order
};

class LiveSettings final : public Settings {
 public:
  LiveSettings(Config config, storage::Database& db, storage::CaseStore& cases, const Clock& clock,
               int64_t refresh_ms = 2000);

  std::string GetString(const std::string& key) const override;
  long GetInt(const std::string& key) const override;

  // Every runtime setting, in list order, with its value and source now.
  std::vector<SettingState> Describe() const;
  // See the top of this file. Unknown keys are kUnknown problems. Errors: kIo (nothing saved).
  Result<SaveOutcome> Save(const std::map<std::string, std::string>& values, const Actor& actor);
  // Re-reads the database now. Errors: kIo.
  Status Refresh() const;

 private:
  // Reads the table into stored_. REQUIRES: mu_ held.
  Status LoadLocked() const;
  // The database's values, re-read when older than refresh_ms_. REQUIRES: mu_ held.
  const std::map<std::string, std::string>& CurrentLocked() const;
  std::string ValueLocked(const std::string& key, const SettingInfo& info) const;

  const Config config_;
  storage::Database& db_;
  mutable storage::SettingsStore store_;
  storage::CaseStore& cases_;
  const Clock& clock_;
  const int64_t refresh_ms_;

  mutable std::mutex mu_;
  mutable std::map<std::string, std::string> stored_;  // runtime keys in the database
  mutable bool loaded_ = false;
  mutable int64_t loaded_at_ = 0;
};

// The value of a setting as the source names it for people: the Config's "default",
// "command line"…, a file's path as "file", "environment WENKU_X" as "environment".
std::string SourceKind(const std::string& config_source);

}  // namespace wenku::settings
