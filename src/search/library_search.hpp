// LibrarySearch: a search as a visitor sees it — the index's hits checked against the
// database (only `ready` documents; taken-down, failed and deleted ones never show,
// whatever the index still holds), each with the pages holding the words and a snippet
// taken only from pages the visitor may read (or from the description).
// Threading: as safe as the Searcher and DocumentStore it uses (both are).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "search/index.hpp"
#include "storage/document_store.hpp"

namespace wenku::search {

// How many pages (1..N) of `doc` the asker may read.
using VisiblePages = std::function<int64_t(const Document& doc)>;

struct LibraryHit {
  Document doc;
  std::vector<int64_t> pages;  // every page whose text holds the words, ascending
  std::string snippet_html;    // escaped, hits in <mark>; "" when nothing visible matched
  int64_t snippet_page = 0;    // the page the snippet is from (0: the description)
  std::string title_html;      // the title, escaped, hits in <mark>
};

struct LibraryResult {
  int64_t total = 0;
  std::vector<LibraryHit> hits;
};

struct PageMatch {
  int64_t n = 0;
  std::string snippet_html;  // "" for a page the asker may not read
};

class LibrarySearch {
 public:
  LibrarySearch(Searcher& searcher, storage::DocumentStore& documents)
      : searcher_(searcher), documents_(documents) {}

  // Errors: kIo (index or database unreadable).
  Result<LibraryResult> Search(const SearchRequest& request, const VisiblePages& visible);
  // The pages of one document holding the words (all of them numbered; snippets only for
  // the first `visible` pages).
  Result<std::vector<PageMatch>> SearchDocument(const Document& doc, const std::string& query,
                                                int64_t visible);

 private:
  Searcher& searcher_;
  storage::DocumentStore& documents_;
};

// The index's view of a document (the stage and `wenku reindex` both build it so).
IndexedDocument ToIndexed(const Document& doc, const std::vector<Page>& pages,
                          std::string category_name);

}  // namespace wenku::search
