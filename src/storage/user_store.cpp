#include "storage/user_store.hpp"

#include <algorithm>

namespace wenku::storage {
namespace {

bool ValidRole(const std::string& role) {
  return role == "user" || role == "moderator" || role == "admin";
}

Result<User> OneUser(Result<Row> row, const std::string& what) {
  if (!row.ok()) {
    if (row.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no user " + what);
    }
    return row.error();
  }
  return UserFromRow(*row);
}

}  // namespace

const char* const kUserColumns =
    "u.id, u.name, u.role, u.created_at, u.disabled_at, u.disabled_reason";

User UserFromRow(const Row& r) {
  User u{r.Int(0), r.Text(1), r.Text(2), r.Int(3)};
  u.disabled_at = r.Int(4);
  u.disabled_reason = r.Text(5);
  return u;
}

Result<User> UserStore::Ensure(const std::string& name, const std::string& role,
                               const std::string& skeleton) {
  if (name.empty() || name.size() > 64) {
    return MakeError(ErrorCode::kInvalidInput, "a user name has 1 to 64 bytes");
  }
  if (!ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  // No conflict target: a taken name and a taken skeleton both leave the row alone.
  WENKU_TRY(
      db_.Exec("INSERT INTO users (name, role, name_skeleton, created_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT DO NOTHING",
               {name, role, skeleton, clock_.NowMs()}));
  auto user = FindByName(name);
  if (!user.ok() && user.error().code == ErrorCode::kNotFound) {
    return MakeError(ErrorCode::kConflict,
                     "the name " + name + " looks like an existing user's name");
  }
  return user;
}

Result<User> UserStore::Create(const std::string& name, const std::string& role,
                               const std::string& password_hash, const std::string& skeleton) {
  return Create(db_, name, role, password_hash, skeleton);
}

Result<User> UserStore::Create(Sql& tx, const std::string& name, const std::string& role,
                               const std::string& password_hash, const std::string& skeleton) {
  if (!ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  auto rows = tx.Query(
      "INSERT INTO users (name, role, password_hash, name_skeleton, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id, created_at",
      {name, role, password_hash, skeleton, clock_.NowMs()});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict,
                     "the name " + name + " is taken or looks like an existing user's name");
  }
  return User{(*rows)[0].Int(0), name, role, (*rows)[0].Int(1)};
}

Status UserStore::SetPassword(const std::string& name, const std::string& password_hash,
                              const std::string& role) {
  auto id = SetPassword(db_, name, password_hash, role);
  if (!id.ok()) return id.error();
  return {};
}

Result<UserId> UserStore::SetPassword(Sql& tx, const std::string& name,
                                      const std::string& password_hash, const std::string& role) {
  if (!role.empty() && !ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  auto rows = tx.Query(
      "UPDATE users SET password_hash = ?, role = CASE WHEN ? = '' THEN role ELSE ? END "
      "WHERE name = ? RETURNING id",
      {password_hash, role, role, name});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no user " + name);
  return (*rows)[0].Int(0);
}

Status UserStore::SetPasswordById(Sql& tx, UserId id, const std::string& password_hash) {
  auto rows =
      tx.Query("UPDATE users SET password_hash = ? WHERE id = ? RETURNING id", {password_hash, id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no user " + std::to_string(id));
  return {};
}

Result<User> UserStore::FindByName(const std::string& name) {
  return OneUser(
      db_.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.name = ?",
                   {name}),
      "named " + name);
}

Result<User> UserStore::FindBySkeleton(const std::string& skeleton) {
  return OneUser(db_.QueryOne(std::string("SELECT ") + kUserColumns +
                                  " FROM users u WHERE u.name_skeleton = ?",
                              {skeleton}),
                 "with that skeleton");
}

Result<std::vector<User>> UserStore::WithoutSkeleton(int64_t after_id, int64_t limit) {
  auto rows = db_.Query(std::string("SELECT ") + kUserColumns +
                            " FROM users u WHERE u.name_skeleton IS NULL AND u.id > ? "
                            "ORDER BY u.id LIMIT ?",
                        {after_id, limit});
  if (!rows.ok()) return rows.error();
  std::vector<User> out;
  for (const Row& r : *rows) out.push_back(UserFromRow(r));
  return out;
}

Result<bool> UserStore::SetSkeleton(UserId id, const std::string& skeleton) {
  auto rows = db_.Query(
      "UPDATE users SET name_skeleton = ? WHERE id = ? AND name_skeleton IS NULL "
      "AND NOT EXISTS (SELECT 1 FROM users o WHERE o.name_skeleton = ?) RETURNING id",
      {skeleton, id, skeleton});
  if (!rows.ok()) {
    // Another start filled the same skeleton at the same moment: the index kept one.
    if (rows.error().code == ErrorCode::kConflict) return false;
    return rows.error();
  }
  return !rows->empty();
}

Result<User> UserStore::FindById(UserId id) { return FindById(db_, id); }

Result<User> UserStore::FindById(Sql& tx, UserId id) {
  return OneUser(
      tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?", {id}),
      std::to_string(id));
}

Result<std::vector<UserSummary>> UserStore::List(const UserQuery& q) {
  std::string sql = std::string("SELECT ") + kUserColumns +
                    ", (SELECT COUNT(*) FROM documents d WHERE d.owner_id = u.id), "
                    "COALESCE((SELECT a.balance FROM ledger_accounts a WHERE a.kind = 'wallet' "
                    "AND a.user_id = u.id), 0) FROM users u WHERE 1 = 1";
  std::vector<Value> params;
  if (!q.name_contains.empty()) {
    // Wildcards in the search text are matched literally.
    std::string pattern = "%";
    for (char c : q.name_contains) {
      if (c == '%' || c == '_' || c == '!') pattern += '!';
      pattern += c;
    }
    pattern += "%";
    sql += " AND LOWER(u.name) LIKE LOWER(?) ESCAPE '!'";
    params.emplace_back(pattern);
  }
  if (!q.role.empty()) {
    sql += " AND u.role = ?";
    params.emplace_back(q.role);
  }
  if (q.disabled == UserQuery::Disabled::kYes) sql += " AND u.disabled_at IS NOT NULL";
  if (q.disabled == UserQuery::Disabled::kNo) sql += " AND u.disabled_at IS NULL";
  sql += " ORDER BY u.id LIMIT ? OFFSET ?";
  params.emplace_back(std::clamp<int64_t>(q.limit, 1, 200));
  params.emplace_back(std::max<int64_t>(q.offset, 0));
  auto rows = db_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<UserSummary> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(UserSummary{UserFromRow(r), r.Int(6), r.Int(7)});
  return out;
}

Result<int64_t> UserStore::CountActiveAdmins(Sql& tx) {
  auto row =
      tx.QueryOne("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL", {});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Status UserStore::SetRole(Sql& tx, UserId id, const std::string& role) {
  if (!ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  auto rows = tx.Query("UPDATE users SET role = ? WHERE id = ? RETURNING id", {role, id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no user " + std::to_string(id));
  return {};
}

Status UserStore::SetDisabled(Sql& tx, UserId id, int64_t at, const std::string& reason) {
  auto rows =
      tx.Query("UPDATE users SET disabled_at = ?, disabled_reason = ? WHERE id = ? RETURNING id",
               {at > 0 ? Value(at) : Value(nullptr), at > 0 ? reason : std::string(), id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no user " + std::to_string(id));
  return {};
}

Result<std::string> UserStore::PasswordHash(UserId id) {
  auto row = db_.QueryOne("SELECT password_hash FROM users WHERE id = ?", {id});
  if (!row.ok()) return row.error();
  return row->Text(0);
}

}  // namespace wenku::storage
