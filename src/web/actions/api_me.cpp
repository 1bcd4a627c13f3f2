// GET /api/v1/me → {"id","name","role","points":{"balance","pending"}} for the caller;
// POST /api/v1/me/checkin → 200 {"awarded":true,"balance"} (today's 签到 bonus, the day in
// site.time_zone), again the same day 409 already_checked_in;
// GET /api/v1/me/ledger?page=N → {"page","entries":[{"tx","kind","account","amount",
// "balance_after","document_id","created_at"}]}: the caller's wallet and pending-earnings
// entries, newest first, kLedgerPerPage a page (document_id null when none).
#include "points/ledger_json.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"

namespace wenku::web {

Response ApiShowMe(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in first");
  auto balances = ctx.site.points().BalancesOf(ctx.user->id);
  if (!balances.ok()) return Fail(ctx, balances.error());
  nlohmann::json j = {{"id", ctx.user->id},
                      {"name", ctx.user->name},
                      {"role", ctx.user->role},
                      {"points", {{"balance", balances->wallet}, {"pending", balances->pending}}}};
  return Json(200, j.dump());
}

Response ApiListMyLedger(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in first");
  const int64_t page = std::max<int64_t>(1, ParseId(ctx.req.Query("page")));
  auto history = ctx.site.ledger().History(ctx.user->id, page, kLedgerPerPage);
  if (!history.ok()) return Fail(ctx, history.error());
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& h : *history) {
    entries.push_back(points::LedgerEntryJson(h));
  }
  return Json(200, nlohmann::json{{"page", page}, {"entries", entries}}.dump());
}

Response ApiCreateCheckin(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in first");
  auto award = ctx.site.points().Checkin(ctx.user->id);
  if (!award.ok()) return Fail(ctx, award.error());
  if (!award->awarded) {
    return ApiError(409, "already_checked_in", T(ctx.lang, "already_checked_in"));
  }
  return Json(200, nlohmann::json{{"awarded", award->amount}, {"balance", award->balance}}.dump());
}

}  // namespace wenku::web
