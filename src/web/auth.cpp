#include "web/auth.hpp"

#include <algorithm>

#include "web/messages.hpp"

namespace wenku::web {
namespace {

constexpr const char* kSessionCookie = "wenku_session";
constexpr const char* kCsrfCookie = "wenku_csrf";

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
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kSessionCookie, "", 0, ctx.site.options().secure_cookies));
  ctx.user.reset();
  ctx.session_hash.clear();
}

void SetSessionCookie(Context& ctx, const std::string& token) {
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kSessionCookie, token, ctx.site.accounts().session_ttl_ms() / 1000,
                                 ctx.site.options().secure_cookies));
}

void RotateCsrf(Context& ctx) {
  ctx.csrf = NewToken();
  ctx.cookies_to_set.emplace_back(
      "Set-Cookie", CookieHeader(kCsrfCookie, ctx.csrf, -1, ctx.site.options().secure_cookies));
}

std::optional<storage::User> UserForToken(Site& site, const std::string& token,
                                          std::string* token_hash) {
  return site.accounts().UserForToken(token, token_hash);
}

}  // namespace wenku::web
