// UserStore: the accounts table. A user has a unique name, a role (user, moderator, admin),
// an Argon2id password hash (made and checked by accounts/password.hpp, never here), the
// look-alike key of its name (name_skeleton, unique: made by accounts/user_names.hpp, never
// here; migration 13) and, while disabled, when and why (migration 7). Who may change a role
// or disable an account is accounts/user_admin.hpp's; this keeps rows only.
// Threading: safe for concurrent use; each method is one statement. Create, FindById,
// CountActiveAdmins, SetRole and SetDisabled take `Sql& tx`, to be called inside
// Database::Transaction (units of work: a new account and its sign-up bonus,
// accounts/accounts.hpp; a role change or a disabling with its audit row, user_admin.hpp).
#pragma once

#include <string>
#include <vector>

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
  int64_t disabled_at = 0;  // 0: enabled
  std::string disabled_reason;
  bool Disabled() const { return disabled_at != 0; }
  bool IsModerator() const { return role == "moderator" || role == "admin"; }
  bool IsAdmin() const { return role == "admin"; }
};

// For stores whose queries join users as `u` (sessions): the columns UserFromRow reads,
// from column 0 on.
extern const char* const kUserColumns;
User UserFromRow(const Row& r);

// What the users page (/admin/users) lists: a name part, a role, the disabled state.
struct UserQuery {
  std::string name_contains;  // "" for all; a substring, case ignored (LOWER: both dialects)
  std::string role;           // "" for all
  enum class Disabled { kAny, kYes, kNo };
  Disabled disabled = Disabled::kAny;
  int64_t limit = 50;
  int64_t offset = 0;
};

// A row of that list: the user, how many documents they uploaded, their wallet.
struct UserSummary {
  User user;
  int64_t documents = 0;
  int64_t balance = 0;
};

class UserStore {
 public:
  UserStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // The user named `name`, created with `role` and `skeleton` when missing. Errors:
  // kInvalidInput for an empty or over-long name or an unknown role; kConflict when the name
  // is missing but another account holds `skeleton`; kIo.
  Result<User> Ensure(const std::string& name, const std::string& role,
                      const std::string& skeleton);
  // A new account. Errors: kConflict (the name is taken, or another account holds
  // `skeleton`: FindByName tells which), kInvalidInput (unknown role), kIo.
  Result<User> Create(const std::string& name, const std::string& role,
                      const std::string& password_hash, const std::string& skeleton);
  Result<User> Create(Sql& tx, const std::string& name, const std::string& role,
                      const std::string& password_hash, const std::string& skeleton);
  // The account holding `skeleton`. Errors: kNotFound.
  Result<User> FindBySkeleton(const std::string& skeleton);
  // Up to `limit` accounts whose skeleton is not stored yet (made before migration 13), by id.
  Result<std::vector<User>> WithoutSkeleton(int64_t after_id, int64_t limit);
  // Stores `skeleton` for user `id` when no other account holds it; returns whether it did.
  Result<bool> SetSkeleton(UserId id, const std::string& skeleton);
  // Sets the password (and role, when not empty) of an existing user. Errors: kNotFound.
  Status SetPassword(const std::string& name, const std::string& password_hash,
                     const std::string& role);
  // The same inside a unit of work; returns the user's id. Errors: kNotFound.
  Result<UserId> SetPassword(Sql& tx, const std::string& name, const std::string& password_hash,
                             const std::string& role);
  // Sets the password of user `id`. Errors: kNotFound.
  Status SetPasswordById(Sql& tx, UserId id, const std::string& password_hash);
  // Errors: kNotFound.
  Result<User> FindByName(const std::string& name);
  Result<User> FindById(UserId id);
  Result<User> FindById(Sql& tx, UserId id);
  // Users matching `query`, by id. One query. REQUIRES: 1 <= limit <= 200.
  Result<std::vector<UserSummary>> List(const UserQuery& query);
  // Enabled admins (an admin may not leave the site without one).
  Result<int64_t> CountActiveAdmins(Sql& tx);
  // Errors: kInvalidInput (unknown role), kNotFound.
  Status SetRole(Sql& tx, UserId id, const std::string& role);
  // Disables (`at` > 0, with `reason`) or enables (`at` = 0) an account. Errors: kNotFound.
  Status SetDisabled(Sql& tx, UserId id, int64_t at, const std::string& reason);
  // The stored hash ("" when the account has no password, e.g. made by `import`).
  // Errors: kNotFound.
  Result<std::string> PasswordHash(UserId id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
