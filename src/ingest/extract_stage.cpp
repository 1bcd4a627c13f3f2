// extract: the text of every page, page by page, exactly aligned (page k's text is what
// `pdftotext -f k -l k` gives), read by Poppler in the sandboxed pdf tool.
#include "core/text.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class ExtractStage final : public Stage {
 public:
  explicit ExtractStage(const PdfConverter& pdf) : pdf_(pdf) {}
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
        p.text = CollapseCjkSpaces(p.text);
        p.source = p.text.empty() ? TextSource::kNone : TextSource::kOcr;
      }
    }
    return {};
  }

 private:
  const PdfConverter& pdf_;
};

}  // namespace

std::unique_ptr<Stage> MakeExtractStage(const PdfConverter& pdf) {
  return std::make_unique<ExtractStage>(pdf);
}

}  // namespace wenku::ingest
