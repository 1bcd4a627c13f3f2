// The moderation page's view (/admin), shared by ShowAdmin and DecideCase (which shows the
// page again with the refused decision's error next to its case), and the words for a
// moderation error, shared with ModerateDocument.
#pragma once

#include <optional>
#include <string>

#include "core/document.hpp"
#include "storage/case_store.hpp"
#include "web/context.hpp"
#include "web/templates.hpp"

namespace wenku::web {

// What /admin lists: ?type=report|claim|near_duplicate (default: all), ?state=open|dismissed|
// taken_down|accepted|rejected|all (default: open), ?document=ID, ?page=N.
struct AdminFilter {
  std::optional<storage::CaseType> type;
  std::optional<storage::CaseState> state = storage::CaseState::kOpen;
  DocumentId document = 0;
  int64_t page = 1;
};

// The filter from a query string (GET /admin) or a decide form's hidden fields; unknown
// values fall back to the defaults.
AdminFilter ReadAdminFilter(const std::string& type, const std::string& state,
                            const std::string& document, const std::string& page);
// "/admin?type=…&state=…" for `filter`.
std::string AdminHref(const AdminFilter& filter);

struct DecideError {
  int64_t case_id = 0;
  std::string message;  // shown next to that case's decide form
};

Response RenderAdminPage(Context& ctx, const AdminFilter& filter, const DecideError& error,
                         int status);

// An audit entry's action ("take_down", "report", …) in the page's language.
std::string AuditActionLabel(Context& ctx, const std::string& action);
// The report reasons as <option>s ({{value}}, {{label}}, {{selected}}), `chosen` selected.
View ReasonOptions(Context& ctx, std::string_view chosen);

// What /admin/documents lists (admin_documents.cpp): ?q= (part of a title or file name, or
// an id), ?state=queued|processing|ready|failed|taken_down (default: all), ?uploader=NAME,
// ?category=SLUG, ?page=N (1..kMaxDocumentPages). Overlong values are cut.
struct DocumentsFilter {
  std::string q;  // at most 200 bytes
  std::optional<DocState> state;
  std::string uploader;  // at most 64 bytes
  std::string category;  // at most 64 bytes
  int64_t page = 1;
};
inline constexpr int64_t kDocumentsPerPage = 20;
inline constexpr int64_t kMaxDocumentPages = 500;  // offsets stay below 10000 rows
DocumentsFilter ReadDocumentsFilter(const std::string& q, const std::string& state,
                                    const std::string& uploader, const std::string& category,
                                    const std::string& page);
// "/admin/documents?q=…&state=…" for `filter`.
std::string DocumentsHref(const DocumentsFilter& filter);

// A refused edit: the fields as typed and the catalog key of each problem ("" when fine),
// shown in that document's edit form; or a refused decision's sentence.
struct EditError {
  DocumentId document = 0;
  std::string title, description, category, price, note;  // as typed
  std::string title_error, description_error, category_error, price_error, note_error;
  std::string message;  // another decision refused: why, next to that document's forms
};
Response RenderDocumentsPage(Context& ctx, const DocumentsFilter& filter, const EditError& error,
                             int status);

// The catalog's words for an error of moderation::Moderation's decisions (kInvalidInput: the
// field at fault; kConflict: decided meanwhile), or "" for other errors.
std::string ModerationProblem(Context& ctx, const Error& error);

}  // namespace wenku::web
