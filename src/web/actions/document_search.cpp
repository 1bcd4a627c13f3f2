// GET /d/{id}/search?q= — the pages of one document that hold the words: every page's
// number, a snippet only for the pages the visitor may read (the free preview for most).
// GET /api/v1/documents/{id}/search?q= answers {"pages":[{"n":3,"snippet":"…"},{"n":9}]}.
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "search/library_search.hpp"
#include "web/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

struct Found {
  Document doc;
  std::string query;
  int64_t visible = 0;
  std::vector<search::PageMatch> matches;
};

// Errors: kNotFound (no such document, or not one the visitor may see), kIo.
Result<Found> Run(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return MakeError(ErrorCode::kNotFound, "no such document");
  auto doc = ctx.site.app().documents().Find(id);
  if (!doc.ok()) return doc.error();
  const storage::User* user = ctx.user ? &*ctx.user : nullptr;
  if (!MayView(user, *doc) || doc->state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound, "no such document");
  }
  Found f;
  f.doc = std::move(doc).value();
  f.visible = VisiblePages(user, f.doc);
  std::string q = ctx.req.Query("q");
  if (!IsValidUtf8(q)) q.clear();
  if (CodePointCount(q) > 100) q = TruncateCodePoints(q, 100);
  f.query = q;
  if (q.find_first_not_of(" \t\r\n") == std::string::npos) return f;
  auto searcher = ctx.site.app().search().searcher();
  if (!searcher.ok()) return searcher.error();
  search::LibrarySearch library(**searcher, ctx.site.app().documents());
  auto matches = library.SearchDocument(f.doc, q, f.visible);
  if (!matches.ok()) return matches.error();
  f.matches = std::move(matches).value();
  return f;
}

}  // namespace

Response ShowDocumentSearch(Context& ctx) {
  auto found = Run(ctx);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) return NotFound(ctx);
    return Fail(ctx, found.error());
  }
  const std::string heading = found->query.empty()
                                  ? T(ctx.lang, "search_in_document")
                                  : Format(ctx.lang, "document_search_heading", {found->query});
  View v = BaseView(ctx, heading + " - " + found->doc.title);
  v.set("heading", heading);
  v.set("id", std::to_string(found->doc.id));
  v.set("title", found->doc.title);
  v.set("query", found->query);
  if (!found->query.empty()) {
    v.set("subheading", found->matches.empty() ? T(ctx.lang, "document_search_none")
                                               : Format(ctx.lang, "document_search_results",
                                                        {std::to_string(found->matches.size())}));
  }
  ViewList matches;
  for (const auto& m : found->matches) {
    View item;
    item.set("label", Format(ctx.lang, "page_n", {std::to_string(m.n)}));
    if (m.n <= found->doc.preview_pages && m.n <= found->visible) {
      item.set("href", "/d/" + std::to_string(found->doc.id) + "#p" + std::to_string(m.n));
    } else if (m.n <= found->visible) {
      item.set("href", "/d/" + std::to_string(found->doc.id) + "?from=" + std::to_string(m.n) +
                           "#p" + std::to_string(m.n));
    }
    if (!m.snippet_html.empty()) item.set("snippet_html", m.snippet_html);
    matches.push_back(item);
  }
  v.set("matches", matches);
  return RenderPage(ctx, "document_search", v);
}

Response ApiDocumentSearch(Context& ctx) {
  auto found = Run(ctx);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) {
      return ApiError(404, "not_found", "no such document");
    }
    return ApiError(HttpStatus(found.error().code), "search", found.error().message);
  }
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& m : found->matches) {
    nlohmann::json p = {{"n", m.n}};
    if (!m.snippet_html.empty()) p["snippet"] = m.snippet_html;
    pages.push_back(p);
  }
  return Json(200, nlohmann::json{{"id", found->doc.id}, {"pages", pages}}.dump());
}

}  // namespace wenku::web
