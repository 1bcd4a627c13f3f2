// POST /api/v1/session {"name","password"} — logs in: sets the session cookie (HttpOnly) and
// returns {"csrf","user"}: cookie clients send "csrf" as X-CSRF-Token on writes. The
// session's own token is in the cookie only, never in the body (a script must not read what
// HttpOnly hides), and it is not a Bearer token: a program logs in once this way, makes an API
// token (POST /api/v1/tokens, api_tokens.cpp) and sends that as `Authorization: Bearer`.
// An attempt the log-in throttle refuses (auth.hpp) is a 429 error "rate_limited" whose
// message says how long to wait, with "retry_after" (seconds) and Retry-After.
// DELETE /api/v1/session — logs out (the cookie's session ends; API tokens stay: they are
// revoked with DELETE /api/v1/tokens/{id}).
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/auth.hpp"

namespace wenku::web {

Response ApiCreateSession(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  int64_t wait_ms = 0;
  auto session = LogIn(ctx.site, JsonString(*body, "name"), JsonString(*body, "password"),
                       ctx.req.remote_ip, &wait_ms);
  if (!session.ok()) {
    if (session.error().code == ErrorCode::kRateLimited) return ApiLoginWait(ctx, wait_ms);
    return ApiKeyedError(ctx, session.error());
  }
  SetSessionCookie(ctx, session->token);
  RotateCsrf(ctx);
  nlohmann::json j = {
      {"csrf", ctx.CsrfToken()},
      {"user",
       {{"id", session->user.id}, {"name", session->user.name}, {"role", session->user.role}}}};
  return Json(200, j.dump());
}

Response ApiDeleteSession(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "not logged in");
  LogOut(ctx);
  Response r;
  r.status = 204;
  return r;
}

}  // namespace wenku::web
