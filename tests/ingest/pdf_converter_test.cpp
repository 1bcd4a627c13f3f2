// The real pdf tool (wenku __pdf, Poppler) on PDFs the test makes, through the real sandbox.
#include "ingest/pdf_converter.hpp"

#include <gtest/gtest.h>

#include <webp/decode.h>
#include "core/sandbox.hpp"

#include <fstream>

#include "core/files.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

using wenku::testing::MakePdf;
using wenku::testing::RunCommand;
using wenku::testing::TempDir;

class PdfConverterTest : public ::testing::Test {
 protected:
  PdfConverterTest() : pdf_(runner_, wenku::testing::WenkuBinary(), Limits()) {}
  static ProcessLimits Limits() {
    ProcessLimits l;
    l.timeout_ms = 60'000;
    return l;
  }
  void SetUp() override {
    ASSERT_TRUE(MakePdf(dir_ / "three.pdf", {{"First page: 成华区教育局", "alpha"},
                                             {"Second page: 文档上传", "beta"},
                                             {"Third page", "gamma 第三页"}}));
  }
  TempDir dir_;
  Sandbox sandbox_;  // the real one: bubblewrap + seccomp
  SandboxRunner runner_{sandbox_};
  PdfConverter pdf_;
};

TEST_F(PdfConverterTest, ExtractsEachPagesOwnText) {
  auto pages = pdf_.ExtractText(dir_ / "three.pdf", dir_.path(), nullptr);
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages->size(), 3u);
  EXPECT_EQ(wenku::testing::WithoutSpace((*pages)[0].text), "Firstpage:成华区教育局alpha");
  EXPECT_EQ(wenku::testing::WithoutSpace((*pages)[1].text), "Secondpage:文档上传beta");
  EXPECT_EQ(wenku::testing::WithoutSpace((*pages)[2].text), "Thirdpagegamma第三页");
  EXPECT_EQ((*pages)[0].width_pt, 595);
  EXPECT_EQ((*pages)[0].height_pt, 842);
}

TEST_F(PdfConverterTest, ReportsProgress) {
  int64_t last_done = 0, last_total = 0;
  auto pages = pdf_.ExtractText(dir_ / "three.pdf", dir_.path(), [&](int64_t d, int64_t t) {
    last_done = d;
    last_total = t;
  });
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(last_done, 3);
  EXPECT_EQ(last_total, 3);
}

TEST_F(PdfConverterTest, RendersPagesAtTheRequestedWidthAndACover) {
  RenderOptions o;
  o.width = 800;
  o.cover_width = 200;
  ASSERT_TRUE(pdf_.Render(dir_ / "three.pdf", dir_ / "img", 1, 2, o, nullptr).ok());
  for (const char* name : {"0001.webp", "0002.webp", "cover.webp"}) {
    auto bytes = ReadFile(dir_ / "img" / name);
    ASSERT_TRUE(bytes.ok()) << name;
    int w = 0, h = 0;
    ASSERT_TRUE(WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(), &w, &h))
        << name;
    EXPECT_EQ(w, std::string(name) == "cover.webp" ? 200 : 800) << name;
    EXPECT_NEAR(static_cast<double>(h) / w, 842.0 / 595.0, 0.01) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "img" / "0003.webp"));
}

TEST_F(PdfConverterTest, PasswordProtectedPdfSaysSo) {
  auto r = RunCommand({"qpdf", "--encrypt", "secret", "owner", "256", "--",
                       (dir_ / "three.pdf").string(), (dir_ / "locked.pdf").string()});
  ASSERT_EQ(r.status, 0);
  auto pages = pdf_.ExtractText(dir_ / "locked.pdf", dir_.path(), nullptr);
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().code, ErrorCode::kEncrypted);
  EXPECT_NE(pages.error().message.find("password-protected"), std::string::npos);
}

TEST_F(PdfConverterTest, OwnerPasswordOnlyPdfIsReadNormally) {
  auto r =
      RunCommand({"qpdf", "--encrypt", "", "owner-secret", "256", "--print=none", "--extract=n",
                  "--", (dir_ / "three.pdf").string(), (dir_ / "restricted.pdf").string()});
  ASSERT_EQ(r.status, 0);
  auto pages = pdf_.ExtractText(dir_ / "restricted.pdf", dir_.path(), nullptr);
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  EXPECT_EQ(pages->size(), 3u);
  EXPECT_NE((*pages)[1].text.find("文档上传"), std::string::npos);
}

TEST_F(PdfConverterTest, DamagedPdfsFailWithWhatIsWrong) {
  auto whole = ReadFile(dir_ / "three.pdf");
  ASSERT_TRUE(
      WriteFileAtomic(dir_ / "garbage.pdf", "%PDF-1.7\n" + std::string(5000, 'x') + "\n%%EOF\n")
          .ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "cut.pdf", whole->substr(0, whole->size() / 3)).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "notpdf.pdf", "this is plain text, not a PDF at all").ok());
  struct Case {
    const char* file;
    const char* words;
  } cases[] = {{"garbage.pdf", "damaged"}, {"notpdf.pdf", "not a PDF"}, {"cut.pdf", "cut off"}};
  for (const auto& c : cases) {
    auto pages = pdf_.ExtractText(dir_ / c.file, dir_.path(), nullptr);
    ASSERT_FALSE(pages.ok()) << c.file;
    EXPECT_EQ(pages.error().code, ErrorCode::kCorrupt) << c.file;
    EXPECT_NE(pages.error().message.find(c.words), std::string::npos) << pages.error().message;
  }
}

}  // namespace
}  // namespace wenku::ingest
