// POST /api/v1/documents/{id}/reports {"reason","detail","work","rights_holder","contact"} —
// anyone reports a document (举报): 201 {"id"}; an anonymous reporter gives a contact e-mail
// address. POST /api/v1/documents/{id}/claims {"work","proof","contact"} — a logged-in rights
// holder claims it (认领): 201 {"id"}. Both open a case (moderation::Moderation); 10 an hour
// per account, or per IP address when anonymous (429). A field at fault: 400 invalid_input
// with "field" naming it.
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"
#include "web/complaints.hpp"

namespace wenku::web {
namespace {

Response Answer(Context& ctx, const Result<int64_t>& opened) {
  if (!opened.ok()) {
    const Error& e = opened.error();
    if (e.code == ErrorCode::kInvalidInput) {
      return Json(400, nlohmann::json{{"error",
                                       {{"code", "invalid_input"},
                                        {"field", e.message},
                                        {"message", T(ctx.lang, "complaint_field_" + e.message)}}}}
                           .dump());
    }
    return Fail(ctx, e);
  }
  return Json(201, nlohmann::json{{"id", *opened}}.dump());
}

}  // namespace

Response ApiCreateReport(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  if (!AllowComplaint(ctx))
    return ApiError(429, "rate_limited", T(ctx.lang, "complaints_too_many"));
  moderation::ReportInput in{JsonString(*body, "reason"), JsonString(*body, "detail"),
                             JsonString(*body, "work"), JsonString(*body, "rights_holder"),
                             JsonString(*body, "contact")};
  return Answer(ctx, ctx.site.moderation().Report(ctx.visitor(), ParseId(ctx.req.Param("id")), in));
}

Response ApiCreateClaim(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  if (!AllowComplaint(ctx))
    return ApiError(429, "rate_limited", T(ctx.lang, "complaints_too_many"));
  moderation::ClaimInput in{
      JsonString(*body, "work"), JsonString(*body, "proof"), JsonString(*body, "contact"), {}};
  return Answer(ctx, ctx.site.moderation().Claim(*ctx.user, ParseId(ctx.req.Param("id")), in));
}

}  // namespace wenku::web
