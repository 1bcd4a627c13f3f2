// Pipeline: the ingest flow, an ordered list of stages (stage.hpp) run top to bottom.
// MakeDefaultPipeline is where the flow is written down:
//   detect → normalize → extract → render → ocr-later → members → fingerprint → index → publish
// and MakeOcrPipeline the follow-up of a published scan (an "ocr" job, storage/job_store.hpp):
//   reload → ocr → fingerprint → index → amend
// Threading: Run may be called from many workers at once (stages are stateless).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/clock.hpp"
#include "core/data_layout.hpp"
#include "core/settings.hpp"
#include "ingest/cad_converter.hpp"
#include "ingest/ocr.hpp"
#include "ingest/office_converter.hpp"
#include "ingest/pdf_converter.hpp"
#include "ingest/stage.hpp"
#include "library/near_duplicates.hpp"
#include "library/submit.hpp"
#include "points/points.hpp"
#include "search/search_index.hpp"
#include "storage/document_store.hpp"

namespace wenku::ingest {

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages) : stages_(std::move(stages)) {}
  // Runs every stage that applies, in order, reporting each stage's name as progress.
  // Returns the first stage's error (the job's outcome is decided by the worker).
  Status Run(JobContext& ctx) const;
  std::vector<std::string_view> StageNames() const;

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

struct OcrSettings {
  int dpi = 300;
  int64_t max_pages = 200;
};

struct PipelineDeps {
  const PdfConverter* pdf;
  OfficeConverter* office;  // null: Office formats fail as not convertible (tests)
  const Ocr* ocr;           // null: images fail and scans keep no text (tests)
  storage::DocumentStore* documents;
  blob::BlobStore* blobs;       // where archive members are stored
  blob::DerivedStore* derived;  // where page images, covers and converted PDFs go
  DataLayout layout;
  int64_t preview_pages = 5;  // pages drawn at ingest, when `settings` is null (tests)
  RenderOptions render;
  OcrSettings ocr_settings;
  library::SubmitLimits submit;              // for documents unpacked from archives
  search::DocumentIndexer* index = nullptr;  // null: no index stage (tests)
  // The categories, for documents unpacked from archives (library::Submit's rule).
  library::Categories* categories = nullptr;
  // Gives the owner economy.upload_reward when a document is published; null: no reward
  // (tests).
  points::Points* points = nullptr;
  // The near-duplicate rule (fingerprint stage, registered at publish); null: no
  // fingerprint stage (tests).
  const library::NearDuplicates* near_duplicates = nullptr;
  // Opens a near_duplicate case for a match with another uploader's document, in the
  // publication's unit of work (moderation::Moderation::OpenNearDuplicate); null: none.
  std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)> open_case;
  // The live settings: preview.pages is read from them when each document is rendered (a
  // runtime setting); null: `preview_pages` above.
  const Settings* settings = nullptr;
  // DWG and DXF drawings; null: drawings fail as not convertible (tests).
  const CadConverter* cad = nullptr;
};

Pipeline MakeDefaultPipeline(const PipelineDeps& deps);
// REQUIRES: deps.ocr.
Pipeline MakeOcrPipeline(const PipelineDeps& deps);

// The stages, one file each.
std::unique_ptr<Stage> MakeDetectStage();
std::unique_ptr<Stage> MakeNormalizeStage(const PdfConverter& pdf, OfficeConverter* office,
                                          const CadConverter* cad, const Ocr* ocr);
std::unique_ptr<Stage> MakeExtractStage(const PdfConverter& pdf, const Ocr* ocr);
// `preview_pages` is asked for each document (the runtime setting preview.pages).
std::unique_ptr<Stage> MakeRenderStage(const PdfConverter& pdf, blob::DerivedStore& derived,
                                       std::function<int64_t()> preview_pages,
                                       RenderOptions options);
// Marks a document with pages to recognise (the publish stage queues its ocr job).
std::unique_ptr<Stage> MakeOcrLaterStage(OcrSettings settings);
std::unique_ptr<Stage> MakeOcrStage(const PdfConverter& pdf, const Ocr& ocr, OcrSettings settings);
// The ocr pipeline's: a published document's pages and PDF; its recognised text stored.
std::unique_ptr<Stage> MakeReloadStage(storage::DocumentStore& documents,
                                       blob::DerivedStore& derived);
std::unique_ptr<Stage> MakeAmendStage(
    storage::DocumentStore& documents, const library::NearDuplicates* near,
    std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)> open_case);
// Stores each member that is a document through library::Submit.
std::unique_ptr<Stage> MakeMembersStage(library::SubmitDeps submit);
// Asks the near-duplicate rule about the text; fails the job when it refuses the document.
std::unique_ptr<Stage> MakeFingerprintStage(const library::NearDuplicates& near);
std::unique_ptr<Stage> MakeIndexStage(search::DocumentIndexer& index);
// Publishes; in the same transaction registers the fingerprint (when `near` is not null)
// and gives the upload reward (when `points` is not null).
std::unique_ptr<Stage> MakePublishStage(
    storage::DocumentStore& documents, points::Points* points, const library::NearDuplicates* near,
    std::function<Status(storage::Sql&, const storage::NearDuplicateRow&)> open_case = nullptr);

}  // namespace wenku::ingest
