#include "storage/session_store.hpp"

namespace wenku::storage {

Status SessionStore::Create(const std::string& token_hash, UserId user, int64_t ttl_ms) {
  int64_t now = clock_.NowMs();
  return db_.Exec(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      {token_hash, user, now, now + ttl_ms});
}

Result<User> SessionStore::Find(const std::string& token_hash) {
  auto row =
      db_.QueryOne(std::string("SELECT ") + kUserColumns +
                       " FROM sessions s JOIN users u ON u.id = s.user_id "
                       "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
                   {token_hash, clock_.NowMs()});
  if (!row.ok()) return row.error();
  return UserFromRow(*row);
}

Result<int64_t> SessionStore::DeleteForUser(Sql& tx, UserId user) {
  auto rows = tx.Query("DELETE FROM sessions WHERE user_id = ? RETURNING 1", {user});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

Status SessionStore::Delete(const std::string& token_hash) {
  return db_.Exec("DELETE FROM sessions WHERE token_hash = ?", {token_hash});
}

Result<int64_t> SessionStore::DeleteExpired() {
  auto rows = db_.Query("DELETE FROM sessions WHERE expires_at <= ? RETURNING 1", {clock_.NowMs()});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

}  // namespace wenku::storage
