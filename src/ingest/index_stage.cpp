// index: the words of every page, the title, description, category slug and uploader into
// the search index (category names are matched when a query is built, categories.hpp), just before
// publish makes the document visible. Replacing is idempotent (a retried job writes the same pages
// again, never twice); an index that cannot be written is a transient error, so the job is retried
// rather than the document failed.
#include "ingest/pipeline.hpp"
#include "search/library_search.hpp"

namespace wenku::ingest {
namespace {

class IndexStage : public Stage {
 public:
  explicit IndexStage(search::DocumentIndexer& index) : index_(index) {}
  std::string_view name() const override { return "index"; }

  Status Run(JobContext& ctx) const override {
    Document doc = ctx.document;
    if (!ctx.format.empty()) doc.format = ctx.format;
    Status s = index_.Replace(search::ToIndexed(doc, ctx.pages));
    if (!s.ok() && !IsTransient(s.error().code)) {
      return MakeError(ErrorCode::kIo, s.error().message);  // the index, not the file
    }
    return s;
  }

 private:
  search::DocumentIndexer& index_;
};

}  // namespace

std::unique_ptr<Stage> MakeIndexStage(search::DocumentIndexer& index) {
  return std::make_unique<IndexStage>(index);
}

}  // namespace wenku::ingest
