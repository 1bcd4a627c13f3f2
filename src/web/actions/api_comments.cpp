// GET /api/v1/documents/{id}/comments → {"comments":[…]} newest first;
// POST with {"text":"…"} (1–150 code points after NFC, login required) → 201 the comment.
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"
#include "web/comments.hpp"

namespace wenku::web {
namespace {

nlohmann::json CommentJson(const storage::Comment& c) {
  return {{"id", c.id},
          {"user", c.user_name},
          {"text", c.text},
          {"created_at", c.created_at},
          {"held", c.held}};
}

}  // namespace

Response ApiListComments(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (Status v = library::CheckView(ctx.visitor(), *doc); !v.ok()) return Fail(ctx, v.error());
  auto list = ctx.site.comments().List(id, 100, 0, library::CommentReaderOf(ctx.visitor()));
  if (!list.ok()) return Fail(ctx, list.error());
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : *list) arr.push_back(CommentJson(c));
  return Json(200, nlohmann::json{{"comments", arr}}.dump());
}

Response ApiCreateComment(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  auto comment = PostComment(ctx, ParseId(ctx.req.Param("id")), JsonString(*body, "text"));
  if (!comment.ok()) return ApiKeyedError(ctx, comment.error());
  return Json(201, CommentJson(*comment).dump());
}

}  // namespace wenku::web
