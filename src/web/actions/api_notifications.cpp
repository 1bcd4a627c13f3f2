// GET /api/v1/me/notifications?page=N — my inbox, newest first, 50 a page:
//   {"unread": n, "notifications":[{"id","kind","document_id","case_id","note","created_at",
//   "read"}]}; kinds: report, claim (on my documents), taken_down, restored, claim_accepted,
//   claim_lost, claim_rejected.
// POST /api/v1/me/notifications/read — marks them all read → 204.
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kPerPage = 50;

}  // namespace

Response ApiListNotifications(Context& ctx) {
  const int64_t page = std::max<int64_t>(1, ParseId(ctx.req.Query("page")));
  auto inbox = ctx.site.cases().Inbox(ctx.user->id, kPerPage, (page - 1) * kPerPage);
  if (!inbox.ok()) return Fail(ctx, inbox.error());
  auto unread = ctx.site.cases().CountUnread(ctx.user->id);
  if (!unread.ok()) return Fail(ctx, unread.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& n : *inbox) {
    list.push_back({{"id", n.id},
                    {"kind", n.kind},
                    {"document_id", n.document},
                    {"case_id", n.case_id},
                    {"note", n.note},
                    {"created_at", n.created_at},
                    {"read", n.read}});
  }
  return Json(200, nlohmann::json{{"unread", *unread}, {"notifications", list}}.dump());
}

Response ApiReadNotifications(Context& ctx) {
  Status s = ctx.site.cases().MarkAllRead(ctx.user->id);
  if (!s.ok()) return Fail(ctx, s.error());
  Response r;
  r.status = 204;
  return r;
}

}  // namespace wenku::web
