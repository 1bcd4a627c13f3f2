// GET /me?page=N — my points: balance (a debt when below zero), pending earnings, the 签到
// button (or that today's is done), the documents I bought (the latest kShownPurchases; one
// no longer there is left out) and the ledger history, newest first, kLedgerPerPage a page;
// POST /me/checkin — today's check-in, then back to /me.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kShownPurchases = 20;

}  // namespace

Response ShowMe(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  auto& points = ctx.site.points();
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

  auto bought = ctx.site.entitlements().ForUser(ctx.user->id, kShownPurchases, 0);
  if (!bought.ok()) return Fail(ctx, bought.error());
  ViewList purchases;
  for (const auto& e : *bought) {
    auto doc = ctx.site.documents().Find(e.document);
    if (!doc.ok() || !library::MayView(ctx.visitor(), *doc)) continue;
    View p;
    p.set("id", std::to_string(doc->id));
    p.set("title", doc->title);
    p.set("date", DateLabel(e.created_at));
    purchases.push_back(p);
  }
  v.set("has_purchases", purchases.empty() ? View::type::bool_false : View::type::bool_true);
  v.set("purchases", purchases);

  const int64_t page = std::max<int64_t>(1, ParseId(ctx.req.Query("page")));
  auto history = ctx.site.ledger().History(ctx.user->id, page, kLedgerPerPage);
  if (!history.ok()) return Fail(ctx, history.error());
  ViewList rows;
  for (const auto& h : *history) {
    View row;
    row.set("date", DateLabel(h.created_at));
    row.set("kind", T(ctx.lang, "ledger_" + std::string(storage::TxKindName(h.kind))));
    row.set("account",
            T(ctx.lang, h.account == storage::AccountKind::kPending ? "me_pending" : "me_balance"));
    row.set("amount", (h.amount > 0 ? "+" : "") + std::to_string(h.amount));
    row.set("balance_after", std::to_string(h.balance_after));
    if (h.document) row.set("document_id", std::to_string(h.document));
    rows.push_back(row);
  }
  v.set("has_history", rows.empty() ? View::type::bool_false : View::type::bool_true);
  v.set("history", rows);
  if (page > 1) v.set("newer_href", "/me?page=" + std::to_string(page - 1));
  if (static_cast<int64_t>(history->size()) == kLedgerPerPage) {
    v.set("older_href", "/me?page=" + std::to_string(page + 1));
  }
  return RenderPage(ctx, "me", v);
}

Response CreateCheckin(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  auto award = ctx.site.points().Checkin(ctx.user->id);
  if (!award.ok()) return Fail(ctx, award.error());
  return Redirect("/me");  // awarded or not, /me shows that today's is done
}

}  // namespace wenku::web
