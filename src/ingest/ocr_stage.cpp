// ocr: pages that have no text (scans, photos of pages) get the text Tesseract reads on
// them, marked as OCR text. Runs after render, so the preview images of a scan exist while
// its text is being recognised. Pages are drawn grey at `dpi` by the sandboxed pdf tool and
// read by Tesseract a few pages a run; at most `max_pages` pages per document (a scanned
// book of 800 pages would take an hour; the rest keep no text and are logged). When
// recognition fails, the document is published with those pages still without text.
#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class OcrStage final : public Stage {
 public:
  OcrStage(const PdfConverter& pdf, const Ocr& ocr, OcrSettings settings)
      : pdf_(pdf), ocr_(ocr), settings_(settings) {}
  std::string_view name() const override { return "ocr"; }

  bool Applies(const JobContext& ctx) const override {
    if (ctx.text_from_ocr) return false;  // an image: recognised while normalizing
    for (const Page& p : ctx.pages) {
      if (p.source == TextSource::kNone) return true;
    }
    return false;
  }

  Status Run(JobContext& ctx) const override {
    std::vector<int64_t> wanted;
    for (const Page& p : ctx.pages) {
      if (p.source == TextSource::kNone &&
          static_cast<int64_t>(wanted.size()) < settings_.max_pages)
        wanted.push_back(p.n);
    }
    size_t blank = 0;
    for (const Page& p : ctx.pages) blank += p.source == TextSource::kNone;
    if (blank > wanted.size()) {
      spdlog::info("ingest: document {}: text recognised on the first {} of {} pages without text",
                   ctx.document.id, wanted.size(), blank);
    }
    if (ctx.report) ctx.report(Progress{"ocr", 0, static_cast<int64_t>(wanted.size())});
    auto images = pdf_.Raster(ctx.pdf, ctx.work_dir / "ocr-pages", settings_.dpi, wanted, nullptr);
    if (!images.ok()) return images.error();
    std::vector<std::filesystem::path> drawn;  // blank pages need no OCR
    std::vector<int64_t> drawn_pages;
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (images->at(i).empty()) continue;
      drawn.push_back(images->at(i));
      drawn_pages.push_back(wanted[i]);
    }
    if (drawn.empty()) return {};
    auto texts = ocr_.Recognize(drawn, ctx.work_dir);
    if (!texts.ok()) {
      // The pages and their images are fine; only their text is missing. Publish anyway.
      spdlog::warn("ingest: document {}: text recognition failed, pages stay without text: {}",
                   ctx.document.id, texts.error().message);
      return {};
    }
    for (size_t i = 0; i < drawn_pages.size(); ++i) {
      Page& page = ctx.pages[static_cast<size_t>(drawn_pages[i] - 1)];
      page.text = ocr_.PageText((*texts)[i]);
      page.source = TextSource::kOcr;
    }
    if (ctx.report)
      ctx.report(Progress{"ocr", static_cast<int64_t>(wanted.size()),
                          static_cast<int64_t>(wanted.size())});
    return {};
  }

 private:
  const PdfConverter& pdf_;
  const Ocr& ocr_;
  OcrSettings settings_;
};

}  // namespace

std::unique_ptr<Stage> MakeOcrStage(const PdfConverter& pdf, const Ocr& ocr, OcrSettings settings) {
  return std::make_unique<OcrStage>(pdf, ocr, settings);
}

}  // namespace wenku::ingest
