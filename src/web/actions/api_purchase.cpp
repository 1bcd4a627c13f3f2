// POST /api/v1/documents/{id}/purchase, header Idempotency-Key (1–128 bytes) — buys a priced
// document with the caller's points (points::Points::Purchase):
//   200 {"purchased":true,"balance"}   charged now, or a retry with the same key (charged once;
//                                      the balance is the one now)
//   200 {"purchased":false}            already entitled: bought before under another key, or
//                                      a moderator
//   400 invalid_input                  no key, or a free document (nothing to buy)
//   401 unauthenticated, 404 not_found (not ready, or not one the caller may see)
//   402 insufficient_points            nothing charged
//   403 forbidden                      one's own document
//   409 conflict                       the key was used for another document
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"

namespace wenku::web {

Response ApiPurchaseDocument(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in to buy");
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return ApiError(404, "not_found", "no such document");
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  const library::Visitor user = ctx.visitor();
  if (Status v = library::CheckView(user, *doc); !v.ok()) return Fail(ctx, v.error());
  const std::string key = ctx.req.Header("idempotency-key");
  if (key.empty() || key.size() > 128) {
    return ApiError(400, "invalid_input", T(ctx.lang, "purchase_key_missing"));
  }
  // Entitled by role (a moderator): nothing to buy. A buyer's retry goes on to Purchase,
  // which answers it as the first time (kReplayed) or kAlreadyEntitled (another key).
  if (library::AlreadyEntitled(user, *doc, library::Bought::kNo)) {
    return Json(200, nlohmann::json{{"purchased", false}}.dump());
  }
  auto bought = ctx.site.points().Purchase(ctx.user->id, *doc, key);
  if (!bought.ok()) return Fail(ctx, bought.error());
  if (bought->outcome == points::PurchaseResult::Outcome::kAlreadyEntitled) {
    return Json(200, nlohmann::json{{"purchased", false}}.dump());
  }
  return Json(200, nlohmann::json{{"purchased", true}, {"balance", bought->balance}}.dump());
}

}  // namespace wenku::web
