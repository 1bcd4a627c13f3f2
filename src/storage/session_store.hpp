// SessionStore: logged-in sessions. A session is known by the SHA-256 of its secret token
// (the cookie value, also usable as an API Bearer token); the token itself is never stored,
// so a copy of the database does not let anyone log in.
// Threading: safe for concurrent use; each method is one statement.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/user_store.hpp"

namespace wenku::storage {

class SessionStore {
 public:
  SessionStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Status Create(const std::string& token_hash, UserId user, int64_t ttl_ms);
  // The session's user while it has not expired and the account is enabled.
  // Errors: kNotFound.
  Result<User> Find(const std::string& token_hash);
  Status Delete(const std::string& token_hash);
  // Ends every session of `user` (a disabled account is logged out everywhere); returns how
  // many.
  Result<int64_t> DeleteForUser(Sql& tx, UserId user);
  // Removes expired sessions; returns how many.
  Result<int64_t> DeleteExpired();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
