#include "storage/change_counter_store.hpp"

namespace wenku::storage {

Status ChangeCounterStore::Bump(const std::string& name) {
  return db_.Exec(
      "INSERT INTO change_counters (name, value) VALUES (?, 1) "
      "ON CONFLICT (name) DO UPDATE SET value = change_counters.value + 1",
      {name});
}

Result<int64_t> ChangeCounterStore::Get(const std::string& name) {
  auto rows = db_.Query("SELECT value FROM change_counters WHERE name = ?", {name});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return int64_t{0};
  return (*rows)[0].Int(0);
}

}  // namespace wenku::storage
