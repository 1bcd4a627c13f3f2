// The JSON shape of a document, shared by `wenku show --json` and the API's
// GET /api/v1/documents/{id} (web/actions/api_documents.cpp): metadata, state, progress,
// failure_reason, preview_pages (the free preview now: FreePreviewPages with the
// preview.pages setting in force) and `pages` — the pages the caller may see, each
// {"n","text","image"}.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/document.hpp"
#include "library/access.hpp"

namespace wenku::library {

// "filename" and "sha256" are there only when `visitor` may see them (MaySeeFileDetails:
// its owner and moderators). `members` (an archive's files) adds
// "members": [{"path","size","document_id","note"}].
nlohmann::json DocumentJson(Visitor visitor, const Document& doc, PreviewPages preview,
                            const std::vector<Page>& visible_pages,
                            const std::vector<ArchiveMember>* members = nullptr);

}  // namespace wenku::library
