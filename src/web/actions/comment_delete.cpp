// POST /d/{id}/comments/{comment}/delete — the document's owner, a moderator or the
// comment's author deletes a comment.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response DeleteComment(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  int64_t id = ParseId(ctx.req.Param("id"));
  int64_t comment_id = ParseId(ctx.req.Param("comment"));
  auto& site = ctx.site;
  auto comment = site.comments().Find(comment_id);
  if (!comment.ok() || comment->document_id != id) return NotFound(ctx);
  auto doc = site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (!library::MayDeleteComment(&*ctx.user, *doc, *comment)) {
    return Fail(ctx, MakeError(ErrorCode::kForbidden, "not your comment"));
  }
  Status s = site.comments().Delete(comment_id);
  if (!s.ok()) return Fail(ctx, s.error());
  return Redirect("/d/" + std::to_string(id) + "#comments");
}

}  // namespace wenku::web
