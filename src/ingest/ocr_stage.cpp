// Text recognition of scans, in two stages of two pipelines (pipeline.hpp):
//
// ocr-later (the ingest pipeline): a document with pages that have no text (scans, photos of
//   pages) is published as soon as its page images exist, with `recognise_text` set: the
//   publish stage queues an ocr job in the same transaction and the document shows its pages
//   as "text being recognised" (Document::text_pending) until that job ends. Recognition
//   takes seconds a page; an upload is never kept waiting for it.
// ocr (the ocr pipeline, run by the ocr jobs, at a lower CPU priority than ingest): the
//   text Tesseract reads on those pages, marked as OCR text. Pages are drawn grey at `dpi` by
//   the sandboxed pdf tool and read by Tesseract a few pages a run; at most `max_pages` pages
//   per document (a scanned book of 800 pages would take an hour; the rest keep no text and
//   are logged). When recognition fails, the pages stay without text (the job still ends:
//   text_pending is cleared).
// Images (JPEG, PNG, TIFF) are recognised while normalizing (Ocr::ImageToPdf): their PDF is
// made by Tesseract, text layer and all, so they need neither stage.
#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

// The pages to recognise: those without text, at most `max_pages` of them.
std::vector<int64_t> PagesToRecognise(const JobContext& ctx, int64_t max_pages) {
  std::vector<int64_t> wanted;
  if (ctx.text_from_ocr) return wanted;  // an image: recognised while normalizing
  for (const Page& p : ctx.pages) {
    if (p.source == TextSource::kNone && static_cast<int64_t>(wanted.size()) < max_pages)
      wanted.push_back(p.n);
  }
  return wanted;
}

class OcrLaterStage final : public Stage {
 public:
  explicit OcrLaterStage(OcrSettings settings) : settings_(settings) {}
  std::string_view name() const override { return "ocr-later"; }
  bool Applies(const JobContext& ctx) const override {
    return !PagesToRecognise(ctx, settings_.max_pages).empty();
  }
  Status Run(JobContext& ctx) const override {
    ctx.recognise_text = true;
    return {};
  }

 private:
  OcrSettings settings_;
};

class OcrStage final : public Stage {
 public:
  OcrStage(const PdfConverter& pdf, const Ocr& ocr, OcrSettings settings)
      : pdf_(pdf), ocr_(ocr), settings_(settings) {}
  std::string_view name() const override { return "ocr"; }

  bool Applies(const JobContext& ctx) const override {
    return !PagesToRecognise(ctx, settings_.max_pages).empty();
  }

  Status Run(JobContext& ctx) const override {
    const std::vector<int64_t> wanted = PagesToRecognise(ctx, settings_.max_pages);
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
      // The pages and their images are fine; only their text is missing.
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

std::unique_ptr<Stage> MakeOcrLaterStage(OcrSettings settings) {
  return std::make_unique<OcrLaterStage>(settings);
}

std::unique_ptr<Stage> MakeOcrStage(const PdfConverter& pdf, const Ocr& ocr, OcrSettings settings) {
  return std::make_unique<OcrStage>(pdf, ocr, settings);
}

}  // namespace wenku::ingest
