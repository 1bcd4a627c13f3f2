// SearchIndex: the search side of one data folder (DATA/index) — or of the search service
// named by `search.remote` (IndexLocation, search/index.hpp) — opened on first use —
// loading the dictionary takes ~0.3 s, which commands that never search should not pay.
// It implements DocumentIndexer, the seam the ingest pipeline's index stage and the
// website's deletions write through (tests use a fake).
// Threading: safe for concurrent use.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "search/index.hpp"
#include "search/segmenter.hpp"

namespace wenku::search {

// Where documents enter and leave the index.
class DocumentIndexer {
 public:
  virtual ~DocumentIndexer() = default;
  // Replaces the document's pages (idempotent). Errors: kIo (transient), kInternal.
  virtual Status Replace(const IndexedDocument& doc) = 0;
  virtual Status Remove(DocumentId id) = 0;
};

class SearchIndex : public DocumentIndexer {
 public:
  SearchIndex(std::filesystem::path dir, SegmenterOptions options)
      : location_{std::move(dir)}, options_(std::move(options)) {}
  SearchIndex(IndexLocation location, SegmenterOptions options)
      : location_(std::move(location)), options_(std::move(options)) {}

  // Errors: kInternal (the dictionary or OpenCC data is missing).
  Result<const Segmenter*> segmenter();
  Result<IndexWriter*> writer();
  Result<Searcher*> searcher();

  Status Replace(const IndexedDocument& doc) override;
  Status Remove(DocumentId id) override;
  Status UpdateCounters(const std::vector<CounterUpdate>& updates);

  const std::filesystem::path& dir() const { return location_.dir; }
  const IndexLocation& location() const { return location_; }

 private:
  Status Load();

  IndexLocation location_;
  SegmenterOptions options_;
  std::mutex mu_;
  bool loaded_ = false;
  std::unique_ptr<Segmenter> segmenter_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<Searcher> searcher_;
};

}  // namespace wenku::search
