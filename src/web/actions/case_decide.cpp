// POST /admin/cases/{id} — a moderator decides a case from /admin: `action` (dismiss,
// take_down for a report or a near-duplicate; accept_claim, reject_claim for a claim) and a
// required `note` (moderation::Moderation::Decide), then back to /admin as it was filtered.
// A refused decision shows /admin again with the error next to that case's form (400, or
// 409 when the case was decided meanwhile).
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response DecideCase(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  const AdminFilter back = ReadAdminFilter(ctx.Field("f_type"), ctx.Field("f_state"),
                                           ctx.Field("f_document"), ctx.Field("f_page"));
  Status s;
  if (auto action = moderation::ParseAction(ctx.Field("action"))) {
    s = ctx.site.moderation().Decide(ctx.visitor(), id, *action, ctx.Field("note"));
  } else {
    s = MakeError(ErrorCode::kInvalidInput, "action");
  }
  if (!s.ok()) {
    const std::string problem = ModerationProblem(ctx, s.error());
    if (problem.empty()) return Fail(ctx, s.error());
    return RenderAdminPage(ctx, back, {id, problem}, HttpStatus(s.error().code));
  }
  return Redirect(AdminHref(back));
}

}  // namespace wenku::web
