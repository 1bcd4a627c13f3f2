#include "storage/session_store.hpp"

namespace wenku::storage {

Status SessionStore::Create(const std::string& token_hash, UserId user, int64_t ttl_ms) {
  int64_t now = clock_.NowMs();
  return db_.Exec(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {token_hash, user, now, now + ttl_ms, now});
}

Result<SessionRow> SessionStore::Find(const std::string& token_hash) {
  auto row = db_.QueryOne(std::string("SELECT ") + kUserColumns +
                              ", s.created_at, s.last_seen_at"
                              " FROM sessions s JOIN users u ON u.id = s.user_id "
                              "WHERE s.token_hash = ? AND u.disabled_at IS NULL",
                          {token_hash});
  if (!row.ok()) return row.error();
  SessionRow out;
  out.user = UserFromRow(*row);
  size_t n = row->size();
  out.created_at = row->Int(n - 2);
  out.last_seen_at = row->Int(n - 1);
  return out;
}

Status SessionStore::Touch(const std::string& token_hash, int64_t now_ms) {
  return db_.Exec("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                  {now_ms, token_hash});
}

Result<int64_t> SessionStore::DeleteForUser(Sql& tx, UserId user) {
  auto rows = tx.Query("DELETE FROM sessions WHERE user_id = ? RETURNING 1", {user});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

Result<int64_t> SessionStore::DeleteOthers(Sql& tx, UserId user, const std::string& keep_hash) {
  auto rows = tx.Query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ? RETURNING 1",
                       {user, keep_hash});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

Status SessionStore::Delete(const std::string& token_hash) {
  return db_.Exec("DELETE FROM sessions WHERE token_hash = ?", {token_hash});
}

Result<int64_t> SessionStore::DeleteExpired(int64_t created_before, int64_t seen_before) {
  auto rows =
      db_.Query("DELETE FROM sessions WHERE created_at <= ? OR last_seen_at <= ? RETURNING 1",
                {created_before, seen_before});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

}  // namespace wenku::storage
