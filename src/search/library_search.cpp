#include "search/library_search.hpp"

#include <algorithm>
#include <unordered_map>

#include "search/snippet.hpp"

namespace wenku::search {
namespace {

struct Readable {
  std::vector<int64_t> pages;  // the pages <= may_read
  bool more = false;           // any page past them
};

// Splits ascending page numbers at `may_read`: the pages past it are dropped here, the one
// place, so no caller can name them.
Readable KeepReadable(std::vector<int64_t> pages, int64_t may_read) {
  Readable r;
  auto cut = std::upper_bound(pages.begin(), pages.end(), std::max<int64_t>(may_read, 0));
  r.more = cut != pages.end();
  pages.erase(cut, pages.end());
  r.pages = std::move(pages);
  return r;
}

}  // namespace

IndexedDocument ToIndexed(const Document& doc, const std::vector<Page>& pages,
                          std::string category_name) {
  IndexedDocument d;
  d.id = doc.id;
  d.title = doc.title;
  d.description = doc.description;
  d.category = doc.category;
  d.category_name = std::move(category_name);
  d.uploader = doc.owner_name;
  d.format = doc.format;
  d.price = doc.price;
  d.created_at = doc.created_at;
  d.downloads = doc.downloads;
  d.views = doc.views;
  d.pages.reserve(pages.size());
  for (const auto& p : pages) d.pages.push_back(p.text);
  return d;
}

Result<LibraryResult> LibrarySearch::Search(const SearchRequest& request,
                                            const VisiblePages& visible) {
  std::unordered_map<DocumentId, Document> found;
  auto accept = [&](DocumentId id) {
    auto doc = documents_.Find(id);
    if (!doc.ok() || doc->state != DocState::kReady || doc->owner_disabled) return false;
    found.emplace(id, std::move(doc).value());
    return true;
  };
  auto hits = searcher_.Search(request, accept);
  if (!hits.ok()) return hits.error();
  const ParsedQuery parsed = searcher_.Parse(request.query);
  const Segmenter& seg = searcher_.segmenter();
  LibraryResult result;
  result.total = hits->total;
  for (const auto& h : hits->hits) {
    LibraryHit hit;
    hit.doc = found.at(h.id);
    const int64_t may_read = visible ? visible(hit.doc) : 0;
    auto pages = searcher_.PagesWithHits(h.id, request.query);
    if (!pages.ok()) return pages.error();
    Readable readable = KeepReadable(std::move(pages).value(), may_read);
    hit.pages = std::move(readable.pages);
    hit.more_in_full_document = readable.more;
    hit.title_html = Snippet(seg, hit.doc.title, parsed.highlight, 300);
    // The best page when the visitor may read it, else the first readable page with hits.
    int64_t page = 0;
    if (std::binary_search(hit.pages.begin(), hit.pages.end(), h.best_page)) {
      page = h.best_page;
    } else if (!hit.pages.empty()) {
      page = hit.pages.front();
    }
    if (page > 0) {
      auto text = documents_.Pages(h.id, page, page);
      if (!text.ok()) return text.error();
      if (!text->empty()) {
        hit.snippet_html = Snippet(seg, text->front().text, parsed.highlight, 120, true);
        hit.snippet_page = page;
      }
    }
    if (hit.snippet_html.empty()) {
      hit.snippet_html = Snippet(seg, hit.doc.description, parsed.highlight, 120, true);
      hit.snippet_page = 0;
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

Result<DocumentMatches> LibrarySearch::SearchDocument(const Document& doc, const std::string& query,
                                                      int64_t visible) {
  auto pages = searcher_.PagesWithHits(doc.id, query);
  if (!pages.ok()) return pages.error();
  Readable readable = KeepReadable(std::move(pages).value(), visible);
  DocumentMatches out;
  out.more_in_full_document = readable.more;
  if (readable.pages.empty()) return out;
  const ParsedQuery parsed = searcher_.Parse(query);
  // The readable pages' text in one read (an owner may read hundreds of hit pages).
  std::unordered_map<int64_t, std::string> texts;
  auto read = documents_.Pages(doc.id, readable.pages.front(), readable.pages.back());
  if (!read.ok()) return read.error();
  for (auto& p : *read) texts.emplace(p.n, std::move(p.text));
  for (int64_t n : readable.pages) {
    PageMatch m;
    m.n = n;
    if (auto it = texts.find(n); it != texts.end()) {
      m.snippet_html = Snippet(searcher_.segmenter(), it->second, parsed.highlight, 120, true);
    }
    out.pages.push_back(std::move(m));
  }
  return out;
}

}  // namespace wenku::search
