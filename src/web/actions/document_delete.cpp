// POST /d/{id}/delete — its owner or a moderator deletes a document: rows first (one
// transaction), then its derived files and, when no other document uses them, its bytes.
// DELETE /api/v1/documents/{id} does the same for API clients.
#include <spdlog/spdlog.h>

#include "web/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

Status Delete(Context& ctx, int64_t id) {
  if (!ctx.user) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  auto& app = ctx.site.app();
  auto doc = app.documents().Find(id);
  if (!doc.ok()) return doc.error();
  if (!MayView(&*ctx.user, *doc)) return MakeError(ErrorCode::kNotFound, "no such document");
  if (!MayManage(&*ctx.user, *doc)) {
    return MakeError(ErrorCode::kForbidden, "only its owner or a moderator may delete it");
  }
  auto deleted = app.documents().Delete(id);
  if (!deleted.ok()) return deleted.error();
  // Searches check the database anyway; this keeps the index from growing stale.
  if (Status s = app.search().Remove(id); !s.ok()) {
    spdlog::warn("web: document {} stays in the search index until `wenku reindex`: {}", id,
                 s.error().message);
  }
  std::error_code ec;
  std::filesystem::remove_all(app.layout().derived(id), ec);
  if (!deleted->unreferenced_blob.empty()) (void)app.blobs().Remove(deleted->unreferenced_blob);
  spdlog::info("web: document {} deleted by {}", id, ctx.user->name);
  return {};
}

}  // namespace

Response DeleteDocument(Context& ctx) {
  Status s = Delete(ctx, ParseId(ctx.req.Param("id")));
  if (!s.ok()) return Fail(ctx, s.error());
  return MessagePage(ctx, 200, "deleted", T(ctx.lang, "deleted"));
}

Response ApiDeleteDocument(Context& ctx) {
  Status s = Delete(ctx, ParseId(ctx.req.Param("id")));
  if (!s.ok()) return Fail(ctx, s.error());
  Response r;
  r.status = 204;
  return r;
}

}  // namespace wenku::web
