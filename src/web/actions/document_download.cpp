// GET /d/{id}/download — the original bytes, for a logged-in user and a free document, or a
// priced one they bought (or own, or moderate); anyone else who must buy it is sent to the
// confirm step (/d/{id}/buy, document_buy.cpp). Range requests resume a download; only a
// download from byte 0 is counted.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/file_response.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response DownloadDocument(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto& documents = ctx.site.documents();
  auto doc = documents.Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  Status allowed = library::MayDownload(ctx.visitor(), *doc, ctx.BoughtOf(*doc));
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::kInsufficientPoints) {
      return Redirect("/d/" + std::to_string(id) + "/buy");
    }
    return Fail(ctx, allowed.error());
  }
  auto path = ctx.site.blobs().LocalPath(doc->blob_sha256);
  if (!path.ok()) return Fail(ctx, path.error());
  Response r = FileResponse(ctx.req, *path,
                            doc->mime_type.empty() ? "application/octet-stream" : doc->mime_type,
                            "private, no-cache", true);
  r.Set("Content-Disposition", ContentDisposition(doc->filename));
  if (r.status == 200 || (r.status == 206 && r.file_offset == 0)) {
    (void)documents.CountDownload(id, ctx.user ? ctx.user->id : 0);
    ctx.site.views().Touch(id);  // the search index's download counts follow
  }
  return r;
}

}  // namespace wenku::web
