// publish: the document becomes `ready` — its pages, page count and preview count written,
// its job closed (and, for a scan, its ocr job queued: ocr_stage.cpp), its near-duplicate
// fingerprint registered (signature, band buckets and the matches the fingerprint stage found:
// library::NearDuplicates::Register) and its owner's upload reward posted
// (points::Points::UploadReward: once per document by its ledger key, whatever retries or
// re-ingests follow) in ONE transaction (DocumentStore::Publish's unit of work), only if this
// worker still holds the job's lease. Each match with another uploader's document opens a
// near_duplicate case in the moderation queue, in the same transaction (PipelineDeps::open_case).
// A reward or fingerprint that cannot be written fails the publication as a transient error
// (the job is retried), so a ready document always has both and a failed one neither.
// The stages' timings (JobContext::timings, and publish's own up to its commit) are recorded
// in the same unit of work (DocumentStore::RecordTimings).
// Files unpacked from an archive earn nothing: the archive itself is the upload (else one
// archive of a thousand tiny files would pay a thousand rewards).
#include <chrono>

#include "ingest/pipeline.hpp"
#include "points/points.hpp"

namespace wenku::ingest {
namespace {

class PublishStage final : public Stage {
 public:
  using OpenCase = std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)>;
  PublishStage(storage::DocumentStore& documents, points::Points* points,
               const library::NearDuplicates* near, OpenCase open_case)
      : documents_(documents), points_(points), near_(near), open_case_(std::move(open_case)) {}
  std::string_view name() const override { return "publish"; }

  Status Run(JobContext& ctx) const override {
    const auto start = std::chrono::steady_clock::now();
    storage::PublishedPages result{ctx.pages, ctx.preview_pages, ctx.members, ctx.description,
                                   ctx.recognise_text};
    const bool rewarded = points_ != nullptr && ctx.document.parent_id == 0;
    return documents_.Publish(
        ctx.document.id, ctx.job_id, ctx.worker, result, [&](storage::Sql& tx) -> Status {
          std::vector<StageTiming> timings = ctx.timings;
          timings.push_back({"publish", std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count()});
          WENKU_TRY(documents_.RecordTimings(tx, ctx.document.id, timings));
          if (near_ != nullptr) {
            WENKU_TRY(near_->Register(tx, ctx.document.id, ctx.fingerprint));
            for (const auto& m : ctx.fingerprint.matches) {
              if (!m.same_owner && open_case_) WENKU_TRY(open_case_(tx, m));
            }
          }
          if (!rewarded) return {};
          auto reward = points_->UploadReward(tx, ctx.document.id, ctx.document.owner_id);
          if (!reward.ok()) return reward.error();
          return {};
        });
  }

 private:
  storage::DocumentStore& documents_;
  points::Points* points_;
  const library::NearDuplicates* near_;
  OpenCase open_case_;
};

}  // namespace

std::unique_ptr<Stage> MakePublishStage(
    storage::DocumentStore& documents, points::Points* points, const library::NearDuplicates* near,
    std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)> open_case) {
  return std::make_unique<PublishStage>(documents, points, near, std::move(open_case));
}

}  // namespace wenku::ingest
