// wenku search QUERY [--json] [--category C] [--format F] [--sort S] [--page N] — the
// website's search from the command line, answering as the operator: every page holding
// the words and snippets from any page (as the website answers a moderator; visitors get
// only the pages they may read). --json prints the shape of GET /api/v1/search.
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "app/commands.hpp"
#include "library/access.hpp"
#include "search/library_search.hpp"

namespace wenku::app {
namespace {

// The snippet for a terminal: hits in bold, entities decoded.
std::string ForTerminal(std::string html, bool tty) {
  const std::pair<const char*, const char*> swaps[] = {{"<mark>", tty ? "\x1b[1m" : "["},
                                                       {"</mark>", tty ? "\x1b[0m" : "]"},
                                                       {"&lt;", "<"},
                                                       {"&gt;", ">"},
                                                       {"&quot;", "\""},
                                                       {"&#39;", "'"},
                                                       {"&amp;", "&"}};
  for (const auto& [from, to] : swaps) {
    for (size_t pos = 0; (pos = html.find(from, pos)) != std::string::npos;) {
      html.replace(pos, std::strlen(from), to);
      pos += std::strlen(to);
    }
  }
  return html;
}

}  // namespace

int RunSearch(App& app, const SearchOptions& options) {
  auto searcher = app.search().searcher();
  if (!searcher.ok()) {
    std::fprintf(stderr, "wenku search: %s\n", searcher.error().message.c_str());
    return 2;
  }
  search::SearchRequest r;
  r.query = options.query;
  r.category = options.category;
  r.category_names = app.categories().SearchNames();
  r.format = options.format;
  r.sort = search::SortOrderNamed(options.sort);
  r.limit = 10;
  r.offset = (std::max<int64_t>(options.page, 1) - 1) * r.limit;
  search::LibrarySearch finder(**searcher, app.documents());
  // The operator at the command line sees every page (library::Operator).
  const library::PreviewPages preview{app.settings().GetInt("preview.pages")};
  auto result = finder.Search(r, [preview](const Document& d) {
    return library::VisiblePages(library::Operator(), d, library::Bought::kNo, preview);
  });
  if (!result.ok()) {
    std::fprintf(stderr, "wenku search: %s\n", result.error().message.c_str());
    return 2;
  }
  if (options.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : result->hits) {
      hits.push_back({{"id", h.doc.id},
                      {"title", h.doc.title},
                      {"snippet", h.snippet_html},
                      {"pages", h.pages},
                      {"more_in_full_document", h.more_in_full_document}});
    }
    std::printf("%s\n", nlohmann::json{{"total", result->total}, {"hits", hits}}.dump().c_str());
    return 0;
  }
  const bool tty = isatty(1) != 0;
  std::printf("%lld document(s)\n", static_cast<long long>(result->total));
  for (const auto& h : result->hits) {
    std::string pages;
    for (size_t i = 0; i < h.pages.size() && i < 10; ++i) {
      pages += (i ? "," : "") + std::to_string(h.pages[i]);
    }
    if (h.pages.size() > 10) pages += ",…";
    std::printf("#%lld  %s  (%s, %lld pages)%s%s\n", static_cast<long long>(h.doc.id),
                h.doc.title.c_str(), h.doc.format.c_str(), static_cast<long long>(h.doc.page_count),
                pages.empty() ? "" : "  hits on pages ", pages.c_str());
    if (!h.snippet_html.empty()) {
      std::printf("    %s\n", ForTerminal(h.snippet_html, tty).c_str());
    }
  }
  return 0;
}

}  // namespace wenku::app
