// GET /d/{id}/pages/{n}.webp — a page image; pages past the free preview only for those
// entitled to the whole document (library/access.hpp), whatever the URL. A page not drawn yet is
// handed to the render pool (render_pool.hpp) and answered later (AnswerLater): this handler
// thread is freed at once, the connection waits for the drawing (or the request timeout:
// then 503 + Retry-After, and the retry finds the drawing done or joins it). A full pool or
// a visitor at their limit: 503 + Retry-After. A page that cannot be drawn: an error page
// saying so, also on every later request until the document is converted again.
//
// GET /d/{id}/cover.webp — the cover thumbnail of a ready document. It is public, so it shows
// page 1 only when every visitor may see page 1; otherwise the card with the format and the
// title drawn at ingest (render_stage.cpp).
//
// Both are read from the derived store (data folder or S3) into the answer: they are small.
// They are never redirected to a presigned URL, even with blobs.presign: the pages'
// Content-Security-Policy (img-src 'self') would refuse an image from the bucket's host.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/file_response.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

namespace fs = std::filesystem;

// Whom the per-visitor limit counts: the account, or the IP address when anonymous.
std::string Visitor(const Context& ctx) {
  return ctx.user ? "user " + std::to_string(ctx.user->id) : "ip " + ctx.req.remote_ip;
}

Response ServePage(Context& ctx, int64_t id, int64_t n, const blob::DerivedInfo& info,
                   bool preview_page) {
  auto r = DerivedResponse(ctx.req, ctx.site.derived(), id, blob::derived_name::PageImage(n), info,
                           "image/webp",
                           preview_page ? "public, max-age=86400" : "private, max-age=3600");
  if (!r.ok()) return Fail(ctx, r.error());
  return std::move(r).value();
}

Response Busy(Context& ctx) {
  return Fail(ctx, MakeError(ErrorCode::kBusy, T(ctx.lang, "page_render_busy")));
}

// A page that could not be drawn (kConversionFailed, remembered) gets a sentence saying so;
// anything else (a transient error, a document gone meanwhile) the usual error answer.
Response PageFailed(Context& ctx, int64_t n, const Error& error) {
  if (error.code != ErrorCode::kConversionFailed) return Fail(ctx, error);
  std::string reason = error.message;
  while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
  return MessagePage(ctx, HttpStatus(error.code), "page_render_failed_heading",
                     Format(ctx.lang, "page_render_failed", {std::to_string(n), reason}));
}

}  // namespace

Response ShowPageImage(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  int64_t n = ParseId(ctx.req.Param("n"));
  if (id == 0 || n == 0) return NotFound(ctx);
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  const library::Visitor user = ctx.visitor();
  if (Status v = library::CheckView(user, *doc); !v.ok()) return Fail(ctx, v.error());
  if (doc->state != DocState::kReady || n > doc->page_count) {
    return NotFound(ctx);
  }
  if (!library::MaySeePage(user, *doc, ctx.BoughtOf(*doc), ctx.site.preview(), n)) {
    return Text(403, "this page is not part of the free preview\n");
  }
  const bool preview_page = library::MaySeePage(nullptr, *doc, library::Bought::kNo,
                                                ctx.site.preview(), n);  // public: cached by anyone
  auto drawn = ctx.site.page_images().Drawn(id, n);
  if (!drawn.ok()) return PageFailed(ctx, n, drawn.error());
  if (*drawn) return ServePage(ctx, id, n, **drawn, preview_page);

  auto drawing = ctx.site.render_pool().Submit(id, n, Visitor(ctx));
  if (!drawing.ok()) return Busy(ctx);
  return AnswerLater(
      ctx, Deferred{[d = *drawing](std::function<void()> wake) { d.OnReady(std::move(wake)); },
                    [d = *drawing, id, n, preview_page](Context& ctx, bool /*gave_up*/) {
                      if (!d.Ready()) return Busy(ctx);  // still drawing at the deadline
                      const auto& r = d.result();
                      if (!r.ok()) return PageFailed(ctx, n, r.error());
                      auto info = ctx.site.derived().Stat(id, *r);
                      if (!info.ok()) return Fail(ctx, info.error());
                      return ServePage(ctx, id, n, *info, preview_page);
                    }});
}

Response ShowCover(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (Status v = library::CheckView(ctx.visitor(), *doc); !v.ok()) return Fail(ctx, v.error());
  if (doc->state != DocState::kReady) {
    return NotFound(ctx);
  }
  // Public and cached by anyone: drawn from page 1 only if an anonymous visitor may see it.
  const std::string name =
      library::MaySeePage(nullptr, *doc, library::Bought::kNo, ctx.site.preview(), 1)
          ? blob::derived_name::kCover
          : blob::derived_name::kCoverPlaceholder;
  auto info = ctx.site.derived().Stat(id, name);
  if (!info.ok()) {
    return info.error().code == ErrorCode::kNotFound ? NotFound(ctx) : Fail(ctx, info.error());
  }
  auto r = DerivedResponse(ctx.req, ctx.site.derived(), id, name, *info, "image/webp",
                           "public, max-age=86400");
  if (!r.ok()) return Fail(ctx, r.error());
  return std::move(r).value();
}

}  // namespace wenku::web
