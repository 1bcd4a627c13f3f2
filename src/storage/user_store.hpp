// UserStore: the accounts table. A user has a unique name, a role (user, moderator, admin)
// and an Argon2id password hash (made and checked by accounts/password.hpp, never here).
// Threading: safe for concurrent use; each method is one statement. Create has a form
// taking `Sql& tx`, to be called inside Database::Transaction (a unit of work: a new account
// and its sign-up bonus, accounts/accounts.hpp).
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct User {
  UserId id = 0;
  std::string name;
  std::string role;  // user | moderator | admin
  int64_t created_at = 0;
  bool IsModerator() const { return role == "moderator" || role == "admin"; }
  bool IsAdmin() const { return role == "admin"; }
};

class UserStore {
 public:
  UserStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // The user named `name`, created with `role` when missing. Errors: kInvalidInput for an
  // empty or over-long name or an unknown role; kIo.
  Result<User> Ensure(const std::string& name, const std::string& role);
  // A new account. Errors: kConflict (the name is taken), kInvalidInput (unknown role), kIo.
  Result<User> Create(const std::string& name, const std::string& role,
                      const std::string& password_hash);
  Result<User> Create(Sql& tx, const std::string& name, const std::string& role,
                      const std::string& password_hash);
  // Sets the password (and role, when not empty) of an existing user. Errors: kNotFound.
  Status SetPassword(const std::string& name, const std::string& password_hash,
                     const std::string& role);
  // Errors: kNotFound.
  Result<User> FindByName(const std::string& name);
  Result<User> FindById(UserId id);
  // The stored hash ("" when the account has no password, e.g. made by `import`).
  // Errors: kNotFound.
  Result<std::string> PasswordHash(UserId id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
