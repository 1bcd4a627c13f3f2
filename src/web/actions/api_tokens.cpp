// The JSON API of API tokens (accounts/api_tokens.hpp has the rules), for the logged-in user:
// POST /api/v1/tokens {"name"} → 201 {"id","name","created_at","token"}: the secret, this
//   once (Cache-Control: no-store). Made from a log-in session only (the cookie, with
//   X-CSRF-Token as every cookie-authenticated API write): a Bearer token asking gets 403.
// GET /api/v1/tokens → {"tokens":[{"id","name","created_at","last_used_at"}]} — the tokens in
//   force, newest first; last_used_at null when never used; never a secret.
// DELETE /api/v1/tokens/{id} → 204; another user's, an unknown or a revoked token → 404.
//   A Bearer token may revoke itself or a sibling (revoking only takes access away).
#include "accounts/api_tokens.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"

namespace wenku::web {
namespace {

nlohmann::json TokenJson(const storage::ApiTokenRow& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"last_used_at",
           t.last_used_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(t.last_used_at)}};
}

}  // namespace

Response ApiCreateToken(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  auto made = ctx.site.api_tokens().Create(
      *ctx.user, JsonString(*body, "name"),
      ctx.bearer ? accounts::Proof::kApiToken : accounts::Proof::kSession);
  if (!made.ok()) return ApiKeyedError(ctx, made.error());
  nlohmann::json j = TokenJson(made->row);
  j["token"] = made->secret;
  Response res = Json(201, j.dump());
  res.Set("Cache-Control", "no-store");
  return res;
}

Response ApiListTokens(Context& ctx) {
  auto list = ctx.site.api_tokens().List(*ctx.user);
  if (!list.ok()) return Fail(ctx, list.error());
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& t : *list) tokens.push_back(TokenJson(t));
  nlohmann::json j = {{"tokens", std::move(tokens)}};
  return Json(200, j.dump());
}

Response ApiRevokeToken(Context& ctx) {
  Status s = ctx.site.api_tokens().Revoke(*ctx.user, ParseId(ctx.req.Param("id")));
  if (!s.ok()) return ApiKeyedError(ctx, s.error());
  Response r;
  r.status = 204;
  return r;
}

}  // namespace wenku::web
