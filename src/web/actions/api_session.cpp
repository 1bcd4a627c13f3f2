// POST /api/v1/session {"name","password"} — logs in: sets the session cookie and returns
// {"token"} for `Authorization: Bearer` (and "csrf" for cookie clients' X-CSRF-Token).
// DELETE /api/v1/session — logs out (the token stops working).
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/auth.hpp"

namespace wenku::web {

Response ApiCreateSession(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  auto session =
      LogIn(ctx.site, JsonString(*body, "name"), JsonString(*body, "password"), ctx.req.remote_ip);
  if (!session.ok()) return ApiKeyedError(ctx, session.error());
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
