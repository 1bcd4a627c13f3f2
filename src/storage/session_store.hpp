// SessionStore: logged-in sessions. A session is known by the SHA-256 of its secret token
// (the cookie's value; API clients use API tokens, api_token_store.hpp); the token itself is never
// stored, so a copy of the database does not let anyone log in. Each row keeps when the session was
// made and last used; when that means it has expired is accounts/accounts.hpp's rule (the
// idle timeout and the absolute limit), this keeps rows only.
// Threading: safe for concurrent use; each method is one statement.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/user_store.hpp"

namespace wenku::storage {

struct SessionRow {
  User user;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
};

class SessionStore {
 public:
  SessionStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // A session made and last seen now; `expires_at` is kept as now + `ttl_ms` (the absolute
  // limit when it was made).
  Status Create(const std::string& token_hash, UserId user, int64_t ttl_ms);
  // The session and its user while the account is enabled, whatever its age.
  // Errors: kNotFound.
  Result<SessionRow> Find(const std::string& token_hash);
  // Records that the session was used at `now_ms`.
  Status Touch(const std::string& token_hash, int64_t now_ms);
  Status Delete(const std::string& token_hash);
  // Ends every session of `user` (a disabled account is logged out everywhere); returns how
  // many.
  Result<int64_t> DeleteForUser(Sql& tx, UserId user);
  // Ends every session of `user` but `keep_hash`'s; returns how many.
  Result<int64_t> DeleteOthers(Sql& tx, UserId user, const std::string& keep_hash);
  // Removes the sessions made at or before `created_before` or last seen at or before
  // `seen_before`; returns how many.
  Result<int64_t> DeleteExpired(int64_t created_before, int64_t seen_before);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
