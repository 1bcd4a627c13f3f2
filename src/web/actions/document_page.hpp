// The document page's view, shared by ShowDocument and CreateComment (which shows the page
// again with the refused comment and its error next to the field).
#pragma once

#include <string>

#include "core/document.hpp"
#include "web/context.hpp"

namespace wenku::web {

struct CommentDraft {
  std::string text;
  std::string error;  // shown next to the comment field
};

Response RenderDocumentPage(Context& ctx, const Document& doc, const CommentDraft& draft,
                            int status = 200);

// Ledger entries a page, on /me and GET /api/v1/me/ledger.
inline constexpr int64_t kLedgerPerPage = 50;

// The id in the route's {id}, or 0 when it is not a positive number.
int64_t ParseId(const std::string& text);

}  // namespace wenku::web
