// LibrarySearch: a search as a visitor sees it — the index's hits checked against the
// database (only `ready` documents; taken-down, failed and deleted ones never show,
// whatever the index still holds), each with the pages holding the words and a snippet.
//
// Locked pages stay locked: a document matches on its whole text, but a page the visitor
// may not read (past what VisiblePages allows) is never named — neither its number nor its
// text. Matches there only set `more_in_full_document`, one flag that says neither which
// pages nor how many (else an exact-phrase search could read a locked page character by
// character). Who may read how many pages is decided by the caller (library/access.hpp's
// VisiblePages) and passed in; nothing here decides it.
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
  std::vector<int64_t> pages;          // the readable pages holding the words, ascending
  bool more_in_full_document = false;  // the words are also on pages the asker may not read
  std::string snippet_html;            // escaped, hits in <mark>; "" when nothing readable matched
  int64_t snippet_page = 0;  // the (readable) page the snippet is from (0: the description)
  std::string title_html;    // the title, escaped, hits in <mark>
};

struct LibraryResult {
  int64_t total = 0;
  std::vector<LibraryHit> hits;
};

struct PageMatch {
  int64_t n = 0;             // a page the asker may read
  std::string snippet_html;  // escaped, hits in <mark>
};

struct DocumentMatches {
  std::vector<PageMatch> pages;        // the readable pages holding the words, ascending
  bool more_in_full_document = false;  // the words are also on pages the asker may not read
};

class LibrarySearch {
 public:
  LibrarySearch(Searcher& searcher, storage::DocumentStore& documents)
      : searcher_(searcher), documents_(documents) {}

  // The hits for `request`; for each, pages and snippet only from its first
  // `visible(doc)` pages (an empty `visible`: none). Errors: kIo (index or database
  // unreadable).
  Result<LibraryResult> Search(const SearchRequest& request, const VisiblePages& visible);
  // The pages among the first `visible` of one document that hold the words, each with a
  // snippet; matches past them only set the flag. Errors: kIo.
  Result<DocumentMatches> SearchDocument(const Document& doc, const std::string& query,
                                         int64_t visible);

 private:
  Searcher& searcher_;
  storage::DocumentStore& documents_;
};

// The index's view of a document (the stage and `wenku reindex` both build it so).
IndexedDocument ToIndexed(const Document& doc, const std::vector<Page>& pages);

}  // namespace wenku::search
