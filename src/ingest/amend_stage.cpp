// amend (the ocr pipeline's last stage): the recognised text reaches the document — the
// pages Tesseract read get their text and source "ocr", text_pending is cleared and the job
// closed, and the near-duplicate fingerprint of the whole text replaces the one publish
// registered (with the matches the fingerprint stage found; a new match with another
// uploader's document opens a near_duplicate case), in ONE transaction (DocumentStore::AmendText),
// only if this worker still holds the job's lease. The search index was updated by the index stage
// just before (Replace is idempotent: a retried job writes the same pages again).
#include <algorithm>

#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class AmendStage final : public Stage {
 public:
  using OpenCase = std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)>;
  AmendStage(storage::DocumentStore& documents, const library::NearDuplicates* near,
             OpenCase open_case)
      : documents_(documents), near_(near), open_case_(std::move(open_case)) {}
  std::string_view name() const override { return "amend"; }

  Status Run(JobContext& ctx) const override {
    std::vector<Page> recognised;
    for (const Page& p : ctx.pages) {
      if (p.source == TextSource::kOcr) recognised.push_back(p);
    }
    std::vector<DocumentId> known;  // matched at publication: their cases exist
    if (near_ != nullptr) {
      auto matched = near_->Matched(ctx.document.id);
      if (!matched.ok()) return matched.error();
      known = std::move(matched).value();
    }
    return documents_.AmendText(
        ctx.document.id, ctx.job_id, ctx.worker, recognised, [&](storage::Sql& tx) -> Status {
          if (near_ == nullptr) return {};
          WENKU_TRY(near_->Register(tx, ctx.document.id, ctx.fingerprint));
          for (const auto& m : ctx.fingerprint.matches) {
            const bool opened = std::binary_search(known.begin(), known.end(), m.other_document_id);
            if (!m.same_owner && !opened && open_case_) WENKU_TRY(open_case_(tx, m));
          }
          return {};
        });
  }

 private:
  storage::DocumentStore& documents_;
  const library::NearDuplicates* near_;
  OpenCase open_case_;
};

}  // namespace

std::unique_ptr<Stage> MakeAmendStage(
    storage::DocumentStore& documents, const library::NearDuplicates* near,
    std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)> open_case) {
  return std::make_unique<AmendStage>(documents, near, std::move(open_case));
}

}  // namespace wenku::ingest
