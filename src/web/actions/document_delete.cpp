// POST /d/{id}/delete — its owner or a moderator deletes a document (library::Delete owns
// the steps and who may take them). DELETE /api/v1/documents/{id} does the same for API
// clients.
#include "library/delete.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

Status Delete(Context& ctx) {
  auto& site = ctx.site;
  return library::Delete({site.documents(), site.search(), site.blobs(), site.derived()},
                         ctx.visitor(), ParseId(ctx.req.Param("id")));
}

}  // namespace

Response DeleteDocument(Context& ctx) {
  Status s = Delete(ctx);
  if (!s.ok()) return Fail(ctx, s.error());
  return MessagePage(ctx, 200, "deleted", T(ctx.lang, "deleted"));
}

Response ApiDeleteDocument(Context& ctx) {
  Status s = Delete(ctx);
  if (!s.ok()) return Fail(ctx, s.error());
  Response r;
  r.status = 204;
  return r;
}

}  // namespace wenku::web
