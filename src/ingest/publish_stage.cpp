// publish: the document becomes `ready` — its pages, page count, preview count and
// fingerprint written and its job closed in one transaction (DocumentStore::Publish),
// only if this worker still holds the job's lease. Then its owner gets the upload reward
// (points::Points::UploadReward: once per document, whatever retries or re-ingests follow).
// The document is ready whether or not the reward could be posted: a failure is logged, and
// `wenku points grant` can make it up.
#include <spdlog/spdlog.h>

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
    WENKU_TRY(documents_.Publish(ctx.document.id, ctx.job_id, ctx.worker, result));
    if (points_ != nullptr) {
      auto reward = points_->UploadReward(ctx.document.id, ctx.document.owner_id);
      if (!reward.ok()) {
        spdlog::error("ingest: document {}: upload reward: {}", ctx.document.id,
                      reward.error().message);
      }
    }
    return {};
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
