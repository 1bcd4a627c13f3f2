// render: WebP images of the free-preview pages (1..preview_pages) and the cover thumbnail,
// drawn in the sandboxed pdf tool into the work folder, then stored in the derived store
// (blob/derived_store.hpp: the data folder or S3), with the normalized PDF when the original
// is not one. Later pages are drawn on first request (PageImages, through the web's
// RenderPool). A previous attempt's files (and remembered page failures) are removed first,
// so a retried job leaves exactly one set.
//
// The cover is public — listings show it to everyone who may open the document — so it is
// drawn only from a page every visitor may see: page 1 when the free preview has at least one
// page (cover.webp); with no free pages, a card with the format and the title
// (cover-placeholder.webp, cover_placeholder.hpp), and page 1 is not drawn at all.
#include <spdlog/spdlog.h>

#include "core/files.hpp"
#include "ingest/cover_placeholder.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;
namespace {

namespace names = blob::derived_name;

class RenderStage final : public Stage {
 public:
  RenderStage(const PdfConverter& pdf, blob::DerivedStore& derived,
              std::function<int64_t()> preview_pages, RenderOptions o)
      : pdf_(pdf), derived_(derived), preview_pages_(std::move(preview_pages)), options_(o) {}
  std::string_view name() const override { return "render"; }
  bool Applies(const JobContext& ctx) const override { return !ctx.pages.empty(); }

  Status Run(JobContext& ctx) const override {
    const int64_t count =
        std::clamp<int64_t>(preview_pages_(), 0, static_cast<int64_t>(ctx.pages.size()));
    DocumentId id = ctx.document.id;
    fs::path out = ctx.work_dir / "render";
    fs::path cover_from;
    std::string cover_name;
    if (count > 0) {
      Status s = pdf_.Render(ctx.pdf, out, 1, count, options_, [&](int64_t done, int64_t total) {
        if (ctx.report) ctx.report(Progress{"render", done, total});
      });
      if (!s.ok()) return s;
      cover_from = out / "cover.webp";
      cover_name = names::kCover;
    } else {
      std::error_code ec;
      fs::create_directories(out, ec);
      cover_from = out / "cover-placeholder.webp";
      cover_name = names::kCoverPlaceholder;
      WENKU_TRY(DrawPlaceholderCover(ctx.document.title,
                                     ctx.format.empty() ? ctx.document.format : ctx.format,
                                     options_.cover_width, options_.quality, cover_from));
    }

    WENKU_TRY(derived_.RemoveAll(id));
    for (int64_t n = 1; n <= count; ++n) {
      const std::string name = names::PageImage(n);  // the pdf tool writes NNNN.webp
      WENKU_TRY(derived_.PutFile(id, name, out / fs::path(name).filename()));
    }
    WENKU_TRY(derived_.PutFile(id, cover_name, cover_from));
    if (ctx.pdf != ctx.original) {  // kept for the pages drawn on first request
      WENKU_TRY(derived_.PutFile(id, names::kNormalizedPdf, ctx.pdf));
    }
    ctx.preview_pages = count;
    return {};
  }

 private:
  const PdfConverter& pdf_;
  blob::DerivedStore& derived_;
  std::function<int64_t()> preview_pages_;  // preview.pages now
  RenderOptions options_;
};

}  // namespace

std::unique_ptr<Stage> MakeRenderStage(const PdfConverter& pdf, blob::DerivedStore& derived,
                                       std::function<int64_t()> preview_pages,
                                       RenderOptions options) {
  return std::make_unique<RenderStage>(pdf, derived, std::move(preview_pages), options);
}

}  // namespace wenku::ingest
