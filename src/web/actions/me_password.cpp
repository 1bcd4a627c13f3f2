// GET /me/password — the form; POST /me/password — changes the logged-in user's password
// (the current one, the new one twice); problems are shown next to their field. On success
// every other session of the user ends and this one stays (auth.hpp ChangePassword).
// POST /api/v1/me/password {"current","new"} — the same for API clients: 200
// {"ended_sessions": n}, or a JSON error.
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/auth.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

struct PasswordForm {
  std::string current_error, new_error, again_error, form_error;
  std::string form_wait;  // already in the page's language (it names the wait)
  bool changed = false;
};

Response RenderPassword(Context& ctx, const PasswordForm& f, int status) {
  View v = BaseView(ctx, T(ctx.lang, "change_password"));
  v.set("csrf", ctx.CsrfToken());
  if (f.changed) v.set("changed", true);
  if (!f.current_error.empty()) v.set("current_error", T(ctx.lang, f.current_error));
  if (!f.new_error.empty()) v.set("new_error", T(ctx.lang, f.new_error));
  if (!f.again_error.empty()) v.set("again_error", T(ctx.lang, f.again_error));
  if (!f.form_error.empty()) v.set("form_error", T(ctx.lang, f.form_error));
  if (!f.form_wait.empty()) v.set("form_error", f.form_wait);
  return RenderPage(ctx, "me_password", v, status);
}

}  // namespace

Response ShowMyPassword(Context& ctx) { return RenderPassword(ctx, {}, 200); }

Response UpdateMyPassword(Context& ctx) {
  const std::string current = ctx.Field("current");
  const std::string next = ctx.Field("new");
  PasswordForm f;
  if (auto bad = CheckPassword(next)) {
    f.new_error = *bad;
  } else if (ctx.Field("again") != next) {
    f.again_error = "password_mismatch";
  }
  if (current.empty()) f.current_error = "current_password_wrong";
  if (!f.new_error.empty() || !f.again_error.empty() || !f.current_error.empty()) {
    return RenderPassword(ctx, f, 400);
  }
  int64_t wait_ms = 0;
  auto ended = ChangePassword(ctx, current, next, &wait_ms);
  if (!ended.ok()) {
    const Error& e = ended.error();
    if (e.code == ErrorCode::kUnauthenticated) {
      f.current_error = e.message;
    } else if (e.code == ErrorCode::kInvalidInput) {
      f.new_error = e.message;
    } else if (e.code == ErrorCode::kRateLimited) {
      f.form_wait = LoginWaitMessage(ctx.lang, wait_ms);
    } else {
      return Fail(ctx, e);
    }
    Response r = RenderPassword(ctx, f, HttpStatus(e.code));
    if (!f.form_wait.empty()) r.Set("Retry-After", std::to_string(RetryAfterSeconds(wait_ms)));
    return r;
  }
  f.changed = true;
  return RenderPassword(ctx, f, 200);
}

Response ApiUpdateMyPassword(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  int64_t wait_ms = 0;
  auto ended =
      ChangePassword(ctx, JsonString(*body, "current"), JsonString(*body, "new"), &wait_ms);
  if (!ended.ok()) {
    if (ended.error().code == ErrorCode::kRateLimited) return ApiLoginWait(ctx, wait_ms);
    return ApiKeyedError(ctx, ended.error());
  }
  nlohmann::json j = {{"ended_sessions", *ended}};
  return Json(200, j.dump());
}

}  // namespace wenku::web
