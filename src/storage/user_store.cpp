#include "storage/user_store.hpp"

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
  return User{row->Int(0), row->Text(1), row->Text(2), row->Int(3)};
}

}  // namespace

Result<User> UserStore::Ensure(const std::string& name, const std::string& role) {
  if (name.empty() || name.size() > 64) {
    return MakeError(ErrorCode::kInvalidInput, "a user name has 1 to 64 bytes");
  }
  if (!ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  WENKU_TRY(
      db_.Exec("INSERT INTO users (name, role, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING",
               {name, role, clock_.NowMs()}));
  return FindByName(name);
}

Result<User> UserStore::Create(const std::string& name, const std::string& role,
                               const std::string& password_hash) {
  return Create(db_, name, role, password_hash);
}

Result<User> UserStore::Create(Sql& tx, const std::string& name, const std::string& role,
                               const std::string& password_hash) {
  if (!ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  auto rows = tx.Query(
      "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (name) DO NOTHING RETURNING id, created_at",
      {name, role, password_hash, clock_.NowMs()});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kConflict, "the name " + name + " is taken");
  return User{(*rows)[0].Int(0), name, role, (*rows)[0].Int(1)};
}

Status UserStore::SetPassword(const std::string& name, const std::string& password_hash,
                              const std::string& role) {
  if (!role.empty() && !ValidRole(role)) {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  auto rows = db_.Query(
      "UPDATE users SET password_hash = ?, role = CASE WHEN ? = '' THEN role ELSE ? END "
      "WHERE name = ? RETURNING id",
      {password_hash, role, role, name});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no user " + name);
  return {};
}

Result<User> UserStore::FindByName(const std::string& name) {
  return OneUser(
      db_.QueryOne("SELECT id, name, role, created_at FROM users WHERE name = ?", {name}),
      "named " + name);
}

Result<User> UserStore::FindById(UserId id) {
  return OneUser(db_.QueryOne("SELECT id, name, role, created_at FROM users WHERE id = ?", {id}),
                 std::to_string(id));
}

Result<std::string> UserStore::PasswordHash(UserId id) {
  auto row = db_.QueryOne("SELECT password_hash FROM users WHERE id = ?", {id});
  if (!row.ok()) return row.error();
  return row->Text(0);
}

}  // namespace wenku::storage
