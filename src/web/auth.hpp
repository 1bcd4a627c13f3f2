// Auth: what the website adds to accounts (accounts/accounts.hpp owns the rules: names,
// passwords, sign-up with its bonus, sessions; accounts/login_throttle.hpp how long a log-in
// waits) — which address a visitor counts as (SubscriberAddress: IPv6 by /64), and how a
// session travels: the browser (or a script with a cookie jar) keeps its token in the session
// cookie (`wenku_session`, or `__Host-wenku_session` with Secure over HTTPS:
// SessionCookieName; HttpOnly, SameSite=Lax), and the CSRF tokens its forms carry. It is
// never a Bearer token: API clients send an API token (accounts/api_tokens.hpp), which
// dispatch.cpp checks. Password hashing takes ~70 ms: these run on handler threads, never
// the event loop.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "accounts/accounts.hpp"
#include "accounts/password.hpp"
#include "core/result.hpp"
#include "storage/user_store.hpp"
#include "web/context.hpp"

namespace wenku::web {

using accounts::CheckPassword;
using accounts::CheckUserName;
using accounts::NewToken;
using accounts::Session;

// Reserves the attempt with the log-in throttle (accounts/login_throttle.hpp: per account
// and per subscriber address of `ip`), checks the password, then opens a session.
// Errors: kRateLimited ("too_many_logins"; *retry_after_ms, when given, says how long to
// wait), kUnauthenticated (wrong name or password: the same answer, in the same time, for
// both), kForbidden ("account_disabled"), kIo.
Result<Session> LogIn(Site& site, const std::string& name, const std::string& password,
                      const std::string& ip, int64_t* retry_after_ms = nullptr);
// "Too many attempts; try again in N seconds / minutes" for a wait of `ms`.
std::string LoginWaitMessage(Lang lang, int64_t ms);
// Whole seconds to put in Retry-After for a wait of `ms` (at least 1).
int64_t RetryAfterSeconds(int64_t ms);
// A new account (accounts::Accounts::Register: role user, with its sign-up bonus) and its
// first session. Errors: kInvalidInput (message is a catalog key: name_invalid /
// password_invalid), kConflict (name_taken), kRateLimited, kIo.
Result<Session> Register(Site& site, const std::string& name, const std::string& password,
                         const std::string& ip);
// The logged-in user of `ctx` changes the password (accounts::Accounts::ChangePassword: every
// other session ends, this one stays). The attempt goes through the same log-in throttle as
// a log-in (a wrong current password is a failed attempt). Errors: kInvalidInput
// ("password_invalid"), kUnauthenticated ("current_password_wrong"), kRateLimited
// ("too_many_logins"; *retry_after_ms as for LogIn), kIo.
Result<int64_t> ChangePassword(Context& ctx, const std::string& current,
                               const std::string& new_password, int64_t* retry_after_ms = nullptr);
// Ends the current session (cookie cleared, row deleted).
void LogOut(Context& ctx);

// Makes the response log the browser in / out.
void SetSessionCookie(Context& ctx, const std::string& token);
// A fresh CSRF token for a newly logged-in browser (no fixation across log-in).
void RotateCsrf(Context& ctx);

// CSRF tokens as forms and X-CSRF-Token carry them. The browser keeps a random secret in the
// wenku_csrf cookie (32 bytes, 64 hex digits); a page never shows the secret itself but
//  - bound = BLAKE2b keyed with the secret over the session's hash ("" when anonymous), so a
//    token is good for one session only and a log-in or log-out invalidates the old ones;
//  - masked with 32 fresh random bytes per response: pad ‖ (pad XOR bound), 128 hex digits,
//    so no two responses carry the same token and BREACH (compression as an oracle for a
//    secret next to reflected input) has nothing stable to guess.
// `cookie_secret` must be 64 hex digits (else "" is returned / nothing matches).
std::string MaskedCsrfToken(std::string_view cookie_secret, std::string_view session_hash);
// Whether `sent` unmasks to the bound token of this secret and session (constant time).
bool CsrfTokenMatches(std::string_view sent, std::string_view cookie_secret,
                      std::string_view session_hash);

// The user a session token (the cookie's) belongs to, or nullopt.
std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash);

}  // namespace wenku::web
