// The JSON shape of a document, shared by `wenku show --json` and the API's
// GET /api/v1/documents/{id} (web/actions/api_documents.cpp): metadata, state, progress,
// failure_reason, preview_pages (the free preview now: FreePreviewPages with the
// preview.pages setting in force) and `pages` — pages the caller may see, each
// {"n","text","image"}.
//
// Paging `pages` (the API): a long free book's whole text in one answer is a cheap way to
// make the server work, so the API sends a window of the readable pages at a time —
// ?pages_from=N (default 1) &pages_limit=M (default kDefaultPagesPerAnswer, at most
// kMaxPagesPerAnswer; more is cut to that) — and "pages_next", the address of the next
// window, or null after the last readable page. The window only narrows what
// access.hpp's VisiblePages allows, never widens it: pages past it are not in any window.
// `wenku show --json` (the operator) prints every page and no paging fields.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/result.hpp"

#include "core/document.hpp"
#include "library/access.hpp"

namespace wenku::library {

// "filename" and "sha256" are there only when `visitor` may see them (MaySeeFileDetails:
// its owner and moderators). `members` (an archive's files) adds
// "members": [{"path","size","document_id","note"}].
nlohmann::json DocumentJson(Visitor visitor, const Document& doc, PreviewPages preview,
                            const std::vector<Page>& visible_pages,
                            const std::vector<ArchiveMember>* members = nullptr);

inline constexpr int64_t kDefaultPagesPerAnswer = 10;
inline constexpr int64_t kMaxPagesPerAnswer = 50;

// The window a caller asked for.
struct PageWindow {
  int64_t from = 1;
  int64_t limit = kDefaultPagesPerAnswer;
};
// ?pages_from= and ?pages_limit= ("" : the default). Errors: kInvalidInput
// ("pages_window_invalid") for anything but a whole number from 1 (at most 9 digits); a limit
// above kMaxPagesPerAnswer is cut to it.
Result<PageWindow> ParsePageWindow(std::string_view from, std::string_view limit);

// The pages of `window` a visitor who may read pages 1..visible gets: [first, last]
// (empty when first > last), and where the next window starts (0: there is none).
struct PageSlice {
  int64_t first = 1;
  int64_t last = 0;
  int64_t next_from = 0;
  bool empty() const { return first > last; }
};
PageSlice SlicePages(int64_t visible, PageWindow window);

// Adds "pages_from", "pages_limit" and "pages_next" (the next window's API address, or
// null) to a DocumentJson answer whose `pages` are `slice`.
void AddPaging(nlohmann::json& j, DocumentId id, PageWindow window, const PageSlice& slice);

}  // namespace wenku::library
