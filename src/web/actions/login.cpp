// GET /login — the log-in form; POST /login — logs in (through the log-in throttle: a
// progressive delay per account and a limit per address, see auth.hpp; a refused attempt is
// a 429 whose message says how long to wait, with Retry-After) and returns to `next` (a
// local path only).
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
  int64_t wait_ms = 0;
  auto session = LogIn(ctx.site, name, ctx.Field("password"), ctx.req.remote_ip, &wait_ms);
  if (!session.ok()) {
    const Error& e = session.error();
    if (e.code == ErrorCode::kRateLimited) {
      Response r = RenderLogin(ctx, name, next, LoginWaitMessage(ctx.lang, wait_ms), 429);
      r.Set("Retry-After", std::to_string(RetryAfterSeconds(wait_ms)));
      return r;
    }
    if (e.code == ErrorCode::kUnauthenticated || e.code == ErrorCode::kForbidden) {
      return RenderLogin(ctx, name, next, T(ctx.lang, e.message), HttpStatus(e.code));
    }
    return Fail(ctx, e);
  }
  SetSessionCookie(ctx, session->token);
  RotateCsrf(ctx);
  return Redirect(next);
}

}  // namespace wenku::web
