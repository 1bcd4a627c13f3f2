// ApiTokens: the use cases of API tokens — separate, revocable credentials an API client
// sends as `Authorization: Bearer wk_…`, apart from log-in sessions (a session's token is
// never accepted as a Bearer: web/dispatch.cpp asks only here). Delivery (the API, /me, the
// CLI) calls these; the rows are storage/api_token_store.hpp's.
//
// Rules (one place for each):
//   Create    a logged-in user names a new token (1–kApiTokenNameMaxChars characters after
//             NFC and trimming; no control or bidi characters) and gets its secret once:
//             "wk_" + 64 hex digits (256 random bits). Only the SHA-256 is stored.
//             Proof::kSession only: a token cannot make tokens, so revoking a leaked token
//             ends the leak (it cannot have left a successor behind).
//             At most kMaxActiveApiTokens in force and kMaxApiTokensPerDay made in 24 hours
//             (revoked ones count there too), checked and inserted in one transaction.
//             Errors: kForbidden ("token_needs_session"), kInvalidInput
//             ("token_name_invalid"), kConflict ("too_many_tokens"), kRateLimited
//             ("too_many_tokens_today"), kIo.
//   List      a user's tokens in force: name, made, last used — never the secret (it is not
//             kept).
//   Revoke    a user's own token in force, by id, with either proof (revoking only takes
//             access away). Another user's token, an unknown or revoked one:
//             kNotFound ("token_not_found") — the same answer, so ids tell nothing.
//   UserForToken  a token in force of an enabled account → its user; the use is recorded
//             (last_used_at) at most once per kApiTokenTouchEveryMs. A disabled account's
//             tokens are refused while it is disabled (and work again if it is enabled:
//             the operator's reset below is the way to cut them off for good).
//   Password changes: the user's own change (Accounts::ChangePassword, /me/password) ends
//             the other sessions but KEEPS the tokens — they are credentials the user made
//             on purpose for programs, listed on /me beside the password link with when
//             each was last used, and revoked there one by one; a routine password change
//             must not break every script. The operator's reset of a lost account (`wenku
//             user add NAME --password …`, app/user_command.cpp) calls RevokeAll: nothing
//             made while someone else may have held the password survives it.
// Threading: safe for concurrent use (the store is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/api_token_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::accounts {

inline constexpr size_t kApiTokenNameMaxChars = 40;
inline constexpr int64_t kMaxActiveApiTokens = 10;
inline constexpr int64_t kMaxApiTokensPerDay = 20;
inline constexpr int64_t kApiTokenTouchEveryMs = 60'000;
inline constexpr std::string_view kApiTokenPrefix = "wk_";

// How the caller proved who they are: a log-in session (cookie) or an API token (Bearer).
enum class Proof { kSession, kApiToken };

struct CreatedApiToken {
  storage::ApiTokenRow row;
  std::string secret;  // shown once, never stored
};

// Whether `token` has the shape of an API token ("wk_" + 64 lower-case hex digits).
bool LooksLikeApiToken(std::string_view token);
// `name` as it would be stored (NFC, trimmed), or nullopt when it breaks the name rule.
std::optional<std::string> CleanApiTokenName(std::string_view name);

class ApiTokens {
 public:
  ApiTokens(storage::ApiTokenStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<CreatedApiToken> Create(const storage::User& user, std::string_view name, Proof proof);
  Result<std::vector<storage::ApiTokenRow>> List(const storage::User& user);
  Status Revoke(const storage::User& user, int64_t id);
  std::optional<storage::ApiTokenUse> UserForToken(std::string_view token);
  Result<int64_t> RevokeAll(UserId user);

 private:
  storage::ApiTokenStore& store_;
  const Clock& clock_;
};

}  // namespace wenku::accounts
