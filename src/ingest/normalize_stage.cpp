// normalize: the document as a PDF, the one form the later stages read.
//   PDF          as it is
//   plain text   decoded and laid out (PdfConverter::LayOutTextFile); the page texts come
//                with it, so extract has nothing left to do
//   DWG, encrypted Office, unknown bytes: refused with a sentence that says why
//   Office/ODF/RTF/DXF, images, archives: not converted yet (the formats issue continues)
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class NormalizeStage final : public Stage {
 public:
  explicit NormalizeStage(const PdfConverter& pdf) : pdf_(pdf) {}
  std::string_view name() const override { return "normalize"; }

  Status Run(JobContext& ctx) const override {
    switch (ctx.kind) {
      case FileKind::kPdf:
        ctx.pdf = ctx.original;
        return {};
      case FileKind::kText: {
        auto text = pdf_.LayOutTextFile(ctx.original, ctx.work_dir / "normalized", [&](int64_t done, int64_t) {
          if (ctx.report) ctx.report(Progress{"normalize", done, 0});
        });
        if (!text.ok()) return text.error();
        ctx.pdf = text->pdf;
        ctx.pages = std::move(text->pages);
        ctx.mime_type = "text/plain; charset=" + text->encoding;
        return {};
      }
      case FileKind::kDwg:
        return MakeError(ErrorCode::kUnsupportedType, "DWG drawings cannot be previewed; upload DXF or PDF.");
      case FileKind::kEncryptedOffice:
        return MakeError(ErrorCode::kEncrypted,
                         "This document is password-protected: it cannot be opened without its "
                         "password. Upload a copy without a password.");
      case FileKind::kOffice:
      case FileKind::kDrawing:
      case FileKind::kImage:
      case FileKind::kArchive:
        return MakeError(ErrorCode::kUnsupportedType,
                         "unsupported type: " + ctx.format + " files cannot be converted yet (detected: " +
                             ctx.type_description + ")");
      case FileKind::kEmpty:
      case FileKind::kUnknown:
        break;
    }
    return MakeError(ErrorCode::kUnsupportedType, "unsupported file type (detected: " + ctx.type_description + ")");
  }

 private:
  const PdfConverter& pdf_;
};

}  // namespace

std::unique_ptr<Stage> MakeNormalizeStage(const PdfConverter& pdf) { return std::make_unique<NormalizeStage>(pdf); }

}  // namespace wenku::ingest
