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
//                name_mixed_script / password_invalid), kConflict ("name_taken", or
//                "name_confusable": another account's name looks the same,
//                user_names.hpp), kIo.
//   New names    every way an account is made (Register, AddOrUpdate, EnsureUser) stores the
//                name's skeleton (user_names.hpp) and is refused when another account holds
//                it; FillNameSkeletons gives the accounts made before the rule theirs.
//   Authenticate name + password → the user; a wrong name, an account without a password
//                and a wrong password each cost one Argon2id verification (the same time)
//                and give the same answer. Errors: kUnauthenticated
//                ("bad_login"), kForbidden ("account_disabled": the right password for a
//                disabled account, see user_admin.hpp), kIo.
//   AddOrUpdate  the operator makes an account with a role (no bonus: it is not a sign-up)
//                or resets an existing one's password and role; a reset ends every session
//                of the account (whoever had it logged in must prove the new password).
//   ChangePassword  the user proves the current password and gives a valid new one; the
//                change ends every OTHER session of the user and keeps the one asking, in
//                one unit of work. Errors: kInvalidInput ("password_invalid"),
//                kUnauthenticated ("current_password_wrong"), kIo.
//   Sessions     a session is a random 256-bit token; only its SHA-256 is stored
//                (storage/session_store.hpp). It ends when it has not been used for
//                SessionPolicy::idle_ms (setting session.idle_minutes) or was made
//                SessionPolicy::max_ms ago (session.max_days), whichever comes first; an
//                ended session is refused and deleted. Use renews it (sliding), but the
//                last-seen time is written at most once per kSessionRenewEveryMs per session,
//                not once a request.
// Threading: safe for concurrent use (the stores are).
#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "points/points.hpp"
#include "storage/database.hpp"
#include "storage/session_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::accounts {

struct Session {
  storage::User user;
  std::string token;  // the secret: the cookie's value (API clients: api_tokens.hpp)
};

// How long sessions last (see Sessions above).
struct SessionPolicy {
  int64_t idle_ms = 120LL * 60 * 1000;
  int64_t max_ms = 30LL * 24 * 3600 * 1000;
  // From the settings session.idle_minutes and session.max_days.
  static SessionPolicy FromConfig(const Config& config);
};
// A session's last-seen time is written at most this often.
inline constexpr int64_t kSessionRenewEveryMs = 60'000;

class Accounts {
 public:
  Accounts(storage::Database& db, storage::UserStore& users, storage::SessionStore& sessions,
           points::Points& points, SessionPolicy policy, const Clock& clock)
      : db_(db),
        users_(users),
        sessions_(sessions),
        points_(points),
        policy_(policy),
        clock_(clock) {}

  Result<storage::User> Register(const std::string& name, const std::string& password);
  Result<storage::User> Authenticate(const std::string& name, const std::string& password);
  // `password` empty: a random one is made and returned in *generated. Returns whether
  // the account was created (false: an existing one was updated). Errors: kInvalidInput
  // (a bad name, password or role), kIo.
  Result<bool> AddOrUpdate(const std::string& name, const std::string& role,
                           const std::string& password, std::string* generated);
  // The account named `name`, made without a password (`wenku import --owner`) when missing.
  // Errors: kInvalidInput (a bad name), kConflict (it looks like another's name), kIo.
  Result<storage::User> EnsureUser(const std::string& name, const std::string& role);
  // Stores the skeleton of every account made before migration 13 (run at each start; cheap
  // once done). An old name that looks like an older one keeps none (a warning is logged).
  // Returns how many were filled.
  Result<int64_t> FillNameSkeletons();

  // `keep_token_hash`: the session asking (kept). Returns how many other sessions ended.
  Result<int64_t> ChangePassword(const storage::User& user, const std::string& current,
                                 const std::string& new_password,
                                 const std::string& keep_token_hash);

  Result<Session> OpenSession(const storage::User& user);
  // The user a token belongs to while its session lasts (and renews it); nullopt for
  // anything else (an ended session is deleted). `token_hash` (optional) receives the
  // stored hash (to end the session later).
  std::optional<storage::User> UserForToken(const std::string& token, std::string* token_hash);
  Status EndSession(const std::string& token_hash);
  // Deletes every ended session; returns how many.
  Result<int64_t> DeleteExpiredSessions();

  Result<storage::User> FindByName(const std::string& name) { return users_.FindByName(name); }
  // The longest a session can last (the cookie's Max-Age).
  int64_t session_ttl_ms() const { return policy_.max_ms; }
  const SessionPolicy& session_policy() const { return policy_; }

 private:
  // The kConflict a new `name` met: "name_taken" or "name_confusable".
  Error NameConflict(const std::string& name);

  storage::Database& db_;
  storage::UserStore& users_;
  storage::SessionStore& sessions_;
  points::Points& points_;
  SessionPolicy policy_;
  const Clock& clock_;
};

}  // namespace wenku::accounts
