// Ocr with a fake Tesseract: long scans are read a few pages a run, texts come back in page
// order, and Tesseract's page separators are understood.
#include "ingest/ocr.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/files.hpp"
#include "core/text_fold.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

using wenku::testing::FakeRunner;
using wenku::testing::TempDir;

// chi_sim+chi_tra reads some simplified characters as their traditional forms; a page
// that is mostly simplified gets them back, a traditional page keeps its script.
TEST(OcrTest, SettlesTheScriptOfEachPage) {
  auto fold = TextFold::Shared("/usr/share/opencc/t2s.json");
  ASSERT_TRUE(fold.ok()) << fold.error().message;
  // 2 traditional forms (國, 學) among 20 Han characters: a simplified page.
  EXPECT_EQ(SettleScript("中华人民共和国教育部关于加强國家学校管理的通知學习 page 12", **fold),
            "中华人民共和国教育部关于加强国家学校管理的通知学习 page 12");
  // A traditional page: kept as read.
  const std::string traditional = "臺灣的學校會舉辦語言與電腦課程，讓學生們學習專業知識。";
  EXPECT_EQ(SettleScript(traditional, **fold), traditional);
  EXPECT_EQ(SettleScript("No Han characters at all.", **fold), "No Han characters at all.");
  EXPECT_EQ(SettleScript("", **fold), "");
}

TEST(OcrTest, SplitsTesseractPagesOnFormFeeds) {
  EXPECT_EQ(SplitOcrPages("first\n\n\fsecond\n\f", 2),
            (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(SplitOcrPages("only", 3), (std::vector<std::string>{"only", "", ""}));
}

TEST(OcrTest, ReadsALongScanAFewPagesARunInOrder) {
  TempDir dir;
  int runs = 0;
  // Pretends to be tesseract LIST OUTBASE -l LANGS txt: one page of text per listed image,
  // naming the image, ended by a form feed.
  FakeRunner runner([&](const ProcessSpec& spec, const std::function<void(std::string_view)>&) {
    ++runs;
    EXPECT_NE(std::find(spec.env.begin(), spec.env.end(), "OMP_THREAD_LIMIT=1"), spec.env.end());
    auto list = ReadFile(spec.argv.at(1));
    std::string out;
    std::istringstream lines(*list);
    for (std::string l; std::getline(lines, l);)
      out += "text of " + std::filesystem::path(l).filename().string() + "\n\f";
    EXPECT_TRUE(WriteFileAtomic(spec.argv.at(2) + ".txt", out).ok());
    ProcessOutcome o;
    o.exit_code = 0;
    return o;
  });
  Ocr ocr(runner, OcrOptions{});
  std::vector<std::filesystem::path> images;
  for (int i = 1; i <= 20; ++i) images.push_back(dir / ("p" + std::to_string(i) + ".png"));
  auto texts = ocr.Recognize(images, dir.path());
  ASSERT_TRUE(texts.ok()) << texts.error().message;
  ASSERT_EQ(texts->size(), 20u);
  EXPECT_EQ((*texts)[0], "text of p1.png");
  EXPECT_EQ((*texts)[19], "text of p20.png");
  EXPECT_EQ(runs, 3);  // 8 + 8 + 4 pages
}

}  // namespace
}  // namespace wenku::ingest
