// GET /d/{id}/pages/{n}.webp — a page image; pages past the free preview only for those
// entitled to the whole document (access.hpp), whatever the URL. GET /d/{id}/cover.webp —
// the cover thumbnail of a ready document.
#include "web/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/file_response.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowPageImage(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  int64_t n = ParseId(ctx.req.Param("n"));
  if (id == 0 || n == 0) return NotFound(ctx);
  auto doc = ctx.site.app().documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  const storage::User* user = ctx.user ? &*ctx.user : nullptr;
  if (!MayView(user, *doc) || doc->state != DocState::kReady || n > doc->page_count) {
    return NotFound(ctx);
  }
  if (n > VisiblePages(user, *doc)) {
    return Text(403, "this page is not part of the free preview\n");
  }
  auto path = ctx.site.app().page_images().Get(id, n);
  if (!path.ok()) return Fail(ctx, path.error());
  bool preview_page = n <= doc->preview_pages;
  return FileResponse(ctx.req, *path, "image/webp",
                      preview_page ? "public, max-age=86400" : "private, max-age=3600", false);
}

Response ShowCover(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto doc = ctx.site.app().documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (!MayView(ctx.user ? &*ctx.user : nullptr, *doc) || doc->state != DocState::kReady) {
    return NotFound(ctx);
  }
  auto path = ctx.site.app().layout().cover(id);
  if (!std::filesystem::exists(path)) return NotFound(ctx);
  return FileResponse(ctx.req, path, "image/webp", "public, max-age=86400", false);
}

}  // namespace wenku::web
