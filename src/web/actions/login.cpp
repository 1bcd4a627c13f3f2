// GET /login — the log-in form; POST /login — logs in (rate-limited per account and per IP
// address, see auth.hpp) and returns to `next` (a local path only).
#include "web/actions/actions.hpp"
#include "web/auth.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

// Only a path on this site: "/x…", never "//host", "/\\host" or anything a browser
// would strip (tabs, newlines, other control characters) into one of those.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.size() > 2048) return "/";
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  }
  if (next.size() > 1 && next[1] == '/') return "/";
  return next;
}

Response RenderLogin(Context& ctx, const std::string& name, const std::string& next,
                     const std::string& error, int status) {
  View v = BaseView(ctx, T(ctx.lang, "login"));
  v.set("csrf", ctx.CsrfToken());
  v.set("name", name);
  v.set("next", SafeNext(next));
  if (!error.empty()) v.set("form_error", error);
  return RenderPage(ctx, "login", v, status);
}

}  // namespace

Response ShowLogin(Context& ctx) { return RenderLogin(ctx, "", ctx.req.Query("next"), "", 200); }

Response CreateLogin(Context& ctx) {
  std::string name = ctx.Field("name");
  std::string next = SafeNext(ctx.Field("next"));
  auto session = LogIn(ctx.site, name, ctx.Field("password"), ctx.req.remote_ip);
  if (!session.ok()) {
    const Error& e = session.error();
    if (e.code == ErrorCode::kUnauthenticated || e.code == ErrorCode::kRateLimited ||
        e.code == ErrorCode::kForbidden) {
      return RenderLogin(ctx, name, next, T(ctx.lang, e.message), HttpStatus(e.code));
    }
    return Fail(ctx, e);
  }
  SetSessionCookie(ctx, session->token);
  RotateCsrf(ctx);
  return Redirect(next);
}

}  // namespace wenku::web
