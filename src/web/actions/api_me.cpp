// GET /api/v1/me → {"id","name","role","points":{"balance","pending"}} for the caller;
// POST /api/v1/me/checkin → 200 {"awarded":true,"balance"} (today's 签到 bonus, the day in
// site.time_zone), again the same day 409 already_checked_in.
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"

namespace wenku::web {

Response ApiShowMe(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in first");
  auto balances = ctx.site.app().points().BalancesOf(ctx.user->id);
  if (!balances.ok()) return Fail(ctx, balances.error());
  nlohmann::json j = {{"id", ctx.user->id},
                      {"name", ctx.user->name},
                      {"role", ctx.user->role},
                      {"points", {{"balance", balances->wallet}, {"pending", balances->pending}}}};
  return Json(200, j.dump());
}

Response ApiCreateCheckin(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in first");
  auto award = ctx.site.app().points().Checkin(ctx.user->id);
  if (!award.ok()) return Fail(ctx, award.error());
  if (!award->awarded) {
    return ApiError(409, "already_checked_in", T(ctx.lang, "already_checked_in"));
  }
  return Json(200, nlohmann::json{{"awarded", award->amount}, {"balance", award->balance}}.dump());
}

}  // namespace wenku::web
