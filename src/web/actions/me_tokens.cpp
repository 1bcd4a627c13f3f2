// The API tokens of the logged-in user on /me (accounts/api_tokens.hpp has the rules):
// POST /me/tokens {csrf, name} — makes a token and shows /me again with its secret, once,
// and a warning to copy it (no-store: the page is not kept anywhere); a refused name is
// shown next to the field (400), the limits likewise (409, 429).
// POST /me/tokens/{id}/revoke {csrf} — revokes one of the user's own tokens, then back to
// /me; another user's, an unknown or a revoked token: 404.
#include "accounts/api_tokens.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/actions/me_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Status AddApiTokens(Context& ctx, View& v, const TokenForm& tokens) {
  auto list = ctx.site.api_tokens().List(*ctx.user);
  if (!list.ok()) return list.error();
  const TimeZone& zone = ctx.site.points().zone();
  ViewList rows;
  for (const storage::ApiTokenRow& t : *list) {
    View row;
    row.set("id", std::to_string(t.id));
    row.set("name", t.name);
    row.set("created", zone.Date(t.created_at));
    row.set("last_used",
            t.last_used_at == 0 ? T(ctx.lang, "me_token_never_used") : zone.Date(t.last_used_at));
    rows.push_back(row);
  }
  v.set("has_tokens", Flag(!rows.empty()));
  v.set("tokens", rows);
  v.set("token_name_max", std::to_string(accounts::kApiTokenNameMaxChars));
  v.set("token_name", tokens.name);
  if (!tokens.name_error.empty()) v.set("token_name_error", T(ctx.lang, tokens.name_error));
  if (!tokens.new_secret.empty()) {
    v.set("new_token", tokens.new_secret);
    v.set("new_token_heading", Format(ctx.lang, "me_token_new", {tokens.new_name}));
  }
  v.set("csrf", ctx.CsrfToken());
  return {};
}

Response CreateMyToken(Context& ctx) {
  TokenForm form;
  form.name = ctx.Field("name");
  auto made = ctx.site.api_tokens().Create(*ctx.user, form.name, accounts::Proof::kSession);
  if (!made.ok()) {
    const Error& e = made.error();
    if (e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kConflict ||
        e.code == ErrorCode::kRateLimited) {
      form.name_error = e.message;
      return RenderMe(ctx, form, HttpStatus(e.code));
    }
    return Fail(ctx, e);
  }
  form.name.clear();
  form.new_secret = made->secret;
  form.new_name = made->row.name;
  return RenderMe(ctx, form);
}

Response RevokeMyToken(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  Status s = ctx.site.api_tokens().Revoke(*ctx.user, id);
  if (!s.ok()) return Fail(ctx, s.error());
  return Redirect("/me#api-tokens");
}

}  // namespace wenku::web
