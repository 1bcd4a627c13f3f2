// POST /admin/documents/{id} — a moderator's own decision about a document, from the document
// page or the documents page (/admin/documents, admin_documents.cpp): `action`
//   take_down  with a `reason` (copyright, porn, …) and a required `note`
//              (moderation::Moderation::TakeDown)
//   restore    with a required `note` (Moderation::Restore)
//   edit       `title`, `description`, `category`, `price`, an optional `note`
//              (moderation::DocumentAdmin::Edit: the upload's rules)
//   delete     with a required `note` (DocumentAdmin::Delete)
//   retry      a failed document's ingest again, an optional `note` (DocumentAdmin::Retry)
// Sent from the documents page (its filter in the hidden f_* fields), it goes back there; a
// refused edit shows that page again (400) with each problem next to its field. From the
// document page it goes back to the document (to the home page after a delete). Other
// refusals get a page saying why (400, or 409 when the document is not in a state the
// decision applies to).
#include "moderation/document_admin.hpp"
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/uploads.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

// The edit form's fields, checked by the upload's rules (CheckUploadFields: library's check
// plus the price as typed); the note by moderation's limit.
EditError CheckEdit(Context& ctx, DocumentId id) {
  EditError e;
  e.document = id;
  e.title = ctx.Field("title");
  e.description = ctx.Field("description");
  e.category = ctx.Field("category");
  e.price = ctx.Field("price");
  e.note = ctx.Field("note");
  const UploadFieldErrors problems = CheckUploadFields(
      ctx.site.categories(), UploadFields{e.title, e.category, e.price, e.description});
  e.title_error = problems.title;
  e.description_error = problems.description;
  e.category_error = problems.category;
  e.price_error = problems.price;
  return e;
}

bool HasFieldError(const EditError& e) {
  return !e.title_error.empty() || !e.description_error.empty() || !e.category_error.empty() ||
         !e.price_error.empty() || !e.note_error.empty();
}

}  // namespace

Response ModerateDocument(Context& ctx) {
  const int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  const std::string action = ctx.Field("action");
  const std::string note = ctx.Field("note");
  const bool from_list = !ctx.Field("f_page").empty();
  const DocumentsFilter filter =
      ReadDocumentsFilter(ctx.Field("f_q"), ctx.Field("f_state"), ctx.Field("f_uploader"),
                          ctx.Field("f_category"), ctx.Field("f_page"));
  auto& admin = ctx.site.document_admin();
  Status s;
  EditError edit;
  if (action == "take_down") {
    s = ctx.site.moderation().TakeDown(ctx.visitor(), id, ctx.Field("reason"), note);
  } else if (action == "restore") {
    s = ctx.site.moderation().Restore(ctx.visitor(), id, note);
  } else if (action == "edit") {
    edit = CheckEdit(ctx, id);
    if (!HasFieldError(edit)) {
      s = admin.Edit(ctx.visitor(), id,
                     library::DocumentFields{edit.title, edit.description, edit.category,
                                             ParsePrice(edit.price).value_or(-1)},
                     note);
      if (!s.ok() && s.error().code == ErrorCode::kInvalidInput && s.error().message == "note") {
        edit.note_error = "moderation_field_note";
      }
    }
    if (HasFieldError(edit)) return RenderDocumentsPage(ctx, filter, edit, 400);
  } else if (action == "delete") {
    s = admin.Delete(ctx.visitor(), id, note);
  } else if (action == "retry") {
    s = admin.Retry(ctx.visitor(), id, note);
  } else {
    s = MakeError(ErrorCode::kInvalidInput, "action");
  }
  if (!s.ok()) {
    const std::string problem = ModerationProblem(ctx, s.error());
    if (problem.empty()) return Fail(ctx, s.error());
    if (from_list) {
      EditError refused;
      refused.document = id;
      refused.message = problem;
      return RenderDocumentsPage(ctx, filter, refused, HttpStatus(s.error().code));
    }
    return MessagePage(ctx, HttpStatus(s.error().code), "moderate_heading", problem);
  }
  if (from_list) return Redirect(DocumentsHref(filter));
  return Redirect(action == "delete" ? "/" : "/d/" + std::to_string(id));
}

}  // namespace wenku::web
