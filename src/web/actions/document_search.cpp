// GET /d/{id}/search?q= — the pages of one document that hold the words, among those the
// visitor may read (library/access.hpp VisiblePages: the free preview for most), each with a
// snippet; matches on locked pages only add "完整文档中还有更多匹配" — no page number, no
// count. GET /api/v1/documents/{id}/search?q= answers
// {"id":1,"pages":[{"n":3,"snippet":"…"}],"more_in_full_document":true}. A query counts
// against the visitor's search limit (search_limit.hpp): over it, 429 with Retry-After.
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "library/access.hpp"
#include "search/library_search.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/search_limit.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

struct Found {
  Document doc;
  std::string query;
  int64_t visible = 0;
  search::DocumentMatches matches;
};

// The query as typed: valid UTF-8, at most 100 characters; "" when nothing but spaces.
std::string ReadQuery(const Request& req) {
  std::string q = req.Query("q");
  if (!IsValidUtf8(q)) q.clear();
  if (CodePointCount(q) > 100) q = TruncateCodePoints(q, 100);
  if (q.find_first_not_of(" \t\r\n") == std::string::npos) q.clear();
  return q;
}

// Errors: kNotFound (no such document, or not one the visitor may see), kIo.
Result<Found> Run(Context& ctx, const std::string& q) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return MakeError(ErrorCode::kNotFound, "no such document");
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return doc.error();
  const library::Visitor user = ctx.visitor();
  WENKU_TRY(library::CheckView(user, *doc));
  if (doc->state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound, "no such document");
  }
  Found f;
  f.doc = std::move(doc).value();
  f.visible = library::VisiblePages(user, f.doc, ctx.BoughtOf(f.doc), ctx.site.preview());
  f.query = q;
  if (q.empty()) return f;
  auto searcher = ctx.site.search().searcher();
  if (!searcher.ok()) return searcher.error();
  search::LibrarySearch finder(**searcher, ctx.site.documents());
  auto matches = finder.SearchDocument(f.doc, q, f.visible);
  if (!matches.ok()) return matches.error();
  f.matches = std::move(matches).value();
  return f;
}

}  // namespace

Response ShowDocumentSearch(Context& ctx) {
  const std::string q = ReadQuery(ctx.req);
  if (!q.empty()) {
    if (auto refused = CountSearch(ctx)) return std::move(*refused);
  }
  auto found = Run(ctx, q);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) return NotFound(ctx);
    return SearchFailed(ctx, found.error());
  }
  const std::string heading = found->query.empty()
                                  ? T(ctx.lang, "search_in_document")
                                  : Format(ctx.lang, "document_search_heading", {found->query});
  View v = BaseView(ctx, heading + " - " + found->doc.title);
  v.set("heading", heading);
  v.set("id", std::to_string(found->doc.id));
  v.set("title", found->doc.title);
  v.set("query", found->query);
  const auto& pages = found->matches.pages;
  if (!found->query.empty() && !(pages.empty() && found->matches.more_in_full_document)) {
    v.set("subheading", pages.empty() ? T(ctx.lang, "document_search_none")
                                      : Format(ctx.lang, "document_search_results",
                                               {std::to_string(pages.size())}));
  }
  if (found->matches.more_in_full_document) v.set("more_in_full_document", true);
  ViewList matches;
  for (const auto& m : pages) {
    View item;
    item.set("label", Format(ctx.lang, "page_n", {std::to_string(m.n)}));
    // Every page listed is readable: the preview ones are on the document page, the rest
    // (for those who may read them all) from ?from=.
    if (m.n <= library::FreePreviewPages(found->doc, ctx.site.preview())) {
      item.set("href", "/d/" + std::to_string(found->doc.id) + "#p" + std::to_string(m.n));
    } else {
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
  const std::string q = ReadQuery(ctx.req);
  if (!q.empty()) {
    if (auto refused = CountSearch(ctx)) return std::move(*refused);
  }
  auto found = Run(ctx, q);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) {
      return ApiError(404, "not_found", "no such document");
    }
    if (found.error().code == ErrorCode::kRemoved) return Fail(ctx, found.error());
    if (found.error().code == ErrorCode::kIo) return SearchFailed(ctx, found.error());
    return ApiError(HttpStatus(found.error().code), "search", found.error().message);
  }
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& m : found->matches.pages) {
    nlohmann::json p = {{"n", m.n}};
    if (!m.snippet_html.empty()) p["snippet"] = m.snippet_html;
    pages.push_back(p);
  }
  return Json(200, nlohmann::json{{"id", found->doc.id},
                                  {"pages", pages},
                                  {"more_in_full_document", found->matches.more_in_full_document}}
                       .dump());
}

}  // namespace wenku::web
