#include "storage/user_store.hpp"

namespace wenku::storage {

Result<User> UserStore::Ensure(const std::string& name, const std::string& role) {
  if (name.empty() || name.size() > 64) {
    return MakeError(ErrorCode::kInvalidInput, "a user name has 1 to 64 bytes");
  }
  if (role != "user" && role != "moderator" && role != "admin") {
    return MakeError(ErrorCode::kInvalidInput, "role must be user, moderator or admin");
  }
  WENKU_TRY(
      db_.Exec("INSERT INTO users (name, role, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING",
               {name, role, clock_.NowMs()}));
  return FindByName(name);
}

Result<User> UserStore::FindByName(const std::string& name) {
  auto row = db_.QueryOne("SELECT id, name, role FROM users WHERE name = ?", {name});
  if (!row.ok()) {
    if (row.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no user named " + name);
    }
    return row.error();
  }
  return User{row->Int(0), row->Text(1), row->Text(2)};
}

}  // namespace wenku::storage
