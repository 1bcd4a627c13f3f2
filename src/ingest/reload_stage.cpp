// reload (the ocr pipeline's first stage): an ocr job starts from a published document, not
// from its original: its pages as stored (text and source) and the PDF they were drawn
// from — the original when it is a PDF, else the converted PDF the render stage kept
// (derived "document.pdf", copied into the work folder). A document that is no longer
// ready (deleted, taken down, failed) or whose converted PDF is gone ends the job with a
// non-transient error: there is nothing to recognise for.
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {
namespace names = blob::derived_name;

class ReloadStage final : public Stage {
 public:
  ReloadStage(storage::DocumentStore& documents, blob::DerivedStore& derived)
      : documents_(documents), derived_(derived) {}
  std::string_view name() const override { return "reload"; }

  Status Run(JobContext& ctx) const override {
    if (ctx.document.state != DocState::kReady) {
      return MakeError(ErrorCode::kNotFound, "the document is no longer published");
    }
    ctx.format = ctx.document.format;
    auto pages = documents_.Pages(ctx.document.id, 1, ctx.document.page_count);
    if (!pages.ok()) return pages.error();
    ctx.pages = std::move(pages).value();
    for (size_t i = 0; i < ctx.pages.size(); ++i) {
      if (ctx.pages[i].n != static_cast<int64_t>(i) + 1) {
        return MakeError(ErrorCode::kCorrupt, "the document's pages are not stored in order");
      }
    }
    if (ctx.document.format == "pdf") {
      ctx.pdf = ctx.original;
      return {};
    }
    auto pdf = derived_.CopyToLocal(ctx.document.id, names::kNormalizedPdf, ctx.work_dir / "pdf");
    if (!pdf.ok() && pdf.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "the converted document is missing");
    }
    if (!pdf.ok()) return pdf.error();
    ctx.pdf = *pdf;
    return {};
  }

 private:
  storage::DocumentStore& documents_;
  blob::DerivedStore& derived_;
};

}  // namespace

std::unique_ptr<Stage> MakeReloadStage(storage::DocumentStore& documents,
                                       blob::DerivedStore& derived) {
  return std::make_unique<ReloadStage>(documents, derived);
}

}  // namespace wenku::ingest
