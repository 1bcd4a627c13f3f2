// Auth: what the website adds to accounts (accounts/accounts.hpp owns the rules: names,
// passwords, sign-up with its bonus, sessions; accounts/login_throttle.hpp how long a log-in
// waits) — which address a visitor counts as (SubscriberAddress: IPv6 by /64), and how a
// session travels: the browser keeps its token in the `wenku_session` cookie
// (HttpOnly, SameSite=Lax, Secure behind TLS), an API client sends it as
// `Authorization: Bearer …`. Password hashing takes ~70 ms: these run on handler threads,
// never the event loop.
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

// The user a session token belongs to, or nullopt.
std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash);

}  // namespace wenku::web
