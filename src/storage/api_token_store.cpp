// SqlApiTokenStore: api_tokens (migration 14) in portable SQL. See api_token_store.hpp.
#include "storage/api_token_store.hpp"

namespace wenku::storage {
namespace {

constexpr const char* kTokenColumns =
    "t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.revoked_at";
constexpr size_t kTokenColumnCount = 6;

ApiTokenRow TokenFromRow(const Row& r, size_t at) {
  ApiTokenRow t;
  t.id = r.Int(at);
  t.user_id = r.Int(at + 1);
  t.name = r.Text(at + 2);
  t.created_at = r.Int(at + 3);
  t.last_used_at = r.Int(at + 4);
  t.revoked_at = r.Int(at + 5);
  return t;
}

}  // namespace

Result<ApiTokenRow> SqlApiTokenStore::Create(
    UserId user, const std::string& name, const std::string& token_hash, int64_t now, int64_t since,
    const std::function<Status(const ApiTokenCounts&)>& check) {
  ApiTokenRow out;
  // On SQLite the transaction holds the write lock from its start (BEGIN IMMEDIATE), so the
  // counts cannot change before the insert. (PostgreSQL: lock the user's row first.)
  WENKU_TRY(db_.Transaction([&](Sql& tx) -> Status {
    auto counts = tx.QueryOne(
        "SELECT COALESCE(SUM(CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) "
        "FROM api_tokens WHERE user_id = ?",
        {since, user});
    if (!counts.ok()) return counts.error();
    WENKU_TRY(check(ApiTokenCounts{counts->Int(0), counts->Int(1)}));
    auto row = tx.QueryOne(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, last_used_at) "
        "VALUES (?, ?, ?, ?, 0) RETURNING id",
        {user, name, token_hash, now});
    if (!row.ok()) return row.error();
    out.id = row->Int(0);
    return {};
  }));
  out.user_id = user;
  out.name = name;
  out.created_at = now;
  return out;
}

Result<ApiTokenUse> SqlApiTokenStore::FindActive(const std::string& token_hash) {
  auto row = db_.QueryOne(std::string("SELECT ") + kUserColumns + ", " + kTokenColumns +
                              " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                              " WHERE t.token_hash = ? AND t.revoked_at IS NULL"
                              " AND u.disabled_at IS NULL",
                          {token_hash});
  if (!row.ok()) return row.error();
  ApiTokenUse use;
  use.user = UserFromRow(*row);
  use.token = TokenFromRow(*row, row->size() - kTokenColumnCount);
  return use;
}

Result<std::vector<ApiTokenRow>> SqlApiTokenStore::ListActive(UserId user) {
  auto rows = db_.Query(std::string("SELECT ") + kTokenColumns +
                            " FROM api_tokens t WHERE t.user_id = ? AND t.revoked_at IS NULL"
                            " ORDER BY t.created_at DESC, t.id DESC",
                        {user});
  if (!rows.ok()) return rows.error();
  std::vector<ApiTokenRow> out;
  for (const Row& r : *rows) out.push_back(TokenFromRow(r, 0));
  return out;
}

Status SqlApiTokenStore::Touch(int64_t id, int64_t now) {
  return db_.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, id});
}

Status SqlApiTokenStore::Revoke(UserId user, int64_t id, int64_t now) {
  auto rows = db_.Query(
      "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL "
      "RETURNING id",
      {now, id, user});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no such token");
  return {};
}

Result<int64_t> SqlApiTokenStore::RevokeAll(UserId user, int64_t now) {
  auto rows = db_.Query(
      "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL "
      "RETURNING id",
      {now, user});
  if (!rows.ok()) return rows.error();
  return static_cast<int64_t>(rows->size());
}

}  // namespace wenku::storage
