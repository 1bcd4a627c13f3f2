// render: WebP images of the free-preview pages (1..preview_pages) and the cover thumbnail,
// drawn in the sandboxed pdf tool into the work folder, then moved into the document's
// derived folder, with the normalized PDF when the original is not one. Later pages are drawn on
// first request (PageImages). A previous attempt's images are replaced, so a retried job leaves
// exactly one set.
#include <spdlog/spdlog.h>

#include "core/files.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;
namespace {

class RenderStage final : public Stage {
 public:
  RenderStage(const PdfConverter& pdf, DataLayout layout, int64_t preview_pages, RenderOptions o)
      : pdf_(pdf), layout_(std::move(layout)), preview_pages_(preview_pages), options_(o) {}
  std::string_view name() const override { return "render"; }
  bool Applies(const JobContext& ctx) const override { return !ctx.pages.empty(); }

  Status Run(JobContext& ctx) const override {
    int64_t count = std::min<int64_t>(preview_pages_, static_cast<int64_t>(ctx.pages.size()));
    count = std::max<int64_t>(count, 1);  // the cover needs page 1 even with no free pages
    fs::path out = ctx.work_dir / "render";
    RenderOptions o = options_;
    Status s = pdf_.Render(ctx.pdf, out, 1, count, o, [&](int64_t done, int64_t total) {
      if (ctx.report) ctx.report(Progress{"render", done, total});
    });
    if (!s.ok()) return s;

    DocumentId id = ctx.document.id;
    std::error_code ec;
    fs::remove_all(layout_.derived(id), ec);
    fs::create_directories(layout_.pages(id), ec);
    for (int64_t n = 1; n <= count; ++n) {
      fs::path from = out / layout_.page_image(id, n).filename();
      WENKU_TRY(DurableRename(from, layout_.page_image(id, n)));
    }
    WENKU_TRY(DurableRename(out / "cover.webp", layout_.cover(id)));
    if (ctx.pdf != ctx.original) {  // kept for the pages drawn on first request
      WENKU_TRY(DurableRename(ctx.pdf, layout_.normalized_pdf(id)));
      ctx.pdf = layout_.normalized_pdf(id);
    }
    ctx.preview_pages = std::min<int64_t>(preview_pages_, static_cast<int64_t>(ctx.pages.size()));
    return {};
  }

 private:
  const PdfConverter& pdf_;
  DataLayout layout_;
  int64_t preview_pages_;
  RenderOptions options_;
};

}  // namespace

std::unique_ptr<Stage> MakeRenderStage(const PdfConverter& pdf, DataLayout layout,
                                       int64_t preview_pages, RenderOptions options) {
  RenderOptions o = options;
  return std::make_unique<RenderStage>(pdf, std::move(layout), preview_pages, o);
}

}  // namespace wenku::ingest
