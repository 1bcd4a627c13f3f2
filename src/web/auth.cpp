#include "web/auth.hpp"

#include <sodium.h>

#include <array>

#include "core/files.hpp"

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
                      const std::string& ip) {
  int64_t now = site.NowMs();
  const std::string name_key = "name:" + name;
  const std::string ip_key = "ip:" + ip;
  if (site.login_failures_by_name.Blocked(name_key, now) ||
      site.login_failures_by_ip.Blocked(ip_key, now)) {
    return MakeError(ErrorCode::kRateLimited, "too_many_logins");
  }
  auto user = site.accounts().Authenticate(name, password);
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kUnauthenticated) {
      site.login_failures_by_name.Record(name_key, now);
      site.login_failures_by_ip.Record(ip_key, now);
    }
    return user.error();
  }
  site.login_failures_by_name.Reset(name_key);
  return site.accounts().OpenSession(*user);
}

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
                               const std::string& new_password) {
  Site& site = ctx.site;
  int64_t now = site.NowMs();
  const std::string name_key = "name:" + ctx.user->name;
  const std::string ip_key = "ip:" + ctx.req.remote_ip;
  if (site.login_failures_by_name.Blocked(name_key, now) ||
      site.login_failures_by_ip.Blocked(ip_key, now)) {
    return MakeError(ErrorCode::kRateLimited, "too_many_logins");
  }
  auto ended = site.accounts().ChangePassword(*ctx.user, current, new_password, ctx.session_hash);
  if (!ended.ok()) {
    if (ended.error().code == ErrorCode::kUnauthenticated) {
      site.login_failures_by_name.Record(name_key, now);
      site.login_failures_by_ip.Record(ip_key, now);
    }
    return ended.error();
  }
  site.login_failures_by_name.Reset(name_key);
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
