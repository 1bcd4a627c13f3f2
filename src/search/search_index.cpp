#include "search/search_index.hpp"

namespace wenku::search {

Status SearchIndex::Load() {
  std::lock_guard lock(mu_);
  if (loaded_) return {};
  auto seg = Segmenter::Open(options_);
  if (!seg.ok()) return seg.error();
  segmenter_ = std::move(seg).value();
  writer_ = std::make_unique<IndexWriter>(*segmenter_, location_);
  searcher_ = std::make_unique<Searcher>(*segmenter_, location_);
  loaded_ = true;
  return {};
}

Result<const Segmenter*> SearchIndex::segmenter() {
  WENKU_TRY(Load());
  return static_cast<const Segmenter*>(segmenter_.get());
}

Result<IndexWriter*> SearchIndex::writer() {
  WENKU_TRY(Load());
  return writer_.get();
}

Result<Searcher*> SearchIndex::searcher() {
  WENKU_TRY(Load());
  return searcher_.get();
}

Status SearchIndex::Replace(const IndexedDocument& doc) {
  WENKU_TRY(Load());
  return writer_->Replace(doc);
}

Status SearchIndex::Remove(DocumentId id) {
  WENKU_TRY(Load());
  return writer_->Remove(id);
}

Status SearchIndex::UpdateCounters(const std::vector<CounterUpdate>& updates) {
  WENKU_TRY(Load());
  return writer_->UpdateCounters(updates);
}

}  // namespace wenku::search
