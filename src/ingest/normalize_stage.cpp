// normalize: the document as a PDF, the one form the later stages read.
//   PDF          as it is
//   plain text   decoded and laid out (PdfConverter::LayOutTextFile); the page texts come
//                with it, so extract has nothing left to do
//   Office/ODF/RTF/WPS/HTML: LibreOffice (OfficeConverter)
//   DWG, DXF     drawn by LibreDWG / dxf-json (CadConverter), one page per layout, with the
//                drawing's text as the pages' text and its layers and title block as the
//                description the document gets when its uploader gave none
//   images       pages with their text recognised by Tesseract (Ocr::ImageToPdf)
//   encrypted Office, unknown bytes: refused with a sentence that says why
//   archives     unpacked under limits (archive_tool.hpp); the archive's own page lists its
//                files, which the members stage turns into documents
#include <spdlog/spdlog.h>

#include "core/files.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class NormalizeStage final : public Stage {
 public:
  NormalizeStage(const PdfConverter& pdf, OfficeConverter* office, const CadConverter* cad,
                 const Ocr* ocr)
      : pdf_(pdf), office_(office), cad_(cad), ocr_(ocr) {}
  std::string_view name() const override { return "normalize"; }

  Status Run(JobContext& ctx) const override {
    switch (ctx.kind) {
      case FileKind::kPdf:
        ctx.pdf = ctx.original;
        return {};
      case FileKind::kText: {
        auto text = pdf_.LayOutTextFile(ctx.original, ctx.work_dir / "normalized",
                                        [&](int64_t done, int64_t) {
                                          if (ctx.report)
                                            ctx.report(Progress{"normalize", done, 0});
                                        });
        if (!text.ok()) return text.error();
        ctx.pdf = text->pdf;
        ctx.pages = std::move(text->pages);
        ctx.mime_type = "text/plain; charset=" + text->encoding;
        return {};
      }
      case FileKind::kDwg:
      case FileKind::kDrawing:
        if (cad_ == nullptr) break;
        return DrawingToPdf(ctx);
      case FileKind::kEncryptedOffice:
        return MakeError(ErrorCode::kEncrypted,
                         "This document is password-protected: it cannot be opened without its "
                         "password. Upload a copy without a password.");
      case FileKind::kOffice: {
        if (ctx.format == "epub") return EpubToPages(ctx);
        if (office_ == nullptr) break;
        auto pdf = office_->ToPdf(ctx.original, ctx.format, ctx.work_dir);
        if (!pdf.ok()) return pdf.error();
        ctx.pdf = *pdf;
        return {};
      }
      case FileKind::kImage: {
        if (ocr_ == nullptr) break;
        if (ctx.report) ctx.report(Progress{"ocr", 0, 0});
        auto pdf = ocr_->ImageToPdf(ctx.original, ctx.format, ctx.work_dir);
        if (!pdf.ok()) return pdf.error();
        ctx.pdf = *pdf;
        ctx.text_from_ocr = true;
        return {};
      }
      case FileKind::kArchive:
        return UnpackArchive(ctx);
      case FileKind::kEmpty:
      case FileKind::kUnknown:
        break;
    }
    return MakeError(ErrorCode::kUnsupportedType,
                     "unsupported file type (detected: " + ctx.type_description + ")");
  }

 private:
  // EPUB: its text in reading order, laid out like a text file (epub_tool.hpp says why).
  Status EpubToPages(JobContext& ctx) const {
    auto book = pdf_.EpubText(ctx.original, ctx.work_dir / "epub", nullptr);
    if (!book.ok()) return book.error();
    auto text = pdf_.LayOutTextFile(*book, ctx.work_dir / "normalized", nullptr);
    if (!text.ok()) return text.error();
    ctx.pdf = text->pdf;
    ctx.pages = std::move(text->pages);
    return {};
  }

  // A drawing: its pages come with their text (the entities'), so extract has nothing to do.
  Status DrawingToPdf(JobContext& ctx) const {
    auto drawing =
        cad_->ToPdf(ctx.original, ctx.format, ctx.work_dir, [&](int64_t done, int64_t total) {
          if (ctx.report) ctx.report(Progress{"normalize", done, total});
        });
    if (!drawing.ok()) return drawing.error();
    spdlog::info("ingest: document {}: {} drawing, {} entities, {} page(s){}{}", ctx.document.id,
                 drawing->version, drawing->entities, drawing->pages.size(),
                 drawing->warning.empty() ? "" : "; drawn despite ", drawing->warning);
    ctx.pdf = drawing->pdf;
    ctx.pages = std::move(drawing->pages);
    ctx.description = DescribeDrawing(*drawing);
    return {};
  }

  // An archive's page is the list of what it holds; its files become documents of their own
  // in the members stage.
  Status UnpackArchive(JobContext& ctx) const {
    auto unpacked =
        pdf_.UnpackArchive(ctx.original, ctx.work_dir / "unpacked", [&](int64_t done, int64_t) {
          if (ctx.report) ctx.report(Progress{"normalize", done, 0});
        });
    if (!unpacked.ok()) return unpacked.error();
    std::string listing =
        "压缩包内容 Archive contents: " + std::to_string(unpacked->size()) + "\n\n";
    for (const auto& u : *unpacked) {
      listing += std::to_string(u.member.idx) + ". " + u.member.path + "  (" +
                 HumanSize(u.member.size) + ")";
      if (!u.member.note.empty()) listing += " — " + u.member.note;
      listing += "\n";
    }
    WENKU_TRY(WriteFileAtomic(ctx.work_dir / "listing.txt", listing));
    auto text =
        pdf_.LayOutTextFile(ctx.work_dir / "listing.txt", ctx.work_dir / "normalized", nullptr);
    if (!text.ok()) return text.error();
    ctx.pdf = text->pdf;
    ctx.pages = std::move(text->pages);
    ctx.unpacked = std::move(unpacked).value();
    return {};
  }

  static std::string HumanSize(int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    if (bytes < (1 << 20)) return std::to_string(bytes >> 10) + " KB";
    return std::to_string(bytes >> 20) + " MB";
  }

  const PdfConverter& pdf_;
  OfficeConverter* office_;  // null in tests without LibreOffice
  const CadConverter* cad_;  // null in tests without the CAD renderer
  const Ocr* ocr_;           // null in tests without Tesseract
};

}  // namespace

std::unique_ptr<Stage> MakeNormalizeStage(const PdfConverter& pdf, OfficeConverter* office,
                                          const CadConverter* cad, const Ocr* ocr) {
  return std::make_unique<NormalizeStage>(pdf, office, cad, ocr);
}

}  // namespace wenku::ingest
