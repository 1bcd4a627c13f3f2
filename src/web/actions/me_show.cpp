// GET /me?page=N — my points: balance (a debt when below zero, with the rule that a wallet in
// debt cannot buy), pending earnings, the 签到 button (or that today's is done), my uploads
// (the latest kShownUploads with their sales and earnings, and a bar chart of my earnings
// on each of the last kChartDays days in site.time_zone), the documents I bought (the latest
// kShownPurchases; one no longer there is left out), my notifications (the latest
// kShownNotifications, unread ones marked: reports, claims and decisions about my
// documents, claims and account, and my sales — "《title》 was bought, +N points pending")
// and the ledger history, newest first, kLedgerPerPage a page; my API tokens (me_tokens.cpp);
// POST /me/checkin — today's check-in, then back to /me.
// Earnings are the ledger's definition (storage/ledger_store.hpp, "Earnings"): shares of
// purchases less what refunds took back. Every date here is a day in site.time_zone, the
// chart's calendar, so a sale's history line and its bar agree.
#include <algorithm>
#include <unordered_map>

#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/actions/me_page.hpp"
#include "web/earnings_chart.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kShownPurchases = 20;
constexpr int64_t kShownUploads = 20;
constexpr int kChartDays = 30;

// Balance, debt, pending earnings and the 签到 form.
Status AddBalances(Context& ctx, View& v) {
  auto& points = ctx.site.points();
  auto balances = points.BalancesOf(ctx.user->id);
  if (!balances.ok()) return balances.error();
  auto done = points.CheckedInToday(ctx.user->id);
  if (!done.ok()) return done.error();
  v.set("balance", std::to_string(balances->wallet));
  if (balances->wallet < 0) v.set("debt", std::to_string(-balances->wallet));
  v.set("pending", std::to_string(balances->pending));
  v.set("checked_in", Flag(*done));
  v.set("checkin_hint",
        Format(ctx.lang, "me_checkin_hint", {std::to_string(points.economy().checkin_bonus)}));
  v.set("csrf", ctx.CsrfToken());
  return {};
}

// My latest uploads with their sales and earnings (two queries: the documents, their sales).
Status AddUploads(Context& ctx, View& v) {
  storage::Browse mine;
  mine.owner = ctx.user->id;
  mine.include_unready = library::MayListUnready(ctx.visitor(), ctx.user->id);
  mine.limit = kShownUploads;
  auto docs = ctx.site.documents().List(mine);
  if (!docs.ok()) return docs.error();
  std::vector<DocumentId> ids;
  for (const Document& d : *docs) ids.push_back(d.id);
  auto sales = ctx.site.ledger().SalesOf(ctx.user->id, ids);
  if (!sales.ok()) return sales.error();
  std::unordered_map<DocumentId, storage::DocumentSales> by_id;
  for (const auto& s : *sales) by_id[s.document] = s;

  ViewList rows;
  for (const Document& d : *docs) {
    auto found = by_id.find(d.id);
    const storage::DocumentSales s =
        found == by_id.end() ? storage::DocumentSales{} : found->second;
    View row;
    row.set("id", std::to_string(d.id));
    row.set("title", d.title);
    row.set("state", library::IsHeld(d) && d.state != DocState::kTakenDown
                         ? T(ctx.lang, "state_held")
                         : T(ctx.lang, "state_" + std::string(DocStateName(d.state))));
    row.set("price", PriceLabel(ctx.lang, d.price));
    row.set("sales", std::to_string(s.sales));
    row.set("earnings", std::to_string(s.earnings));
    rows.push_back(row);
  }
  v.set("has_uploads", Flag(!rows.empty()));
  v.set("uploads", rows);
  if (static_cast<int64_t>(docs->size()) == kShownUploads) {
    v.set("all_uploads_href", "/u/" + PathSegment(ctx.user->name));
  }
  v.set("earnings_hint", Format(ctx.lang, "me_earnings_hint",
                                {std::to_string(ctx.site.points().economy().settle_days)}));
  return {};
}

// My earnings on each of the last kChartDays days: the chart, and its total in words for
// those who do not see it (one query). The template shows both beside my uploads.
Status AddEarningsChart(Context& ctx, View& v) {
  auto days = ctx.site.points().EarningsByDay(ctx.user->id, kChartDays);
  if (!days.ok()) return days.error();
  int64_t total = 0, best = 0;
  for (const auto& d : *days) {
    total += d.amount;
    best = std::max(best, d.amount);
  }
  const std::string n = std::to_string(kChartDays);
  v.set("earnings_chart",
        EarningsChartSvg(*days, Format(ctx.lang, "me_earnings_chart_label",
                                       {n, std::to_string(best), std::to_string(total)})));
  v.set("earnings_total",
        Format(ctx.lang, "me_earnings_total",
               {n, std::to_string(total), days->front().date, days->back().date}));
  return {};
}

// The latest documents I bought that are still there for me to see.
Status AddPurchases(Context& ctx, View& v) {
  auto bought = ctx.site.entitlements().ForUser(ctx.user->id, kShownPurchases, 0);
  if (!bought.ok()) return bought.error();
  ViewList purchases;
  for (const auto& e : *bought) {
    auto doc = ctx.site.documents().Find(e.document);
    if (!doc.ok() || !library::MayView(ctx.visitor(), *doc)) continue;
    View p;
    p.set("id", std::to_string(doc->id));
    p.set("title", doc->title);
    p.set("date", ctx.site.points().zone().Date(e.created_at));
    purchases.push_back(p);
  }
  v.set("has_purchases", Flag(!purchases.empty()));
  v.set("purchases", purchases);
  return {};
}

constexpr int64_t kShownNotifications = 10;

// The inbox (moderation's notifications), newest first; the whole inbox by API.
Status AddNotifications(Context& ctx, View& v) {
  auto inbox = ctx.site.cases().Inbox(ctx.user->id, kShownNotifications, 0);
  if (!inbox.ok()) return inbox.error();
  ViewList rows;
  for (const auto& n : *inbox) {
    View row;
    if (n.kind == "sold") {  // note: the uploader's share
      auto doc = ctx.site.documents().Find(n.document);
      const std::string title = doc.ok() ? doc->title : "#" + std::to_string(n.document);
      row.set("kind", Format(ctx.lang, "notice_sold", {title, n.note}));
    } else if (n.kind == "role_changed") {  // note: the new role
      row.set("kind", T(ctx.lang, "notice_role_changed"));
      row.set("note", T(ctx.lang, "role_" + n.note));
    } else {
      row.set("kind", T(ctx.lang, "notice_" + n.kind));
      row.set("note", n.note);
    }
    row.set("date", ctx.site.points().zone().Date(n.created_at));
    row.set("unread", Flag(!n.read));
    if (n.document) row.set("document_id", std::to_string(n.document));
    rows.push_back(row);
  }
  v.set("has_notifications", Flag(!rows.empty()));
  v.set("notifications", rows);
  return {};
}

// One page (?page=, from 1) of the ledger history, with newer/older links.
Status AddHistory(Context& ctx, View& v) {
  const int64_t page = std::max<int64_t>(1, ParseId(ctx.req.Query("page")));
  auto history = ctx.site.ledger().History(ctx.user->id, page, kLedgerPerPage);
  if (!history.ok()) return history.error();
  ViewList rows;
  for (const auto& h : *history) {
    View row;
    row.set("date", ctx.site.points().zone().Date(h.created_at));
    row.set("kind", T(ctx.lang, "ledger_" + std::string(storage::TxKindName(h.kind))));
    row.set("account",
            T(ctx.lang, h.account == storage::AccountKind::kPending ? "me_pending" : "me_balance"));
    row.set("amount", (h.amount > 0 ? "+" : "") + std::to_string(h.amount));
    row.set("balance_after", std::to_string(h.balance_after));
    if (h.document) row.set("document_id", std::to_string(h.document));
    rows.push_back(row);
  }
  v.set("has_history", Flag(!rows.empty()));
  v.set("history", rows);
  if (page > 1) v.set("newer_href", "/me?page=" + std::to_string(page - 1));
  if (static_cast<int64_t>(history->size()) == kLedgerPerPage) {
    v.set("older_href", "/me?page=" + std::to_string(page + 1));
  }
  return {};
}

}  // namespace

Response RenderMe(Context& ctx, const TokenForm& tokens, int status) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  View v = BaseView(ctx, T(ctx.lang, "me_heading"));
  for (auto add :
       {AddBalances, AddNotifications, AddUploads, AddEarningsChart, AddPurchases, AddHistory}) {
    if (Status s = add(ctx, v); !s.ok()) return Fail(ctx, s.error());
  }
  if (Status s = AddApiTokens(ctx, v, tokens); !s.ok()) return Fail(ctx, s.error());
  Response res = RenderPage(ctx, "me", v, status);
  if (!tokens.new_secret.empty()) res.Set("Cache-Control", "no-store");  // the secret, once
  return res;
}

Response ShowMe(Context& ctx) { return RenderMe(ctx, {}); }

Response CreateCheckin(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  auto award = ctx.site.points().Checkin(ctx.user->id);
  if (!award.ok()) return Fail(ctx, award.error());
  return Redirect("/me");  // awarded or not, /me shows that today's is done
}

}  // namespace wenku::web
