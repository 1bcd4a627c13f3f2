// GET /d/{id}/download — the original bytes, for a logged-in user and a free document, or a
// priced one they bought (or own, or moderate); anyone else who must buy it is sent to the
// confirm step (/d/{id}/buy, document_buy.cpp). Range requests resume a download; what is
// counted as a download, and how often, is library/downloads.hpp's (a GET from byte 0, once
// per user and document a day). The bytes are streamed from the blob store (never a local
// path); with `blobs.presign = 1` and an S3 store the answer is instead a 302 to a presigned
// URL valid kPresignSeconds, made only after the same checks (a GET without a Range, or
// from byte 0, counts as a download then).
#include "library/access.hpp"
#include "library/downloads.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/file_response.hpp"
#include "web/view.hpp"

namespace wenku::web {

// How long a presigned download URL works (blobs.presign).
constexpr int64_t kPresignSeconds = 300;

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
  const std::string type = doc->mime_type.empty() ? "application/octet-stream" : doc->mime_type;
  Response r;
  std::string presigned;
  if (ctx.site.options().presign) {
    presigned = ctx.site.blobs().Presign(doc->blob_sha256, kPresignSeconds, ctx.site.NowMs() / 1000,
                                         ContentDisposition(doc->filename), type);
  }
  int64_t first_byte = 0;
  if (!presigned.empty()) {
    r = Redirect(presigned, 302);
    r.Set("Cache-Control", "private, no-store");
    const std::string range = ctx.req.Header("range");
    first_byte = range.empty() || range.starts_with("bytes=0-") ? 0 : 1;
  } else {
    auto served =
        BlobResponse(ctx.req, ctx.site.blobs(), doc->blob_sha256, type, "private, no-cache", true);
    if (!served.ok()) return Fail(ctx, served.error());
    r = std::move(served).value();
    r.Set("Content-Disposition", ContentDisposition(doc->filename));
    first_byte = r.file_offset;
  }
  const int status = presigned.empty() ? r.status : 200;
  if (ctx.user && library::CountsAsDownload(ctx.req.method, status, first_byte)) {
    auto counted = library::CountDownload(documents, ctx.site.points().zone(), ctx.site.NowMs(), id,
                                          ctx.user->id);
    if (counted.ok() && *counted) ctx.site.views().Touch(id);  // the index's counts follow
  }
  return r;
}

}  // namespace wenku::web
