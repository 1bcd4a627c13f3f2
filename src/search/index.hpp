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
//
// Where the index lives (IndexLocation): the local folder DATA/index, or — with the setting
// `search.remote = "tcp://host:port"` — one index served by `xapian-tcpsrv --writable`
// (started by the operator, like PostgreSQL; scripts/start-xapian.sh), which every worker
// writes to and every web node reads from, over Xapian's own remote protocol. Measured on
// this 2-core machine (xapian-tools 1.4.22, loopback, 2,000-document index):
//   - the server forks one process per connection: read connections run side by side,
//     also while a writer is connected; a second *writer* is refused at once with
//     DatabaseLockError ("Unable to get write lock … already locked"). So the writer keeps
//     a connection only for one call (or one Batch) and retries a locked server with backoff
//     for up to 30 s, as it waits for a local lock; connection refused / timed out is retried
//     for ~3 s, then the call fails with kIo "search service tcp://… unreachable: …"
//     (transient: the ingest job runs again later).
//   - opening a connection costs ~2 ms (read or write); a pooled reader's reopen + a
//     two-term query + 20 documents: p50 0.10–0.13 ms remote vs 0.009 ms local; the whole
//     Searcher::Search local vs remote: bench/search_remote.cpp. Replicas (xapian-replicate per web
//     node) would read at local speed but serve results up to the replication interval (≥ 1 s) old
//     and need a replicate-server and a replicate loop per node; the remote round trips cost well
//     under a millisecond per query beside the 6–25 ms a 1M-page query takes, so readers connect
//     directly (pooled connections, reopened per search, dropped and reconnected when the server
//     closed them — its idle timeout is 60 s).
//   - a writer connection that breaks mid-document leaves what it sent: the server commits
//     on disconnect (Xapian closes a WritableDatabase so). Replace is idempotent and the job
//     runs again, so the document is whole again after its retry.
// Without `search.remote` nothing changes: the local folder, the same results and speed.
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
class Document;
class Database;
class Error;
class WritableDatabase;
}  // namespace Xapian

namespace wenku::search {

// Where the index is: `remote` empty → the local folder `dir`; else tcp://host:port of a
// xapian-tcpsrv serving it (see the header comment).
struct IndexLocation {
  std::filesystem::path dir;
  std::string remote;  // "" or tcp://host:port
  // Parsed from `remote` by Parse: host and port.
  std::string host;
  int port = 0;

  bool is_remote() const { return !remote.empty(); }
  // "search index DIR" / "search service tcp://…", for messages.
  std::string Describe() const;
  // `remote` as the setting gives it: "" (local) or tcp://host:port (port 1–65535).
  // Errors: kInvalidInput (says what is expected).
  static Result<IndexLocation> Parse(std::filesystem::path dir, const std::string& remote);
};

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
      : segmenter_(segmenter), location_{std::move(dir)} {}
  IndexWriter(const Segmenter& segmenter, IndexLocation location)
      : segmenter_(segmenter), location_(std::move(location)) {}

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
    // Stored with the next Commit.
    void SetMetadata(const std::string& key, const std::string& value);
    // "" when unset (or unreadable).
    std::string GetMetadata(const std::string& key);

   private:
    friend class IndexWriter;
    Batch(IndexWriter& w, std::unique_ptr<Xapian::WritableDatabase> db);
    IndexWriter& writer_;
    std::unique_ptr<Xapian::WritableDatabase> db_;
    std::vector<std::pair<std::string, std::string>> metadata_;  // written by Commit
    std::unique_lock<std::mutex> lock_;
  };
  // Holds the write lock until the Batch is destroyed (uncommitted changes are dropped).
  Result<std::unique_ptr<Batch>> Begin();

  const std::filesystem::path& dir() const { return location_.dir; }
  const IndexLocation& location() const { return location_; }

 private:
  // The Xapian documents of `doc`'s pages, each with its unique page term: the words
  // segmented here, without the lock (the Segmenter is safe for concurrent use), so that two
  // workers indexing at once only take turns for the writes.
  std::vector<std::pair<std::string, Xapian::Document>> PageDocuments(
      const IndexedDocument& doc) const;
  // Replaces document `id`'s pages with `pages`. REQUIRES: mu_ held.
  static void WritePages(Xapian::WritableDatabase& db, DocumentId id,
                         const std::vector<std::pair<std::string, Xapian::Document>>& pages);
  Result<std::unique_ptr<Xapian::WritableDatabase>> Open();
  Error WriteError(const std::string& what, const Xapian::Error& e) const;

  const Segmenter& segmenter_;
  IndexLocation location_;
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
  Searcher(const Segmenter& segmenter, IndexLocation location);
  ~Searcher();

  // Documents best first (one hit per document). A malformed query matches what it can;
  // it never fails for its text. `accept` (when given) drops documents the database no
  // longer shows; more are fetched so a page still holds `limit` hits when it can.
  // Errors: kIo (the index is unreadable; the search service is unreachable).
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
  IndexLocation location_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Reader>> free_;
};

}  // namespace wenku::search
