// The search index: Xapian, embedded, in DATA/index. One Xapian document per page of a
// Wenku document, holding
//   - the page's text (unprefixed terms, with positions, from the Segmenter);
//   - the document's title (prefix S, weighted highest at query time), and its uploader
//     (prefix E) — on every page, so "all words" may come from both;
//     its description (prefix E) on page 1 only;
//   - boolean terms: Q<id>-<n> (the page), D<id> (every page of the document),
//     F<format>, C<category slug>, P0 (free) / P1 (priced). Category names are not in the
//     index: a query word equal to one (SearchRequest::category_names) also matches C<slug>,
//     so renaming a category needs no re-indexing (library/categories.hpp);
//   - values: document id (collapse key), page number, page count, created_at,
//     downloads, popularity (a mild additive weight).
// The database stays the system of record: taken-down, failed or deleted documents are
// dropped by the caller after the search (LibrarySearch does), whatever the index holds.
//
// IndexWriter: the one writer. Each call opens the database (waiting up to 30 s for a
// writer in another process), changes it and commits, so a crash leaves the last commit
// and the job's retry writes the document again (Replace is idempotent: a document's
// pages are replaced, never doubled). Threading: calls are serialised by a mutex.
//
// Searcher: many readers. Each search takes a reader handle from a pool and reopens it
// (cheap when nothing changed), so it sees the writer's last commit. Safe for concurrent
// use. An index that does not exist yet answers every query with no hits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.hpp"
#include "core/result.hpp"
#include "search/segmenter.hpp"

namespace Xapian {
class Database;
class WritableDatabase;
}  // namespace Xapian

namespace wenku::search {

// What the index holds about one document.
struct IndexedDocument {
  DocumentId id = 0;
  std::string title;
  std::string description;
  std::string category;  // slug
  std::string uploader;
  std::string format;
  int64_t price = 0;
  int64_t created_at = 0;
  int64_t downloads = 0;
  int64_t views = 0;
  std::vector<std::string> pages;  // page 1 first
};

// A document's counters as the index keeps them (sort by downloads, popularity).
struct CounterUpdate {
  DocumentId id = 0;
  int64_t downloads = 0;
  int64_t views = 0;
};

class IndexWriter {
 public:
  IndexWriter(const Segmenter& segmenter, std::filesystem::path dir)
      : segmenter_(segmenter), dir_(std::move(dir)) {}

  // Replaces every page of doc.id with doc's pages, in one commit.
  // Errors: kIo (the index cannot be opened or written; transient).
  Status Replace(const IndexedDocument& doc);
  // Removes the document's pages (nothing to do is not an error).
  Status Remove(DocumentId id);
  // Rewrites the counters' values on every page of these documents, in one commit.
  Status UpdateCounters(const std::vector<CounterUpdate>& updates);

  // Many documents in few commits (reindex, benchmarks). `commit_every` documents per
  // commit; `metadata` pairs are stored with each commit (a resume cursor).
  class Batch {
   public:
    ~Batch();
    Status Replace(const IndexedDocument& doc);
    Status Remove(DocumentId id);
    Status Commit();
    void SetMetadata(const std::string& key, const std::string& value);
    std::string GetMetadata(const std::string& key);

   private:
    friend class IndexWriter;
    Batch(IndexWriter& w, std::unique_ptr<Xapian::WritableDatabase> db);
    IndexWriter& writer_;
    std::unique_ptr<Xapian::WritableDatabase> db_;
    std::unique_lock<std::mutex> lock_;
  };
  // Holds the write lock until the Batch is destroyed (uncommitted changes are dropped).
  Result<std::unique_ptr<Batch>> Begin();

  const std::filesystem::path& dir() const { return dir_; }

 private:
  Status AddPages(Xapian::WritableDatabase& db, const IndexedDocument& doc);
  Result<std::unique_ptr<Xapian::WritableDatabase>> Open();

  const Segmenter& segmenter_;
  std::filesystem::path dir_;
  std::mutex mu_;
};

enum class SortOrder { kRelevance, kNewest, kDownloads };
enum class PriceFilter { kAny, kFree, kPaid };

// The names the website, the API and the CLI use: "newest", "downloads" ("" or anything
// else: relevance); "free", "paid" (else any).
inline SortOrder SortOrderNamed(std::string_view name) {
  if (name == "newest") return SortOrder::kNewest;
  if (name == "downloads") return SortOrder::kDownloads;
  return SortOrder::kRelevance;
}
inline PriceFilter PriceFilterNamed(std::string_view name) {
  if (name == "free") return PriceFilter::kFree;
  if (name == "paid") return PriceFilter::kPaid;
  return PriceFilter::kAny;
}

struct SearchRequest {
  std::string query;
  std::string format;    // "" any
  std::string category;  // slug; "" any
  // (name, slug), names lower-case: a query word equal to a name also matches that
  // category's documents (library::Categories::SearchNames).
  std::vector<std::pair<std::string, std::string>> category_names;
  PriceFilter price = PriceFilter::kAny;
  int64_t min_pages = 0;  // 0: no bound
  int64_t max_pages = 0;
  SortOrder sort = SortOrder::kRelevance;
  int64_t offset = 0;
  int64_t limit = 10;
};

struct IndexHit {
  DocumentId id = 0;
  double weight = 0;
  int64_t best_page = 0;  // the page that matched best (0: only title/description matched)
};

struct IndexResult {
  int64_t total = 0;  // estimated number of matching documents
  std::vector<IndexHit> hits;
};

// What a snippet marks: the terms of one positive clause, each at its position relative
// to the first (a CJK chain 端到端测试 is marked only where the whole chain stands).
struct HighlightSequence {
  std::vector<std::pair<uint32_t, std::string>> terms;  // (relative position, term)
};

// A parsed query: what the Searcher matches and what snippets highlight.
struct ParsedQuery {
  bool empty = true;  // nothing searchable in it
  std::vector<HighlightSequence> highlight;
};

class Searcher {
 public:
  Searcher(const Segmenter& segmenter, std::filesystem::path dir);
  ~Searcher();

  // Documents best first (one hit per document). A malformed query matches what it can;
  // it never fails for its text. `accept` (when given) drops documents the database no
  // longer shows; more are fetched so a page still holds `limit` hits when it can.
  // Errors: kIo (the index is unreadable).
  Result<IndexResult> Search(const SearchRequest& request,
                             const std::function<bool(DocumentId)>& accept = {});
  // The pages of one document whose text matches the query, ascending.
  Result<std::vector<int64_t>> PagesWithHits(DocumentId id, const std::string& query,
                                             int64_t limit = 1000);
  ParsedQuery Parse(const std::string& query) const;
  // Whether the document is in the index, and every document it holds (`wenku check`,
  // `wenku reindex`).
  Result<bool> Contains(DocumentId id);
  Result<std::vector<DocumentId>> DocumentIds();

  const Segmenter& segmenter() const { return segmenter_; }

 private:
  struct Reader;
  std::unique_ptr<Reader> Acquire();
  void Release(std::unique_ptr<Reader> r);
  template <class T, class F>
  Result<T> WithReader(T none, F&& fn);

  const Segmenter& segmenter_;
  std::filesystem::path dir_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Reader>> free_;
};

}  // namespace wenku::search
