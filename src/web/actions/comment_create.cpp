// POST /d/{id}/comments — a comment from the document page's form. A refused comment shows
// the page again with the text kept and the reason next to the field.
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/comments.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response CreateComment(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  std::string text = ctx.Field("text");
  auto comment = PostComment(ctx, id, text);
  if (comment.ok())
    return Redirect("/d/" + std::to_string(id) + "#c" + std::to_string(comment->id));
  const Error& e = comment.error();
  if (e.code != ErrorCode::kInvalidInput && e.code != ErrorCode::kRateLimited) return Fail(ctx, e);
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  return RenderDocumentPage(ctx, *doc, CommentDraft{text, T(ctx.lang, e.message)},
                            HttpStatus(e.code));
}

}  // namespace wenku::web
