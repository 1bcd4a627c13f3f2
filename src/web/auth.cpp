#include "web/auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "core/files.hpp"
#include "web/messages.hpp"

namespace wenku::web {
namespace {

constexpr size_t kCsrfBytes = 32;
using CsrfBytes = std::array<unsigned char, kCsrfBytes>;

// `hex` (exactly 2 * out.size() hex digits) → bytes; false when it is not.
template <size_t N>
bool FromHex(std::string_view hex, std::array<unsigned char, N>& out) {
  size_t len = 0;
  return hex.size() == 2 * N &&
         sodium_hex2bin(out.data(), N, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 &&
         len == N;
}

// The token of one session: BLAKE2b(key = secret, message = session hash).
bool BoundToken(std::string_view cookie_secret, std::string_view session_hash, CsrfBytes& out) {
  CsrfBytes key;
  if (!FromHex(cookie_secret, key)) return false;
  crypto_generichash(out.data(), out.size(),
                     reinterpret_cast<const unsigned char*>(session_hash.data()),
                     session_hash.size(), key.data(), key.size());
  return true;
}

}  // namespace

Result<Session> LogIn(Site& site, const std::string& name, const std::string& password,
                      const std::string& ip, int64_t* retry_after_ms) {
  accounts::LoginThrottle& throttle = site.login_throttle();
  const accounts::LoginAttempt attempt =
      throttle.Begin(accounts::NormalizeUserName(name), SubscriberAddress(ip));
  if (!attempt.allowed) {
    if (retry_after_ms != nullptr) *retry_after_ms = attempt.wait_ms;
    return MakeError(ErrorCode::kRateLimited, "too_many_logins");
  }
  auto user = site.accounts().Authenticate(name, password);
  if (!user.ok()) {
    const ErrorCode code = user.error().code;
    // kForbidden: the right password of a disabled account.
    if (code == ErrorCode::kForbidden) throttle.Succeeded(attempt);
    // The failure was counted when the attempt was reserved; anything else is given back.
    if (code != ErrorCode::kUnauthenticated && code != ErrorCode::kForbidden) {
      throttle.Abandoned(attempt);
    }
    return user.error();
  }
  throttle.Succeeded(attempt);
  return site.accounts().OpenSession(*user);
}

std::string LoginWaitMessage(Lang lang, int64_t ms) {
  const int64_t seconds = RetryAfterSeconds(ms);
  const std::string wait =
      seconds < 60 ? Format(lang, "wait_seconds", {std::to_string(seconds)})
                   : Format(lang, "wait_minutes", {std::to_string((seconds + 59) / 60)});
  return Format(lang, "too_many_logins", {wait});
}

int64_t RetryAfterSeconds(int64_t ms) { return std::max<int64_t>(1, (ms + 999) / 1000); }

Result<Session> Register(Site& site, const std::string& name, const std::string& password,
                         const std::string& ip) {
  if (auto bad = CheckUserName(name)) return MakeError(ErrorCode::kInvalidInput, *bad);
  if (auto bad = CheckPassword(password)) return MakeError(ErrorCode::kInvalidInput, *bad);
  if (!site.registrations().Allow("ip:" + ip, site.NowMs())) {
    return MakeError(ErrorCode::kRateLimited, "too_many_registrations");
  }
  auto user = site.accounts().Register(name, password);
  if (!user.ok()) return user.error();
  return site.accounts().OpenSession(*user);
}

Result<int64_t> ChangePassword(Context& ctx, const std::string& current,
                               const std::string& new_password, int64_t* retry_after_ms) {
  accounts::LoginThrottle& throttle = ctx.site.login_throttle();
  const accounts::LoginAttempt attempt =
      throttle.Begin(ctx.user->name, SubscriberAddress(ctx.req.remote_ip));
  if (!attempt.allowed) {
    if (retry_after_ms != nullptr) *retry_after_ms = attempt.wait_ms;
    return MakeError(ErrorCode::kRateLimited, "too_many_logins");
  }
  auto ended =
      ctx.site.accounts().ChangePassword(*ctx.user, current, new_password, ctx.session_hash);
  if (ended.ok()) {
    throttle.Succeeded(attempt);
  } else if (ended.error().code != ErrorCode::kUnauthenticated) {
    throttle.Abandoned(attempt);  // not a wrong password: nothing was guessed
  }
  return ended;
}

void LogOut(Context& ctx) {
  (void)ctx.site.accounts().EndSession(ctx.session_hash);
  ctx.cookies_to_set.emplace_back("Set-Cookie",
                                  CookieHeader(SessionCookieName(ctx.site.options()), "", 0,
                                               ctx.site.options().secure_cookies));
  ctx.user.reset();
  ctx.session_hash.clear();
}

void SetSessionCookie(Context& ctx, const std::string& token) {
  ctx.session_hash = Sha256Hex(token);  // the tokens this answer shows are the new session's
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie",
      CookieHeader(SessionCookieName(ctx.site.options()), token,
                   ctx.site.accounts().session_ttl_ms() / 1000, ctx.site.options().secure_cookies));
}

void RotateCsrf(Context& ctx) {
  ctx.csrf = NewToken();
  ctx.cookies_to_set.emplace_back("Set-Cookie",
                                  CookieHeader(CsrfCookieName(ctx.site.options()), ctx.csrf, -1,
                                               ctx.site.options().secure_cookies));
}

std::string MaskedCsrfToken(std::string_view cookie_secret, std::string_view session_hash) {
  CsrfBytes bound;
  if (!BoundToken(cookie_secret, session_hash, bound)) return "";
  std::array<unsigned char, 2 * kCsrfBytes> masked;
  randombytes_buf(masked.data(), kCsrfBytes);
  for (size_t i = 0; i < kCsrfBytes; ++i) masked[kCsrfBytes + i] = masked[i] ^ bound[i];
  std::string hex(2 * masked.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), masked.data(), masked.size());
  hex.pop_back();
  return hex;
}

bool CsrfTokenMatches(std::string_view sent, std::string_view cookie_secret,
                      std::string_view session_hash) {
  std::array<unsigned char, 2 * kCsrfBytes> masked;
  CsrfBytes bound;
  if (!FromHex(sent, masked) || !BoundToken(cookie_secret, session_hash, bound)) return false;
  CsrfBytes unmasked;
  for (size_t i = 0; i < kCsrfBytes; ++i) unmasked[i] = masked[i] ^ masked[kCsrfBytes + i];
  return sodium_memcmp(unmasked.data(), bound.data(), kCsrfBytes) == 0;
}

std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash) {
  return site.accounts().UserForToken(token, token_hash);
}

}  // namespace wenku::web
