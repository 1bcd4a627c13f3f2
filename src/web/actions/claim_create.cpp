// GET /d/{id}/claim — the claim form (认领) for a logged-in rights holder: the work, the
// proof (text), a contact and optionally a proof file (a PDF or an image, kept private).
// POST /d/{id}/claim (multipart/form-data, for the file) — opens the claim
// (moderation::Moderation::Claim) and shows a page with its number; a field at fault shows the
// form again (400) with the words next to that field. One's own document, or a second open
// claim on it, gets a page saying so. Rate-limited with reports (web/complaints.hpp).
#include "library/access.hpp"
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/complaints.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

struct ClaimErrors {
  moderation::ClaimProblems fields;
  bool file = false;
};

// The ready document the visitor may see, or the error to answer instead.
Result<Document> Claimable(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return MakeError(ErrorCode::kNotFound, "no such document");
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return doc.error();
  WENKU_TRY(library::CheckView(ctx.visitor(), *doc));
  if (doc->state != DocState::kReady) return MakeError(ErrorCode::kNotFound, "not ready");
  return doc;
}

Response OwnDocument(Context& ctx) {
  return MessagePage(ctx, 403, "claim_heading", T(ctx.lang, "claim_own"));
}

Response RenderClaimForm(Context& ctx, const Document& doc, const moderation::ClaimInput& in,
                         const ClaimErrors& errors, int status) {
  View v = BaseView(ctx, T(ctx.lang, "claim_heading"));
  v.set("id", std::to_string(doc.id));
  v.set("title", doc.title);
  v.set("csrf", ctx.CsrfToken());
  v.set("work", in.work);
  v.set("proof", in.proof);
  v.set("contact", in.contact);
  auto put = [&](const char* name, bool wrong, const char* field) {
    if (wrong) v.set(name, T(ctx.lang, std::string("complaint_field_") + field));
  };
  put("work_error", errors.fields.work, "work");
  put("proof_error", errors.fields.proof, "proof");
  put("contact_error", errors.fields.contact, "contact");
  put("file_error", errors.file, "proof_file");
  return RenderPage(ctx, "claim", v, status);
}

}  // namespace

Response ShowClaim(Context& ctx) {
  auto doc = Claimable(ctx);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (moderation::IsOwnDocument(ctx.UserIdOr0(), *doc)) return OwnDocument(ctx);
  return RenderClaimForm(ctx, *doc, {}, {}, 200);
}

Response CreateClaim(Context& ctx) {
  auto doc = Claimable(ctx);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (moderation::IsOwnDocument(ctx.UserIdOr0(), *doc)) return OwnDocument(ctx);
  moderation::ClaimInput in;
  if (ctx.multipart) {
    const MultipartForm& form = *ctx.multipart;
    in.work = FindField(form.fields, "work");
    in.proof = FindField(form.fields, "proof");
    in.contact = FindField(form.fields, "contact");
    for (const MultipartFile& f : form.files) {
      if (f.field == "proof_file") {
        in.proof_file = f.path;
        break;
      }
    }
  }
  ClaimErrors errors{moderation::CheckClaim(in), false};
  if (errors.fields.any()) return RenderClaimForm(ctx, *doc, in, errors, 400);
  if (!AllowComplaint(ctx)) {
    return MessagePage(ctx, 429, "rate_limited_heading", T(ctx.lang, "complaints_too_many"));
  }
  auto opened = ctx.site.moderation().Claim(*ctx.user, doc->id, in);
  if (!opened.ok()) {
    const Error& e = opened.error();
    switch (e.code) {
      case ErrorCode::kInvalidInput:
        errors.file = e.message == "proof_file";
        errors.fields.work = e.message == "work";
        errors.fields.proof = e.message == "proof";
        errors.fields.contact = e.message == "contact";
        return RenderClaimForm(ctx, *doc, in, errors, 400);
      case ErrorCode::kForbidden:
        return OwnDocument(ctx);
      case ErrorCode::kConflict:
        return MessagePage(ctx, 409, "claim_heading", T(ctx.lang, "claim_open_already"));
      default:
        return Fail(ctx, e);
    }
  }
  return MessagePage(ctx, 200, "claim_thanks_heading",
                     Format(ctx.lang, "claim_thanks", {std::to_string(*opened)}));
}

}  // namespace wenku::web
