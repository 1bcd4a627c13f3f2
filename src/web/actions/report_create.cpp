// GET /d/{id}/report — the report form (举报): a reason (侵犯版权, 色情低俗, 政治敏感, 广告垃圾,
// 侵犯隐私, 其他), details, for copyright the work infringed and its rights holder, and a
// contact e-mail address (required of anonymous visitors). POST /d/{id}/report — opens the
// case (moderation::Moderation::Report) and shows a thank-you page with its number; a field at
// fault shows the form again (400) with the words next to that field. Rate-limited with the
// API's reports and claims (web/complaints.hpp): 429.
#include "library/access.hpp"
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/complaints.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

// The ready document the visitor may see, or the answer to give instead.
Result<Document> Reportable(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return MakeError(ErrorCode::kNotFound, "no such document");
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return doc.error();
  WENKU_TRY(library::CheckView(ctx.visitor(), *doc));
  if (doc->state != DocState::kReady) return MakeError(ErrorCode::kNotFound, "not ready");
  return doc;
}

Response RenderReportForm(Context& ctx, const Document& doc, const moderation::ReportInput& in,
                          const moderation::ReportProblems& problems, int status) {
  View v = BaseView(ctx, T(ctx.lang, "report_heading"));
  v.set("id", std::to_string(doc.id));
  v.set("title", doc.title);
  v.set("csrf", ctx.CsrfToken());
  v.set("reasons", ReasonOptions(ctx, in.reason));
  v.set("detail", in.detail);
  v.set("work", in.work);
  v.set("rights_holder", in.rights_holder);
  v.set("contact", in.contact);
  v.set("anonymous", ctx.user ? View::type::bool_false : View::type::bool_true);
  auto put = [&](const char* name, bool wrong, const char* field) {
    if (wrong) v.set(name, T(ctx.lang, std::string("complaint_field_") + field));
  };
  put("reason_error", problems.reason, "reason");
  put("detail_error", problems.detail, "detail");
  put("work_error", problems.work, "work");
  put("rights_holder_error", problems.rights_holder, "rights_holder");
  put("contact_error", problems.contact, "contact");
  return RenderPage(ctx, "report", v, status);
}

}  // namespace

Response ShowReport(Context& ctx) {
  auto doc = Reportable(ctx);
  if (!doc.ok()) return Fail(ctx, doc.error());
  return RenderReportForm(ctx, *doc, {}, {}, 200);
}

Response CreateReport(Context& ctx) {
  auto doc = Reportable(ctx);
  if (!doc.ok()) return Fail(ctx, doc.error());
  moderation::ReportInput in{ctx.Field("reason"), ctx.Field("detail"), ctx.Field("work"),
                             ctx.Field("rights_holder"), ctx.Field("contact")};
  const auto problems = moderation::CheckReport(in, ctx.user == std::nullopt);
  if (problems.any()) return RenderReportForm(ctx, *doc, in, problems, 400);
  if (!AllowComplaint(ctx)) {
    return MessagePage(ctx, 429, "rate_limited_heading", T(ctx.lang, "complaints_too_many"));
  }
  auto opened = ctx.site.moderation().Report(ctx.visitor(), doc->id, in);
  if (!opened.ok()) return Fail(ctx, opened.error());
  return MessagePage(ctx, 200, "report_thanks_heading",
                     Format(ctx.lang, "report_thanks", {std::to_string(*opened)}));
}

}  // namespace wenku::web
