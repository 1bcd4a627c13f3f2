// Auth: accounts and sessions for the website and the API.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits,
// ~70 ms a hash; run on the handler threads, never the event loop). A session is a random
// 256-bit token: the browser keeps it in the `wenku_session` cookie (HttpOnly, SameSite=Lax,
// Secure behind TLS), an API client sends it as `Authorization: Bearer …`; the database
// keeps only its SHA-256. Failed log-ins are rate-limited per account and per IP address.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "storage/user_store.hpp"
#include "web/context.hpp"

namespace wenku::web {

std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
// 32 random bytes as 64 hex digits.
std::string NewToken();

// The catalog key of what is wrong with a user name / password, or nullopt when it is fine.
// Names: 2–32 characters, letters (any script), digits, '_' and '-'. Passwords: 8–128 bytes.
std::optional<std::string> CheckUserName(std::string_view name);
std::optional<std::string> CheckPassword(std::string_view password);

struct Session {
  storage::User user;
  std::string token;
};

// Checks the rate limits and the password, then opens a session.
// Errors: kRateLimited, kUnauthenticated (wrong name or password: the same answer for both),
// kIo.
Result<Session> LogIn(Site& site, const std::string& name, const std::string& password,
                      const std::string& ip);
// A new account (role user) with its sign-up bonus (economy.signup_bonus points; a failed
// bonus is logged, not an error) and its first session. Errors: kInvalidInput (message is a
// catalog key: name_invalid / password_invalid), kConflict (name_taken), kRateLimited, kIo.
Result<Session> Register(Site& site, const std::string& name, const std::string& password,
                         const std::string& ip);
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
