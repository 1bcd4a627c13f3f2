// Accounts: the use cases of who someone is — signing up, proving a password, sessions, and
// the operator's `wenku user add`. Delivery (the website, the API, the CLI) calls these;
// what is delivery's own stays there (cookies, per-IP rate limits: web/auth.hpp).
//
// Rules (one place for each):
//   (every name is taken in NormalizeUserName's form — NFC — before it is checked, stored
//   or looked up)
//   Register     a valid name and password (password.hpp) → a new account with role `user`
//                and its sign-up bonus (points::Points::SignupBonus), in ONE unit of work:
//                there is never an account that missed its bonus, nor a bonus without its
//                account. Errors: kInvalidInput (message: the catalog key name_invalid /
//                password_invalid), kConflict ("name_taken"), kIo.
//   Authenticate name + password → the user; a wrong name and a wrong password take the
//                same time and give the same answer. Errors: kUnauthenticated
//                ("bad_login"), kForbidden ("account_disabled": the right password for a
//                disabled account, see user_admin.hpp), kIo.
//   AddOrUpdate  the operator makes an account with a role (no bonus: it is not a sign-up)
//                or resets an existing one's password and role.
//   Sessions     a session is a random 256-bit token; only its SHA-256 is stored
//                (storage/session_store.hpp); it lasts `session_ttl_ms`.
// Threading: safe for concurrent use (the stores are).
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "points/points.hpp"
#include "storage/database.hpp"
#include "storage/session_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::accounts {

struct Session {
  storage::User user;
  std::string token;  // the secret: the cookie value or the API's Bearer token
};

class Accounts {
 public:
  Accounts(storage::Database& db, storage::UserStore& users, storage::SessionStore& sessions,
           points::Points& points, int64_t session_ttl_ms)
      : db_(db), users_(users), sessions_(sessions), points_(points), ttl_ms_(session_ttl_ms) {}

  Result<storage::User> Register(const std::string& name, const std::string& password);
  Result<storage::User> Authenticate(const std::string& name, const std::string& password);
  // `password` empty: a random one is made and returned in *generated. Returns whether
  // the account was created (false: an existing one was updated). Errors: kInvalidInput
  // (a bad name, password or role), kIo.
  Result<bool> AddOrUpdate(const std::string& name, const std::string& role,
                           const std::string& password, std::string* generated);

  Result<Session> OpenSession(const storage::User& user);
  // The user a token belongs to while its session lasts; nullopt for anything else.
  // `token_hash` (optional) receives the stored hash (to end the session later).
  std::optional<storage::User> UserForToken(const std::string& token, std::string* token_hash);
  Status EndSession(const std::string& token_hash);

  Result<storage::User> FindByName(const std::string& name) { return users_.FindByName(name); }
  int64_t session_ttl_ms() const { return ttl_ms_; }

 private:
  storage::Database& db_;
  storage::UserStore& users_;
  storage::SessionStore& sessions_;
  points::Points& points_;
  int64_t ttl_ms_;
};

}  // namespace wenku::accounts
