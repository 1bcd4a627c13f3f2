// GET /d/{id}/download — the original bytes, for a logged-in user and a free document, or a
// priced one they bought (or own, or moderate); anyone else who must buy it is sent to the
// confirm step (/d/{id}/buy, document_buy.cpp). Range requests resume a download; what is
// counted as a download, and how often, is library/downloads.hpp's (a GET from byte 0, once
// per user and document a day).
#include "library/access.hpp"
#include "library/downloads.hpp"
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
  if (ctx.user && library::CountsAsDownload(ctx.req.method, r.status, r.file_offset)) {
    auto counted = library::CountDownload(documents, ctx.site.points().zone(), ctx.site.NowMs(), id,
                                          ctx.user->id);
    if (counted.ok() && *counted) ctx.site.views().Touch(id);  // the index's counts follow
  }
  return r;
}

}  // namespace wenku::web
