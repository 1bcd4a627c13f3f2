// Auth: what the website adds to accounts (accounts/accounts.hpp owns the rules: names,
// passwords, sign-up with its bonus, sessions) — the per-IP and per-account rate limits, and
// how a session travels: the browser (or a script with a cookie jar) keeps its token in the
// `wenku_session` cookie (HttpOnly, SameSite=Lax, Secure behind TLS). It is never a Bearer
// token: API clients send an API token (accounts/api_tokens.hpp), which dispatch.cpp checks.
// Password hashing takes ~70 ms: these run on handler threads, never the event loop.
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

// Checks the rate limits and the password, then opens a session.
// Errors: kRateLimited, kUnauthenticated (wrong name or password: the same answer for both),
// kForbidden ("account_disabled"), kIo.
Result<Session> LogIn(Site& site, const std::string& name, const std::string& password,
                      const std::string& ip);
// A new account (accounts::Accounts::Register: role user, with its sign-up bonus) and its
// first session. Errors: kInvalidInput (message is a catalog key: name_invalid /
// password_invalid), kConflict (name_taken), kRateLimited, kIo.
Result<Session> Register(Site& site, const std::string& name, const std::string& password,
                         const std::string& ip);
// The logged-in user of `ctx` changes the password (accounts::Accounts::ChangePassword: every
// other session ends, this one stays). A wrong current password counts against the same
// per-account and per-IP limits as a failed log-in. Errors: kInvalidInput
// ("password_invalid"), kUnauthenticated ("current_password_wrong"), kRateLimited
// ("too_many_logins"), kIo.
Result<int64_t> ChangePassword(Context& ctx, const std::string& current,
                               const std::string& new_password);
// Ends the current session (cookie cleared, row deleted).
void LogOut(Context& ctx);

// Makes the response log the browser in / out.
void SetSessionCookie(Context& ctx, const std::string& token);
// A fresh CSRF token for a newly logged-in browser (no fixation across log-in).
void RotateCsrf(Context& ctx);

// The user a session token (the cookie's) belongs to, or nullopt.
std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash);

}  // namespace wenku::web
