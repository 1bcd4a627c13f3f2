#include "web/auth.hpp"

namespace wenku::web {
namespace {

constexpr const char* kSessionCookie = "wenku_session";
constexpr const char* kCsrfCookie = "wenku_csrf";

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
