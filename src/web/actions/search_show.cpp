// GET /search?q=&format=&category=&price=&pages=&sort=&page= — the library's full-text
// search (search/library_search.hpp): filters and sorts as links that keep the query,
// each hit with its cover, its title and a snippet with the words marked, and the pages
// holding them that the visitor may read ("第 3、7 页"; matches on locked pages only add
// "完整文档中还有更多匹配", never a page number). GET /api/v1/search answers the same as
// JSON (DESIGN §4; `pages` readable only, plus `more_in_full_document`).
// Any input is answered: unknown filter values are ignored, a query with nothing
// searchable gives an empty list. A query counts against the visitor's search limit
// (search_limit.hpp): over it, 429 with Retry-After.
#include <spdlog/spdlog.h>
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

constexpr int64_t kPerPage = 10;
constexpr int64_t kMaxPage = kMaxListingPage;
constexpr const char* kFormats[] = {"pdf", "docx", "doc", "pptx", "xlsx",
                                    "txt", "epub", "dwg", "dxf"};
struct PageRange {
  const char* key;
  int64_t min, max;
};
constexpr PageRange kPageRanges[] = {{"1-10", 1, 10}, {"11-50", 11, 50}, {"51-", 51, 0}};

std::string CleanQuery(const std::string& q) {
  std::string t = IsValidUtf8(q) ? q : std::string();
  size_t b = t.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  t = t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
  if (CodePointCount(t) > 100) t = TruncateCodePoints(t, 100);
  return t;
}

// The request's parameters, each kept only when valid (links are rebuilt from these).
struct Params {
  std::string q, format, category, price, pages, sort;
  int64_t page = 1;

  std::string Href(const std::string& key, const std::string& value) const {
    Params p = *this;
    p.page = 1;
    if (key == "format") p.format = value;
    if (key == "category") p.category = value;
    if (key == "price") p.price = value;
    if (key == "pages") p.pages = value;
    if (key == "sort") p.sort = value;
    return p.ToHref();
  }
  std::string ToHref() const {
    std::string h = "/search?q=" + UrlEncode(q);
    for (auto [k, v] : {std::pair<const char*, const std::string*>{"format", &format},
                        {"category", &category},
                        {"price", &price},
                        {"pages", &pages},
                        {"sort", &sort}}) {
      if (!v->empty()) h += std::string("&") + k + "=" + UrlEncode(*v);
    }
    if (page > 1) h += "&page=" + std::to_string(page);
    return h;
  }
};

Params ReadParams(Context& ctx) {
  const Request& req = ctx.req;
  Params p;
  p.q = CleanQuery(req.Query("q"));
  std::string format = req.Query("format");
  for (const char* f : kFormats) {
    if (format == f) p.format = format;
  }
  if (ctx.site.categories().Find(req.Query("category"))) p.category = req.Query("category");
  if (req.Query("price") == "free" || req.Query("price") == "paid") p.price = req.Query("price");
  for (const auto& r : kPageRanges) {
    if (req.Query("pages") == r.key) p.pages = r.key;
  }
  if (req.Query("sort") == "newest" || req.Query("sort") == "downloads") p.sort = req.Query("sort");
  p.page = std::clamp<int64_t>(ParseId(req.Query("page")), 1, kMaxPage);
  return p;
}

search::SearchRequest ToRequest(Context& ctx, const Params& p) {
  search::SearchRequest r;
  r.category_names = ctx.site.categories().SearchNames();
  r.query = p.q;
  r.format = p.format;
  r.category = p.category;
  r.price = search::PriceFilterNamed(p.price);
  for (const auto& range : kPageRanges) {
    if (p.pages == range.key) {
      r.min_pages = range.min;
      r.max_pages = range.max;
    }
  }
  r.sort = search::SortOrderNamed(p.sort);
  r.offset = (p.page - 1) * kPerPage;
  r.limit = kPerPage;
  return r;
}

Result<search::LibraryResult> Run(Context& ctx, const Params& p) {
  auto searcher = ctx.site.search().searcher();
  if (!searcher.ok()) return searcher.error();
  search::LibrarySearch finder(**searcher, ctx.site.documents());
  const library::Visitor user = ctx.visitor();
  return finder.Search(ToRequest(ctx, p), [user, &ctx](const Document& d) {
    return library::VisiblePages(user, d, ctx.BoughtOf(d), ctx.site.preview());
  });
}

// "第 3、7 页" (at most ten numbers, then "等 N 页").
std::string PagesLabel(Lang lang, const std::vector<int64_t>& pages) {
  std::string list;
  for (size_t i = 0; i < pages.size() && i < 10; ++i) {
    if (i > 0) list += T(lang, "list_separator");
    list += std::to_string(pages[i]);
  }
  if (pages.size() > 10) {
    return Format(lang, "hit_pages_more", {list, std::to_string(pages.size())});
  }
  return Format(lang, "hit_pages", {list});
}

ViewList Links(const Params& p, const std::string& key, const std::string& current,
               const std::vector<std::pair<std::string, std::string>>& options) {
  ViewList list;
  for (const auto& [value, label] : options) {
    View item;
    item.set("href", p.Href(key, value));
    item.set("label", label);
    if (value == current) item.set("current", true);
    list.push_back(item);
  }
  return list;
}

}  // namespace

Response ShowSearch(Context& ctx) {
  Params p = ReadParams(ctx);
  const std::string heading =
      p.q.empty() ? T(ctx.lang, "search") : Format(ctx.lang, "search_heading", {p.q});
  View v = BaseView(ctx, heading);
  v.set("heading", heading);
  v.set("query", p.q);
  // Filters and sorts: links that keep the query and the other choices.
  std::vector<std::pair<std::string, std::string>> formats = {{"", T(ctx.lang, "filter_all")}};
  for (const char* f : kFormats) formats.emplace_back(f, FormatLabel(f));
  std::vector<std::pair<std::string, std::string>> categories = {{"", T(ctx.lang, "filter_all")}};
  for (const auto& c : ctx.site.categories().Offered())
    categories.emplace_back(c.slug, CategoryLabel(ctx.lang, c));
  ViewList groups;
  auto group = [&](const char* label_key, const std::string& key, const std::string& current,
                   const std::vector<std::pair<std::string, std::string>>& options) {
    View g;
    g.set("label", T(ctx.lang, label_key));
    g.set("links", Links(p, key, current, options));
    groups.push_back(g);
  };
  group("filter_format", "format", p.format, formats);
  group("filter_category", "category", p.category, categories);
  group("filter_price", "price", p.price,
        {{"", T(ctx.lang, "filter_all")},
         {"free", T(ctx.lang, "price_free")},
         {"paid", T(ctx.lang, "filter_paid")}});
  group("filter_pages", "pages", p.pages,
        {{"", T(ctx.lang, "filter_all")},
         {"1-10", Format(ctx.lang, "pages_count", {"1–10"})},
         {"11-50", Format(ctx.lang, "pages_count", {"11–50"})},
         {"51-", Format(ctx.lang, "pages_count", {"51+"})}});
  group("sort_by", "sort", p.sort,
        {{"", T(ctx.lang, "sort_relevance")},
         {"newest", T(ctx.lang, "sort_newest")},
         {"downloads", T(ctx.lang, "sort_downloads")}});
  v.set("groups", groups);

  ViewList hits;
  if (p.q.empty()) {
    v.set("subheading", T(ctx.lang, "search_empty"));
  } else {
    if (auto refused = CountSearch(ctx)) return std::move(*refused);
    auto result = Run(ctx, p);
    if (!result.ok()) {
      if (result.error().code != ErrorCode::kIo) return Fail(ctx, result.error());
      // The search service or index cannot answer: the page (with its form) says so.
      spdlog::warn("web: GET {}: {}", ctx.req.path, result.error().message);
      v.set("subheading", T(ctx.lang, "search_unavailable"));
      v.set("unavailable", true);
      v.set("hits", ViewList{});
      Response r = RenderPage(ctx, "search", v, 503);
      r.Set("Retry-After", std::to_string(kRetryAfterSeconds));
      return r;
    }
    for (const auto& h : result->hits) {
      View item;
      item.set("id", std::to_string(h.doc.id));
      item.set("title_html", h.title_html);
      item.set("cover", CoverUrl(h.doc));
      item.set("format_label", FormatLabel(h.doc.format));
      item.set("pages_label", Format(ctx.lang, "pages_count", {std::to_string(h.doc.page_count)}));
      item.set("owner", h.doc.owner_name);
      item.set("date", DateLabel(h.doc.created_at));
      if (!h.snippet_html.empty()) item.set("snippet_html", h.snippet_html);
      if (!h.pages.empty()) {
        item.set("hit_pages", PagesLabel(ctx.lang, h.pages));
        item.set("pages_href", "/d/" + std::to_string(h.doc.id) + "/search?q=" + UrlEncode(p.q));
      }
      if (h.more_in_full_document) item.set("more_in_full_document", true);
      hits.push_back(item);
    }
    v.set("subheading", Format(ctx.lang, "search_results", {std::to_string(result->total)}));
    if (p.page > 1) {
      Params prev = p;
      --prev.page;
      v.set("prev_href", prev.ToHref());
    }
    if (p.page * kPerPage < result->total && p.page < kMaxPage) {
      Params next = p;
      ++next.page;
      v.set("next_href", next.ToHref());
    }
  }
  v.set("hits", hits);
  v.set("searched", !p.q.empty());
  return RenderPage(ctx, "search", v);
}

Response ApiSearch(Context& ctx) {
  Params p = ReadParams(ctx);
  nlohmann::json hits = nlohmann::json::array();
  int64_t total = 0;
  if (!p.q.empty()) {
    if (auto refused = CountSearch(ctx)) return std::move(*refused);
    auto result = Run(ctx, p);
    if (!result.ok()) {
      if (result.error().code == ErrorCode::kIo) return SearchFailed(ctx, result.error());
      return ApiError(HttpStatus(result.error().code), "search", result.error().message);
    }
    total = result->total;
    for (const auto& h : result->hits) {
      hits.push_back({{"id", h.doc.id},
                      {"title", h.doc.title},
                      {"format", h.doc.format},
                      {"category", h.doc.category},
                      {"price", h.doc.price},
                      {"page_count", h.doc.page_count},
                      {"cover", CoverUrl(h.doc)},
                      {"snippet", h.snippet_html},
                      {"snippet_page", h.snippet_page},
                      {"pages", h.pages},
                      {"more_in_full_document", h.more_in_full_document}});
    }
  }
  return Json(200, nlohmann::json{{"total", total}, {"page", p.page}, {"hits", hits}}.dump());
}

}  // namespace wenku::web
