#include "storage/settings_store.hpp"

namespace wenku::storage {
namespace {

constexpr const char* kSelect =
    "SELECT key, value, updated_by, updated_at FROM settings ORDER BY key";

std::vector<StoredSetting> ToSettings(const Rows& rows) {
  std::vector<StoredSetting> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(StoredSetting{r.Text(0), r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

}  // namespace

Result<std::vector<StoredSetting>> SettingsStore::All() { return All(db_); }

Result<std::vector<StoredSetting>> SettingsStore::All(Sql& tx) {
  auto rows = tx.Query(kSelect);
  if (!rows.ok()) return rows.error();
  return ToSettings(*rows);
}

Status SettingsStore::Put(Sql& tx, const std::string& key, const std::string& value, UserId by) {
  return tx.Exec(
      "INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
      "updated_at = excluded.updated_at",
      {key, value, by == 0 ? Value(nullptr) : Value(by), clock_.NowMs()});
}

Status SettingsStore::Remove(Sql& tx, const std::string& key) {
  return tx.Exec("DELETE FROM settings WHERE key = ?", {key});
}

}  // namespace wenku::storage
