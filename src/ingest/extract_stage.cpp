// extract: the text of every page, page by page, exactly aligned (page k's text is what
// `pdftotext -f k -l k` gives), read by Poppler in the sandboxed pdf tool.
#include "core/text.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class ExtractStage final : public Stage {
 public:
  ExtractStage(const PdfConverter& pdf, const Ocr* ocr) : pdf_(pdf), ocr_(ocr) {}
  std::string_view name() const override { return "extract"; }
  // Laid-out text arrives with its pages from normalize.
  bool Applies(const JobContext& ctx) const override { return ctx.pages.empty(); }

  Status Run(JobContext& ctx) const override {
    auto pages = pdf_.ExtractText(ctx.pdf, ctx.work_dir, [&](int64_t done, int64_t total) {
      if (ctx.report) ctx.report(Progress{"extract", done, total});
    });
    if (!pages.ok()) return pages.error();
    ctx.pages = std::move(pages).value();
    if (ctx.text_from_ocr) {
      for (Page& p : ctx.pages) {
        p.text = ocr_ != nullptr ? ocr_->PageText(p.text) : CollapseCjkSpaces(p.text);
        p.source = p.text.empty() ? TextSource::kNone : TextSource::kOcr;
      }
    }
    return {};
  }

 private:
  const PdfConverter& pdf_;
  const Ocr* ocr_;  // settles OCR'd text (images); null in tests without Tesseract
};

}  // namespace

std::unique_ptr<Stage> MakeExtractStage(const PdfConverter& pdf, const Ocr* ocr) {
  return std::make_unique<ExtractStage>(pdf, ocr);
}

}  // namespace wenku::ingest
