// publish: the document becomes `ready` — its pages, page count, preview count and
// fingerprint written and its job closed in one transaction (DocumentStore::Publish),
// only if this worker still holds the job's lease.
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class PublishStage final : public Stage {
 public:
  explicit PublishStage(storage::DocumentStore& documents) : documents_(documents) {}
  std::string_view name() const override { return "publish"; }

  Status Run(JobContext& ctx) const override {
    storage::PublishedPages result{ctx.pages, ctx.preview_pages, ctx.text_simhash, ctx.members};
    return documents_.Publish(ctx.document.id, ctx.job_id, ctx.worker, result);
  }

 private:
  storage::DocumentStore& documents_;
};

}  // namespace

std::unique_ptr<Stage> MakePublishStage(storage::DocumentStore& documents) {
  return std::make_unique<PublishStage>(documents);
}

}  // namespace wenku::ingest
