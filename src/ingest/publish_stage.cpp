// publish: the document becomes `ready` — its pages, page count, preview count and
// fingerprint written, its job closed and its owner's upload reward posted
// (points::Points::UploadReward: once per document by its ledger key, whatever retries or
// re-ingests follow) in ONE transaction (DocumentStore::Publish's unit of work), only if
// this worker still holds the job's lease. A reward that cannot be posted fails the
// publication as a transient error (the job is retried), so a ready document always has it.
// Files unpacked from an archive earn nothing: the archive itself is the upload (else one
// archive of a thousand tiny files would pay a thousand rewards).
#include "ingest/pipeline.hpp"
#include "points/points.hpp"

namespace wenku::ingest {
namespace {

class PublishStage final : public Stage {
 public:
  PublishStage(storage::DocumentStore& documents, points::Points* points)
      : documents_(documents), points_(points) {}
  std::string_view name() const override { return "publish"; }

  Status Run(JobContext& ctx) const override {
    storage::PublishedPages result{ctx.pages, ctx.preview_pages, ctx.text_simhash, ctx.members};
    const bool rewarded = points_ != nullptr && ctx.document.parent_id == 0;
    return documents_.Publish(ctx.document.id, ctx.job_id, ctx.worker, result,
                              [&](storage::Sql& tx) -> Status {
                                if (!rewarded) return {};
                                auto reward = points_->UploadReward(tx, ctx.document.id,
                                                                    ctx.document.owner_id);
                                if (!reward.ok()) return reward.error();
                                return {};
                              });
  }

 private:
  storage::DocumentStore& documents_;
  points::Points* points_;
};

}  // namespace

std::unique_ptr<Stage> MakePublishStage(storage::DocumentStore& documents, points::Points* points) {
  return std::make_unique<PublishStage>(documents, points);
}

}  // namespace wenku::ingest
