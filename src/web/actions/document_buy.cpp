// GET /d/{id}/buy — the confirm step of buying a priced document: its price, the buyer's
// balance before and after, and a form carrying the CSRF token and a fresh idempotency key;
// with too few points, a page with the price, the balance and how to earn more (签到,
// uploading) instead — never a charge. POST /d/{id}/buy — buys it (points::Points::Purchase
// with the form's key, so a double click or a second tab charges once) and returns to the
// document, whose button now downloads. Those who have it already (the owner, a buyer, a
// moderator) and free documents go straight back to the document.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/auth.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr size_t kMaxKey = 128;

// The document to buy, or the answer to give instead (not found, log in, nothing to buy).
struct ToBuy {
  std::optional<Document> doc;
  std::optional<Response> instead;
};

ToBuy Load(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return {std::nullopt, NotFound(ctx)};
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return {std::nullopt, Fail(ctx, doc.error())};
  const library::Visitor user = ctx.visitor();
  if (Status v = library::CheckView(user, *doc); !v.ok())
    return {std::nullopt, Fail(ctx, v.error())};
  if (doc->state != DocState::kReady) {
    return {std::nullopt, NotFound(ctx)};
  }
  if (user == nullptr) {
    return {std::nullopt, Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in to buy"))};
  }
  const std::string back = "/d/" + std::to_string(doc->id);
  if (library::MayDownload(user, *doc, ctx.BoughtOf(*doc)).ok()) {
    return {std::nullopt, Redirect(back)};  // theirs, bought, free, or a moderator's
  }
  return {std::move(doc).value(), std::nullopt};
}

View PriceView(Context& ctx, const Document& doc, int64_t balance) {
  View v = BaseView(ctx, T(ctx.lang, "buy_heading"));
  v.set("id", std::to_string(doc.id));
  v.set("title", doc.title);
  v.set("price", std::to_string(doc.price));
  v.set("balance", std::to_string(balance));
  return v;
}

// Not enough points: what it costs, what they have, how to earn more.
Response RenderShort(Context& ctx, const Document& doc, int64_t balance) {
  View v = PriceView(ctx, doc, balance);
  const auto& economy = ctx.site.points().economy();
  v.set("short", View::type::bool_true);
  v.set("earn_checkin", Format(ctx.lang, "earn_checkin", {std::to_string(economy.checkin_bonus)}));
  v.set("earn_upload", Format(ctx.lang, "earn_upload", {std::to_string(economy.upload_reward)}));
  return RenderPage(ctx, "buy", v, 402);
}

}  // namespace

Response ShowBuy(Context& ctx) {
  ToBuy b = Load(ctx);
  if (b.instead) return std::move(*b.instead);
  auto balances = ctx.site.points().BalancesOf(ctx.user->id);
  if (!balances.ok()) return Fail(ctx, balances.error());
  if (balances->wallet < b.doc->price) return RenderShort(ctx, *b.doc, balances->wallet);
  View v = PriceView(ctx, *b.doc, balances->wallet);
  v.set("after", std::to_string(balances->wallet - b.doc->price));
  v.set("csrf", ctx.CsrfToken());
  v.set("key", NewToken());
  return RenderPage(ctx, "buy", v);
}

Response CreatePurchase(Context& ctx) {
  ToBuy b = Load(ctx);
  if (b.instead) return std::move(*b.instead);
  const std::string key = ctx.Field("key");
  if (key.empty() || key.size() > kMaxKey) {
    return Fail(ctx, MakeError(ErrorCode::kInvalidInput, T(ctx.lang, "purchase_key_missing")));
  }
  auto bought = ctx.site.points().Purchase(ctx.user->id, *b.doc, key);
  if (!bought.ok()) {
    if (bought.error().code == ErrorCode::kInsufficientPoints) {
      auto balances = ctx.site.points().BalancesOf(ctx.user->id);
      if (!balances.ok()) return Fail(ctx, balances.error());
      return RenderShort(ctx, *b.doc, balances->wallet);
    }
    return Fail(ctx, bought.error());
  }
  return Redirect("/d/" + std::to_string(b.doc->id));
}

}  // namespace wenku::web
