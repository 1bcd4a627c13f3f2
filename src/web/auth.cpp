#include "web/auth.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/files.hpp"
#include "core/text.hpp"

namespace wenku::web {
namespace {

constexpr const char* kSessionCookie = "wenku_session";
constexpr const char* kCsrfCookie = "wenku_csrf";

// A hash of a password nobody has, checked when the account does not exist so that a
// wrong name and a wrong password take the same time.
const std::string& DummyHash() {
  static const std::string hash = HashPassword("not a real password, only for timing");
  return hash;
}

Result<Session> OpenSession(Site& site, const storage::User& user) {
  Session s{user, NewToken()};
  WENKU_TRY(
      site.app().sessions().Create(Sha256Hex(s.token), user.id, site.options().session_ttl_ms));
  return s;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::optional<std::string> CheckUserName(std::string_view name) {
  if (!IsValidUtf8(name)) return "name_invalid";
  size_t points = CodePointCount(name);
  if (points < 2 || points > 32) return "name_invalid";
  int32_t i = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(name.data());
  auto length = static_cast<int32_t>(name.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return "name_invalid";
    if (!(u_isalnum(c) || c == '_' || c == '-')) return "name_invalid";
  }
  return std::nullopt;
}

std::optional<std::string> CheckPassword(std::string_view password) {
  if (password.size() < 8 || password.size() > 128) return "password_invalid";
  return std::nullopt;
}

Result<Session> LogIn(Site& site, const std::string& name, const std::string& password,
                      const std::string& ip) {
  int64_t now = site.NowMs();
  const std::string name_key = "name:" + name;
  const std::string ip_key = "ip:" + ip;
  if (site.login_failures_by_name.Blocked(name_key, now) ||
      site.login_failures_by_ip.Blocked(ip_key, now)) {
    return MakeError(ErrorCode::kRateLimited, "too_many_logins");
  }
  auto user = site.app().users().FindByName(name);
  bool ok = false;
  if (user.ok()) {
    auto hash = site.app().users().PasswordHash(user->id);
    if (!hash.ok()) return hash.error();
    ok = VerifyPassword(*hash, password);
  } else if (user.error().code == ErrorCode::kNotFound) {
    VerifyPassword(DummyHash(), password);
  } else {
    return user.error();
  }
  if (!ok) {
    site.login_failures_by_name.Record(name_key, now);
    site.login_failures_by_ip.Record(ip_key, now);
    return MakeError(ErrorCode::kUnauthenticated, "bad_login");
  }
  site.login_failures_by_name.Reset(name_key);
  return OpenSession(site, *user);
}

Result<Session> Register(Site& site, const std::string& name, const std::string& password,
                         const std::string& ip) {
  if (auto bad = CheckUserName(name)) return MakeError(ErrorCode::kInvalidInput, *bad);
  if (auto bad = CheckPassword(password)) return MakeError(ErrorCode::kInvalidInput, *bad);
  if (!site.registrations_by_ip.Allow("ip:" + ip, site.NowMs())) {
    return MakeError(ErrorCode::kRateLimited, "too_many_registrations");
  }
  auto user = site.app().users().Create(name, "user", HashPassword(password));
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kConflict, "name_taken");
    }
    return user.error();
  }
  // The sign-up bonus (once per user: its ledger key). Not given is logged, not fatal: the
  // account exists, and `wenku points grant` can make it up.
  if (auto bonus = site.app().points().SignupBonus(user->id); !bonus.ok()) {
    spdlog::error("signup bonus for user {}: {}", user->id, bonus.error().message);
  }
  return OpenSession(site, *user);
}

void LogOut(Context& ctx) {
  if (!ctx.session_hash.empty()) {
    (void)ctx.site.app().sessions().Delete(ctx.session_hash);
  }
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kSessionCookie, "", 0, ctx.site.options().secure_cookies));
  ctx.user.reset();
  ctx.session_hash.clear();
}

void SetSessionCookie(Context& ctx, const std::string& token) {
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kSessionCookie, token, ctx.site.options().session_ttl_ms / 1000,
                                 ctx.site.options().secure_cookies));
}

void RotateCsrf(Context& ctx) {
  ctx.csrf = NewToken();
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kCsrfCookie, ctx.csrf, -1, ctx.site.options().secure_cookies));
}

std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash) {
  if (token.size() != 64) return std::nullopt;
  std::string hash = Sha256Hex(token);
  auto user = site.app().sessions().Find(hash);
  if (!user.ok()) return std::nullopt;
  if (token_hash != nullptr) *token_hash = hash;
  return *user;
}

}  // namespace wenku::web
