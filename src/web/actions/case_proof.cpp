// GET /admin/cases/{id}/proof — a claim's proof file (a private blob no public route serves),
// for moderators and admins only (the route table says so; everyone else gets 403, an
// anonymous visitor is sent to log in). Its type is read from its bytes (a PDF or an image:
// Moderation::Claim accepts nothing else): an image is shown inline, anything else is an
// attachment. Always X-Content-Type-Options: nosniff and private, no-store. 404 when the
// case has no proof file.
#include "ingest/file_type.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/file_response.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowCaseProof(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto c = ctx.site.cases().Find(id);
  if (!c.ok()) return Fail(ctx, c.error());
  if (c->proof_sha256.empty()) return NotFound(ctx);
  auto head = ctx.site.blobs().Get(c->proof_sha256, {0, 65536});  // enough to know the type
  if (!head.ok()) return Fail(ctx, head.error());
  const ingest::FileType type = ingest::DetectFileType(*head, "");
  const bool image = type.kind == ingest::FileKind::kImage && type.mime.starts_with("image/") &&
                     type.mime != "image/svg+xml";
  const bool pdf = type.kind == ingest::FileKind::kPdf;
  const std::string content_type =
      image ? type.mime : (pdf ? "application/pdf" : "application/octet-stream");
  auto served = BlobResponse(ctx.req, ctx.site.blobs(), c->proof_sha256, content_type,
                             "private, no-store", false);  // streamed, never presigned
  if (!served.ok()) return Fail(ctx, served.error());
  Response r = std::move(served).value();
  r.Set("X-Content-Type-Options", "nosniff");
  if (!image) {
    r.Set("Content-Disposition",
          ContentDisposition("case-" + std::to_string(id) + "-proof" + (pdf ? ".pdf" : "")));
  }
  return r;
}

}  // namespace wenku::web
