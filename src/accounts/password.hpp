// Passwords, user names and secret tokens: the rules of what an account may be called and
// how its secrets are made and kept.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits,
// ~70 ms a hash: call it on handler threads, never the event loop). Tokens are 32 random
// bytes from libsodium as 64 hex digits (sessions, CSRF, purchase keys).
// Threading: every function is safe for concurrent use (libsodium is initialised by main).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wenku::accounts {

std::string HashPassword(std::string_view password);
// False for an empty hash (an account made without a password, e.g. by `wenku import`).
bool VerifyPassword(const std::string& hash, std::string_view password);
// 32 random bytes as 64 hex digits.
std::string NewToken();

// A user name as it is checked, stored and looked up: in Unicode normalization form C, so
// "é" typed as e + U+0301 and as U+00E9 is one name (invalid UTF-8 becomes U+FFFD, which
// CheckUserName refuses). Accounts (Register, Authenticate, AddOrUpdate) and the lookups by
// name (/u/{name}, `wenku points`) pass names through it.
std::string NormalizeUserName(std::string_view name);
// The catalog key of what is wrong with a user name / password, or nullopt when it is fine.
// Names (checked in NormalizeUserName's form): 2–32 characters, letters (any script), digits,
// '_' and '-' — so never a control, bidi (U+202E …) or other format character, nor a space —
// and not mixing scripts ("name_mixed_script", user_names.hpp: CheckNameScripts).
// Passwords: 12–256 characters (Unicode code points of the NFC form, so 64 汉字 are as good as
// 64 letters), valid UTF-8; no other composition rule (ASVS 2.1).
inline constexpr size_t kPasswordMinChars = 12;
inline constexpr size_t kPasswordMaxChars = 256;
std::optional<std::string> CheckUserName(std::string_view name);
std::optional<std::string> CheckPassword(std::string_view password);

}  // namespace wenku::accounts
