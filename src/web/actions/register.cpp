// GET /register — the form; POST /register — creates the account (role user), logs it in
// and goes to the upload page. Problems are shown next to their field.
#include "web/actions/actions.hpp"
#include "web/auth.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

Response RenderRegister(Context& ctx, const std::string& name, const std::string& name_error,
                        const std::string& password_error, const std::string& form_error,
                        int status) {
  View v = BaseView(ctx, T(ctx.lang, "register"));
  v.set("csrf", ctx.CsrfToken());
  v.set("name", name);
  if (!name_error.empty()) v.set("name_error", T(ctx.lang, name_error));
  if (!password_error.empty()) v.set("password_error", T(ctx.lang, password_error));
  if (!form_error.empty()) v.set("form_error", T(ctx.lang, form_error));
  return RenderPage(ctx, "register", v, status);
}

}  // namespace

Response ShowRegister(Context& ctx) { return RenderRegister(ctx, "", "", "", "", 200); }

Response CreateRegister(Context& ctx) {
  std::string name = ctx.Field("name");
  std::string password = ctx.Field("password");
  auto name_error = CheckUserName(name);
  auto password_error = CheckPassword(password);
  if (name_error || password_error) {
    return RenderRegister(ctx, name, name_error.value_or(""), password_error.value_or(""), "", 400);
  }
  auto session = Register(ctx.site, name, password, ctx.req.remote_ip);
  if (!session.ok()) {
    const Error& e = session.error();
    if (e.code == ErrorCode::kConflict) return RenderRegister(ctx, name, e.message, "", "", 409);
    if (e.code == ErrorCode::kRateLimited) return RenderRegister(ctx, name, "", "", e.message, 429);
    return Fail(ctx, e);
  }
  SetSessionCookie(ctx, session->token);
  RotateCsrf(ctx);
  return Redirect("/upload");
}

}  // namespace wenku::web
