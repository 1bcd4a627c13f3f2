// POST /api/v1/session {"name","password"} — logs in: sets the session cookie and returns
// {"token"} for `Authorization: Bearer` (and "csrf" for cookie clients' X-CSRF-Token). An
// attempt the log-in throttle refuses (auth.hpp) is a 429 error "rate_limited" whose message
// says how long to wait, with "retry_after" (seconds) and Retry-After.
// DELETE /api/v1/session — logs out (the token stops working).
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
      {"token", session->token},
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
