// wenku config — every setting, its value and where it came from; for runtime settings an
// admin changed on /admin/settings, the database's value (it beats the others). The
// database is only read, and only when it already exists (no data folder is created).
#include <cstdio>
#include <filesystem>
#include <map>

#include "app/commands.hpp"
#include "storage/settings_store.hpp"

namespace wenku::app {

int RunConfig(const Config& config) {
  std::map<std::string, storage::StoredSetting> stored;
  DataLayout layout(config.GetString("data"));
  if (std::filesystem::exists(layout.database())) {
    auto db = storage::OpenSqlite(layout.database().string());
    SystemClock clock;
    if (db.ok()) {
      storage::SettingsStore store(**db, clock);
      // A database from before migration 9 has no settings table: nothing to show.
      if (auto rows = store.All(); rows.ok()) {
        for (auto& r : *rows) stored[r.key] = r;
      }
    }
  }
  for (const auto& [key, value] : config.Describe()) {
    const SettingInfo* info = FindSettingInfo(key);
    auto it = stored.find(key);
    if (info != nullptr && info->runtime() && it != stored.end() &&
        !ValidateSetting(key, it->second.value)) {
      std::printf("%-24s %s  (database; without it: %s)\n", key.c_str(), it->second.value.c_str(),
                  value.c_str());
    } else {
      std::printf("%-24s %s%s\n", key.c_str(), value.c_str(),
                  info != nullptr && info->runtime() ? "  [runtime]" : "");
    }
  }
  return 0;
}

}  // namespace wenku::app
