// Page images past the free preview and the cover, with a fake pdf tool: a page that fails
// to draw is remembered (drawn once however often it is asked for, through the render pool
// too) until the document is ingested again; the cover never shows page 1 when the free
// preview has no pages.
#include "ingest/page_images.hpp"

#include <gtest/gtest.h>
#include <webp/decode.h>

#include <fstream>
#include <set>

#include "core/files.hpp"
#include "core/text.hpp"
#include "ingest/cover_placeholder.hpp"
#include "ingest/pipeline.hpp"
#include "ingest/render_pool.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::FakeRunner;
using wenku::testing::MemoryBlobStore;

// `wenku __pdf render PDF OUT FIRST LAST WIDTH QUALITY COVER_WIDTH`, pretended: pages as
// small files, or the document error `error_line` for the pages in `bad_pages`.
struct FakePdfTool {
  std::set<int> bad_pages;
  std::string error_line = "error corrupt Page 6 uses an image that cannot be decoded.";

  ProcessOutcome operator()(const ProcessSpec& spec, const std::function<void(std::string_view)>&) {
    ProcessOutcome o;
    o.end = ProcessEnd::kExited;
    EXPECT_EQ(spec.argv.at(2), "render");
    fs::path dir = spec.argv.at(4);
    int first = std::stoi(spec.argv.at(5)), last = std::stoi(spec.argv.at(6));
    for (int n = first; n <= last; ++n) {
      if (bad_pages.contains(n)) {
        o.exit_code = 2;
        o.out = error_line + "\n";
        return o;
      }
      char name[32];
      std::snprintf(name, sizeof name, "%04d.webp", n);
      std::ofstream(dir / name) << "image " << n;
    }
    if (spec.argv.at(9) != "0") std::ofstream(dir / "cover.webp") << "page 1 as a cover";
    o.exit_code = 0;
    return o;
  }
};

int RenderCalls(FakeRunner& runner) {
  int n = 0;
  for (const auto& call : runner.calls()) n += call.argv.at(2) == "render";
  return n;
}

class PageImagesTest : public storage::StorageTest {
 protected:
  void Use(FakePdfTool tool) {
    runner_ = std::make_unique<FakeRunner>(tool);
    pdf_ = std::make_unique<PdfConverter>(*runner_, "/fake/wenku", ProcessLimits{});
    images_ = std::make_unique<PageImages>(*pdf_, *documents_, blobs_, derived_, layout_, options_);
  }

  // A ready PDF of `pages` pages (none drawn), as ingest leaves it.
  DocumentId ReadyDoc(int pages) {
    layout_.Create();
    auto ref = blobs_.Put("%PDF-1.7 fake " + std::to_string(++docs_));
    DocumentId id = NewDoc(ref->sha256);
    auto job = jobs_->Claim("w", 60000);
    EXPECT_TRUE(job.ok() && job->has_value());
    storage::PublishedPages published;
    for (int n = 1; n <= pages; ++n) published.pages.push_back(Page{n, "text", TextSource::kLayer});
    EXPECT_TRUE(documents_->Publish(id, (*job)->id, "w", published).ok());
    // A non-PDF original is drawn from the normalized PDF kept in the derived folder.
    fs::create_directories(layout_.derived(id));
    std::ofstream(layout_.normalized_pdf(id)) << "%PDF-1.7";
    return id;
  }

  // The render stage for document `id`, as a re-ingest runs it.
  Status RunRenderStage(DocumentId id, int64_t preview_pages, int pages,
                        JobContext* out = nullptr) {
    JobContext ctx;
    ctx.document = *documents_->Find(id);
    ctx.document.title = "<b>期末复习</b> & \x01notes\xff";
    ctx.format = "pdf";
    ctx.work_dir = dir_ / ("work-" + std::to_string(++jobs_run_));
    fs::create_directories(ctx.work_dir);
    ctx.pdf = ctx.original = dir_ / "original.pdf";
    for (int n = 1; n <= pages; ++n) ctx.pages.push_back(Page{n, "text", TextSource::kLayer});
    Status s = MakeRenderStage(
                   *pdf_, derived_, [preview_pages] { return preview_pages; }, options_)
                   ->Run(ctx);
    if (out) *out = ctx;
    return s;
  }

  MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  blob::FsDerivedStore derived_{layout_.derived(), layout_.tmp()};
  RenderOptions options_{1000, 80, 240};
  std::unique_ptr<FakeRunner> runner_;
  std::unique_ptr<PdfConverter> pdf_;
  std::unique_ptr<PageImages> images_;
  int docs_ = 0;
  int jobs_run_ = 0;
};

TEST_F(PageImagesTest, APageIsDrawnOnceThenServedFromTheDerivedFolder) {
  Use(FakePdfTool{});
  DocumentId id = ReadyDoc(9);
  auto before = images_->Drawn(id, 7);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
  auto drawn = images_->Draw(id, 7);
  ASSERT_TRUE(drawn.ok()) << drawn.error().message;
  EXPECT_EQ(*drawn, "pages/0007.webp");
  EXPECT_EQ(ReadFile(layout_.page_image(id, 7)).value(), "image 7");
  auto after = images_->Drawn(id, 7);
  ASSERT_TRUE(after.ok() && after->has_value());
  ASSERT_TRUE(images_->Draw(id, 7).ok());
  EXPECT_EQ(RenderCalls(*runner_), 1);
  EXPECT_EQ(images_->Draw(id, 10).error().code, ErrorCode::kNotFound);
}

TEST_F(PageImagesTest, AFailedPageIsNotDrawnAgainUntilTheDocumentIsIngestedAgain) {
  Use(FakePdfTool{{6}});
  DocumentId id = ReadyDoc(9);
  RenderPool pool(*images_, RenderPoolOptions{2, 8, 2});
  for (int i = 0; i < 3; ++i) {  // asked three times, by three visitors
    auto drawing = pool.Submit(id, 6, "visitor " + std::to_string(i));
    ASSERT_TRUE(drawing.ok());
    const auto& r = drawing->Wait();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kConversionFailed);
    EXPECT_EQ(r.error().message, "Page 6 uses an image that cannot be decoded.");
  }
  EXPECT_EQ(RenderCalls(*runner_), 1);
  // The web asks without drawing and learns the reason at once.
  auto remembered = images_->Drawn(id, 6);
  ASSERT_FALSE(remembered.ok());
  EXPECT_EQ(remembered.error().message, "Page 6 uses an image that cannot be decoded.");
  // Other pages are unaffected.
  EXPECT_TRUE(images_->Draw(id, 7).ok());

  // Ingesting the document again wipes the derived folder, and with it the memory.
  ASSERT_TRUE(RunRenderStage(id, 5, 9).ok());
  auto fresh = images_->Drawn(id, 6);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->has_value());
}

TEST_F(PageImagesTest, ATransientFailureIsNotRemembered) {
  FakePdfTool tool{{6}};
  tool.error_line = "error io cannot write the page image";
  Use(tool);
  DocumentId id = ReadyDoc(9);
  auto r = images_->Draw(id, 6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  auto drawn = images_->Drawn(id, 6);
  ASSERT_TRUE(drawn.ok());
  EXPECT_FALSE(drawn->has_value());
  EXPECT_FALSE(images_->Draw(id, 6).ok());
  EXPECT_EQ(RenderCalls(*runner_), 2);  // tried again
}

bool IsWebp(const fs::path& path, int* width, int* height) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return false;
  return WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(), width,
                     height) != 0;
}

TEST_F(PageImagesTest, WithNoFreePagesTheCoverIsACardAndPage1IsNotDrawn) {
  Use(FakePdfTool{});
  DocumentId id = ReadyDoc(3);
  JobContext ctx;
  Status s = RunRenderStage(id, 0, 3, &ctx);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(RenderCalls(*runner_), 0);  // no page was drawn for the cover
  EXPECT_EQ(ctx.preview_pages, 0);
  EXPECT_FALSE(fs::exists(layout_.cover(id)));
  EXPECT_FALSE(fs::exists(layout_.page_image(id, 1)));
  int w = 0, h = 0;
  ASSERT_TRUE(IsWebp(layout_.cover_placeholder(id), &w, &h));
  EXPECT_EQ(w, 240);
  EXPECT_EQ(h, 339);
}

TEST_F(PageImagesTest, WithFreePagesTheCoverIsPage1) {
  Use(FakePdfTool{});
  DocumentId id = ReadyDoc(3);
  JobContext ctx;
  ASSERT_TRUE(RunRenderStage(id, 2, 3, &ctx).ok());
  EXPECT_EQ(ctx.preview_pages, 2);
  EXPECT_EQ(ReadFile(layout_.cover(id)).value(), "page 1 as a cover");
  EXPECT_FALSE(fs::exists(layout_.cover_placeholder(id)));
  EXPECT_TRUE(fs::exists(layout_.page_image(id, 2)));
  EXPECT_FALSE(fs::exists(layout_.page_image(id, 3)));
}

TEST(CoverPlaceholderTest, TheTitleIsDrawnAsPlainTextWhateverItHolds) {
  EXPECT_EQ(CoverTitleText("a\x01"
                           "b\tc"),
            "a b c");
  EXPECT_EQ(CoverTitleText("<span foreground='red'>x</span> &amp;"),
            "<span foreground='red'>x</span> &amp;");  // drawn literally, never as markup
  EXPECT_TRUE(IsValidUtf8(CoverTitleText("bad \xff\xfe bytes \xe4\xb8")));
  EXPECT_EQ(CodePointCount(CoverTitleText(std::string(500, 'x'))), 121u);  // 120 and "…"

  wenku::testing::TempDir dir;
  for (std::string title : {std::string("期末复习提纲 2024"), std::string("<b>\xff\x01</b>"),
                            std::string(), std::string(3000, 'W')}) {
    Status s = DrawPlaceholderCover(title, "docx", 240, 80, dir / "cover.webp");
    ASSERT_TRUE(s.ok()) << s.error().message;
    int w = 0, h = 0;
    EXPECT_TRUE(IsWebp(dir / "cover.webp", &w, &h));
    EXPECT_EQ(w, 240);
  }
}

}  // namespace
}  // namespace wenku::ingest
