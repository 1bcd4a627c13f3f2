// GET /me — my points: balance (a debt when below zero), pending earnings, and the 签到
// button (or that today's is done); POST /me/checkin — today's check-in, then back to /me.
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowMe(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  auto& points = ctx.site.app().points();
  auto balances = points.BalancesOf(ctx.user->id);
  if (!balances.ok()) return Fail(ctx, balances.error());
  auto done = points.CheckedInToday(ctx.user->id);
  if (!done.ok()) return Fail(ctx, done.error());
  View v = BaseView(ctx, T(ctx.lang, "me_heading"));
  v.set("balance", std::to_string(balances->wallet));
  if (balances->wallet < 0) v.set("debt", std::to_string(-balances->wallet));
  v.set("pending", std::to_string(balances->pending));
  v.set("checked_in", *done ? View::type::bool_true : View::type::bool_false);
  v.set("checkin_hint",
        Format(ctx.lang, "me_checkin_hint", {std::to_string(points.economy().checkin_bonus)}));
  v.set("csrf", ctx.CsrfToken());
  return RenderPage(ctx, "me", v);
}

Response CreateCheckin(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  auto award = ctx.site.app().points().Checkin(ctx.user->id);
  if (!award.ok()) return Fail(ctx, award.error());
  return Redirect("/me");  // awarded or not, /me shows that today's is done
}

}  // namespace wenku::web
