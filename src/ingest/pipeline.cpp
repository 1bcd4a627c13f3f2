#include "ingest/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace wenku::ingest {

Pipeline MakeDefaultPipeline(const PipelineDeps& d) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(MakeDetectStage());                                   // what is it really
  stages.push_back(MakeNormalizeStage(*d.pdf, d.office, d.cad, d.ocr));  // as PDF
  stages.push_back(MakeExtractStage(*d.pdf, d.ocr));                     // every page's text
  std::function<int64_t()> preview = [n = d.preview_pages] { return n; };
  if (d.settings != nullptr) {
    preview = [s = d.settings] { return s->GetInt("preview.pages"); };
  }
  stages.push_back(MakeRenderStage(*d.pdf, *d.derived, preview, d.render));  // preview
  if (d.ocr) stages.push_back(MakeOcrLaterStage(d.ocr_settings));  // scans: text comes later
  stages.push_back(
      MakeMembersStage({*d.blobs, *d.documents, *d.categories, d.submit}));  // archives' files
  if (d.near_duplicates) stages.push_back(MakeFingerprintStage(*d.near_duplicates));  // a copy?
  if (d.index) stages.push_back(MakeIndexStage(*d.index));  // search terms
  stages.push_back(
      MakePublishStage(*d.documents, d.points, d.near_duplicates, d.open_case));  // ready + all
  return Pipeline(std::move(stages));
}

Pipeline MakeOcrPipeline(const PipelineDeps& d) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(MakeReloadStage(*d.documents, *d.derived));     // pages and PDF
  stages.push_back(MakeOcrStage(*d.pdf, *d.ocr, d.ocr_settings));  // Tesseract
  if (d.near_duplicates) stages.push_back(MakeFingerprintStage(*d.near_duplicates));  // a copy?
  if (d.index) stages.push_back(MakeIndexStage(*d.index));                         // search terms
  stages.push_back(MakeAmendStage(*d.documents, d.near_duplicates, d.open_case));  // stored
  return Pipeline(std::move(stages));
}

Status Pipeline::Run(JobContext& ctx) const {
  for (const auto& stage : stages_) {
    if (!stage->Applies(ctx)) continue;
    if (ctx.report) ctx.report(Progress{std::string(stage->name()), 0, 0});
    auto start = std::chrono::steady_clock::now();
    Status s = stage->Run(ctx);
    const auto took = std::chrono::steady_clock::now() - start;
    spdlog::debug("ingest: document {} {} {:.3f} s{}", ctx.document.id, stage->name(),
                  std::chrono::duration<double>(took).count(), s.ok() ? "" : " (failed)");
    // (publish stores the timings before its own ends: its entry there is its time up to
    // the commit)
    ctx.timings.push_back({std::string(stage->name()),
                           std::chrono::duration_cast<std::chrono::microseconds>(took).count()});
    WENKU_TRY(s);
  }
  return {};
}

std::vector<std::string_view> Pipeline::StageNames() const {
  std::vector<std::string_view> names;
  for (const auto& s : stages_) names.push_back(s->name());
  return names;
}

}  // namespace wenku::ingest
