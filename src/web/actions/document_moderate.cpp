// POST /admin/documents/{id} — a moderator's own decision from the document page:
// `action` take_down (with a `reason`: copyright, porn, …) or restore, and a required `note`
// (moderation::Moderation::TakeDown / Restore). Back to the document page; a refused decision
// gets a page saying why (400, or 409 when the document is not in a state it applies to).
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ModerateDocument(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  const std::string action = ctx.Field("action");
  const std::string note = ctx.Field("note");
  Status s;
  if (action == "take_down") {
    s = ctx.site.moderation().TakeDown(ctx.visitor(), id, ctx.Field("reason"), note);
  } else if (action == "restore") {
    s = ctx.site.moderation().Restore(ctx.visitor(), id, note);
  } else {
    s = MakeError(ErrorCode::kInvalidInput, "action");
  }
  if (!s.ok()) {
    const std::string problem = ModerationProblem(ctx, s.error());
    if (problem.empty()) return Fail(ctx, s.error());
    return MessagePage(ctx, HttpStatus(s.error().code), "moderate_heading", problem);
  }
  return Redirect("/d/" + std::to_string(id));
}

}  // namespace wenku::web
