// POST /api/v1/users {"name","password"} — registers an account and logs it in (the session
// cookie, as POST /api/v1/session) → 201 {"id","name","role","csrf"}. API tokens: POST
// /api/v1/tokens from that session.
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/auth.hpp"

namespace wenku::web {

Response ApiCreateUser(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  auto session = Register(ctx.site, JsonString(*body, "name"), JsonString(*body, "password"),
                          ctx.req.remote_ip);
  if (!session.ok()) return ApiKeyedError(ctx, session.error());
  SetSessionCookie(ctx, session->token);
  RotateCsrf(ctx);
  nlohmann::json j = {{"id", session->user.id},
                      {"name", session->user.name},
                      {"role", session->user.role},
                      {"csrf", ctx.CsrfToken()}};
  return Json(201, j.dump());
}

}  // namespace wenku::web
