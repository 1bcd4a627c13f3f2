// GET /search?q= — for now the documents whose title or description holds the words (the
// full-text Xapian search with hit pages replaces this in the search milestone). The same
// for GET /api/v1/search.
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kPerPage = 20;

std::string CleanQuery(const std::string& q) {
  std::string t = IsValidUtf8(q) ? q : std::string();
  size_t b = t.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  t = t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
  if (CodePointCount(t) > 100) t = TruncateCodePoints(t, 100);
  return t;
}

}  // namespace

Response ShowSearch(Context& ctx) {
  std::string q = CleanQuery(ctx.req.Query("q"));
  int64_t page = std::clamp<int64_t>(ParseId(ctx.req.Query("page")), 1, 1000);
  View v =
      BaseView(ctx, q.empty() ? T(ctx.lang, "search") : Format(ctx.lang, "search_heading", {q}));
  v.set("heading", q.empty() ? T(ctx.lang, "search") : Format(ctx.lang, "search_heading", {q}));
  std::vector<Document> docs;
  if (q.empty()) {
    v.set("subheading", T(ctx.lang, "search_empty"));
  } else {
    auto found = ctx.site.app().documents().FindByTitle(q, kPerPage + 1, (page - 1) * kPerPage);
    if (!found.ok()) return Fail(ctx, found.error());
    docs = std::move(found).value();
    bool more = static_cast<int64_t>(docs.size()) > kPerPage;
    if (more) {
      docs.pop_back();
      v.set("next_href", "/search?q=" + UrlEncode(q) + "&page=" + std::to_string(page + 1));
    }
    if (page > 1)
      v.set("prev_href", "/search?q=" + UrlEncode(q) + "&page=" + std::to_string(page - 1));
    v.set("subheading",
          Format(ctx.lang, "search_results",
                 {std::to_string((page - 1) * kPerPage + docs.size()) + (more ? "+" : "")}));
  }
  v.set("docs", DocListView(ctx, docs, false));
  v.set("sorts", ViewList{});
  return RenderPage(ctx, "listing", v);
}

Response ApiSearch(Context& ctx) {
  std::string q = CleanQuery(ctx.req.Query("q"));
  int64_t page = std::clamp<int64_t>(ParseId(ctx.req.Query("page")), 1, 1000);
  nlohmann::json hits = nlohmann::json::array();
  int64_t total = 0;
  if (!q.empty()) {
    auto found = ctx.site.app().documents().FindByTitle(q, kPerPage, (page - 1) * kPerPage);
    if (!found.ok()) return Fail(ctx, found.error());
    for (const Document& d : *found) {
      hits.push_back(
          {{"id", d.id}, {"title", d.title}, {"snippet", ""}, {"pages", nlohmann::json::array()}});
    }
    total = (page - 1) * kPerPage + static_cast<int64_t>(found->size());
  }
  return Json(200, nlohmann::json{{"total", total}, {"hits", hits}}.dump());
}

}  // namespace wenku::web
