#include "moderation/document_admin.hpp"

#include "core/text.hpp"
#include "library/delete.hpp"
#include "moderation/moderation.hpp"

namespace wenku::moderation {
namespace {

bool IsModerator(library::Visitor v) { return v != nullptr && v->IsModerator(); }

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status CheckNote(const std::string& note, bool required) {
  if (!IsValidUtf8(note) || CodePointCount(note) > kMaxNote || (required && Blank(note))) {
    return MakeError(ErrorCode::kInvalidInput, "note");
  }
  return {};
}

}  // namespace

Status DocumentAdmin::Edit(library::Visitor moderator, DocumentId document,
                           const library::DocumentFields& fields, const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  WENKU_TRY(
      library::FieldsError(library::CheckFields(fields, d_.categories), fields, d_.categories));
  WENKU_TRY(CheckNote(note, false));
  bool ready = false;
  Status s = d_.db.Transaction([&](storage::Sql& tx) -> Status {
    auto doc = d_.documents.Find(tx, document);
    if (!doc.ok()) return doc.error();
    ready = doc->state == DocState::kReady;
    const std::string title = library::StoredTitle(fields.title, doc->filename);
    const std::string category = library::StoredCategory(fields.category);
    std::string changed;
    auto note_change = [&](bool differs, const char* name) {
      if (differs) changed += (changed.empty() ? "" : ", ") + std::string(name);
    };
    note_change(title != doc->title, "title");
    note_change(fields.description != doc->description, "description");
    note_change(category != doc->category, "category");
    note_change(fields.price != doc->price, "price");
    WENKU_TRY(
        d_.documents.SetFields(tx, document, title, fields.description, category, fields.price));
    return d_.cases.Log(tx, AuditOf(moderator, "edit", 0, document,
                                    Blank(note) ? (changed.empty() ? "-" : changed) : note));
  });
  if (!s.ok()) return s;
  if (ready) BackInSearch(d_.documents, d_.index, document);
  return {};
}

Status DocumentAdmin::Delete(library::Visitor moderator, DocumentId document,
                             const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  WENKU_TRY(CheckNote(note, true));
  return library::Delete({d_.documents, d_.index, d_.blobs, d_.derived}, moderator, document,
                         [&](storage::Sql& tx) {
                           return d_.cases.Log(tx, AuditOf(moderator, "delete", 0, document, note));
                         });
}

Status DocumentAdmin::Retry(library::Visitor moderator, DocumentId document,
                            const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  WENKU_TRY(CheckNote(note, false));
  return d_.db.Transaction([&](storage::Sql& tx) -> Status {
    WENKU_TRY(d_.jobs.Requeue(tx, document, d_.max_attempts));
    return d_.cases.Log(tx, AuditOf(moderator, "retry", 0, document, note));
  });
}

}  // namespace wenku::moderation
