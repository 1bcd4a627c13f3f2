// The moderation page's view (/admin), shared by ShowAdmin and DecideCase (which shows the
// page again with the refused decision's error next to its case), and the words for a
// moderation error, shared with ModerateDocument.
#pragma once

#include <optional>
#include <string>

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

// The catalog's words for an error of moderation::Moderation's decisions (kInvalidInput: the
// field at fault; kConflict: decided meanwhile), or "" for other errors.
std::string ModerationProblem(Context& ctx, const Error& error);

}  // namespace wenku::web
