// index: the words of every page, the title, description, category and uploader into the
// search index, just before publish makes the document visible. Replacing is idempotent
// (a retried job writes the same pages again, never twice); an index that cannot be
// written is a transient error, so the job is retried rather than the document failed.
#include "ingest/pipeline.hpp"
#include "search/library_search.hpp"

namespace wenku::ingest {
namespace {

class IndexStage : public Stage {
 public:
  IndexStage(search::DocumentIndexer& index, CategoryNamer category_name)
      : index_(index), category_name_(std::move(category_name)) {}
  std::string_view name() const override { return "index"; }

  Status Run(JobContext& ctx) const override {
    Document doc = ctx.document;
    if (!ctx.format.empty()) doc.format = ctx.format;
    std::string category = category_name_ ? category_name_(doc.category) : doc.category;
    Status s = index_.Replace(search::ToIndexed(doc, ctx.pages, category));
    if (!s.ok() && !IsTransient(s.error().code)) {
      return MakeError(ErrorCode::kIo, s.error().message);  // the index, not the file
    }
    return s;
  }

 private:
  search::DocumentIndexer& index_;
  CategoryNamer category_name_;
};

}  // namespace

std::unique_ptr<Stage> MakeIndexStage(search::DocumentIndexer& index, CategoryNamer category_name) {
  return std::make_unique<IndexStage>(index, std::move(category_name));
}

}  // namespace wenku::ingest
