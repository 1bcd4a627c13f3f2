// Drawings through `wenku import`, the real renderer (Node + LibreDWG's WebAssembly build,
// dxf-json, rsvg-convert) in the real sandbox: the corpus's DWGs, its binary DXF and every
// ASCII DXF end `ready` with a first page whose drawing fills the page (the box around its
// non-white pixels spans most of the width or height) and is not blank; dwg-2010.dwg's text
// holds its MTEXT; a broken DWG ends ready (its paper-space layout a page of its own, showing
// the model through its viewport) or failed with a reason; a drawing with Chinese text
// in the GBK code page (made here: no DWG writer is within reach, so an R2000 DXF with
// $DWGCODEPAGE ANSI_936) is found by search; a drawing over cad.max_entities fails saying so.
#include <gtest/gtest.h>
#include <webp/decode.h>

#include <fstream>

#include "core/data_layout.hpp"
#include "core/files.hpp"
#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

struct Ink {
  int width = 0, height = 0;
  int min_x = 0, min_y = 0, max_x = -1, max_y = -1;
  int64_t dark = 0;  // pixels clearly not white
};

// The box around a WebP image's non-white pixels.
Ink InkOf(const fs::path& webp) {
  Ink ink;
  auto bytes = ReadFile(webp);
  if (!bytes.ok()) return ink;
  uint8_t* rgb = WebPDecodeRGB(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(),
                               &ink.width, &ink.height);
  if (rgb == nullptr) return ink;
  ink.min_x = ink.width;
  ink.min_y = ink.height;
  for (int y = 0; y < ink.height; ++y) {
    for (int x = 0; x < ink.width; ++x) {
      const uint8_t* p = rgb + 3 * (static_cast<size_t>(y) * ink.width + x);
      if (p[0] > 200 && p[1] > 200 && p[2] > 200) continue;
      ++ink.dark;
      ink.min_x = std::min(ink.min_x, x);
      ink.max_x = std::max(ink.max_x, x);
      ink.min_y = std::min(ink.min_y, y);
      ink.max_y = std::max(ink.max_y, y);
    }
  }
  WebPFree(rgb);
  return ink;
}

std::string AllText(const nlohmann::json& doc) {
  std::string text;
  for (const auto& p : doc["pages"]) text += p["text"].get<std::string>() + "\n";
  return text;
}

// An R2000 ASCII DXF whose text is GBK, as Chinese AutoCAD writes it.
std::string ChineseDxf() {
  std::string gbk_title = "\xB9\xA4\xB3\xCC\xCD\xBC\xD6\xBD";         // 工程图纸
  std::string gbk_text = "\xD2\xBB\xB2\xE3\xC6\xBD\xC3\xE6\xCD\xBC";  // 一层平面图
  std::string dxf;
  auto g = [&](int code, const std::string& value) {
    dxf += std::to_string(code) + "\n" + value + "\n";
  };
  g(0, "SECTION");
  g(2, "HEADER");
  g(9, "$ACADVER");
  g(1, "AC1015");
  g(9, "$DWGCODEPAGE");
  g(3, "ANSI_936");
  g(0, "ENDSEC");
  g(0, "SECTION");
  g(2, "TABLES");
  g(0, "TABLE");
  g(2, "LAYER");
  g(0, "LAYER");
  g(2, "墙体");  // a UTF-8 layer name would be wrong here: GBK below
  g(70, "0");
  g(62, "1");
  g(6, "CONTINUOUS");
  g(0, "ENDTAB");
  g(0, "ENDSEC");
  g(0, "SECTION");
  g(2, "ENTITIES");
  for (int i = 0; i < 5; ++i) {
    g(0, "LINE");
    g(8, "0");
    g(10, std::to_string(i * 100));
    g(20, "0");
    g(11, std::to_string(i * 100));
    g(21, "300");
  }
  g(0, "TEXT");
  g(8, "0");
  g(10, "20");
  g(20, "320");
  g(40, "25");
  g(1, gbk_title);
  g(0, "MTEXT");
  g(8, "0");
  g(10, "20");
  g(20, "-20");
  g(40, "20");
  g(1, "{\\fSimSun|b0|i0|c134;" + gbk_text + "}\\PA-01");
  g(0, "ENDSEC");
  g(0, "EOF");
  // The layer name in GBK too (墙体).
  size_t at = dxf.find("墙体");
  dxf.replace(at, std::string("墙体").size(), "\xC7\xBD\xCC\xE5");
  return dxf;
}

TEST(IntegrationCorpusCadTest, DrawingsPreviewFillTheirPageAndAreSearchable) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: CAD corpus test skipped";
  const std::vector<std::string> drawings = {
      "dwg-2010.dwg",       "dwg-mech-2007.dwg", "en-dxf-binary-r2000.dxf",
      "en-dxf-hatches.dxf", "en-dxf-text.dxf",   "en-dxf-parliament-geo.dxf"};
  TempDir dir;
  std::vector<std::string> paths;
  for (const auto& f : drawings) paths.push_back(corpus + "/" + f);
  paths.push_back(corpus + "/bad-dwg-no-header.dwg");
  const fs::path chinese = dir / "一层平面图.dxf";
  ASSERT_TRUE(WriteFileAtomic(chinese, ChineseDxf()).ok());
  paths.push_back(chinese.string());

  ImportRun run = Import(dir / "data", paths);
  DataLayout layout(dir / "data");
  for (size_t i = 0; i < drawings.size(); ++i) {
    const nlohmann::json* got = run.Find(paths[i]);
    ASSERT_NE(got, nullptr) << drawings[i];
    SCOPED_TRACE(drawings[i] + ": " + got->dump());
    ASSERT_EQ((*got)["state"], "ready");
    const int64_t id = (*got)["id"];
    Ink ink = InkOf(layout.page_image(id, 1));
    ASSERT_GT(ink.width, 0) << "no page image";
    EXPECT_GT(ink.dark, 200) << "the page is blank";
    const double wide = double(ink.max_x - ink.min_x + 1) / ink.width;
    const double tall = double(ink.max_y - ink.min_y + 1) / ink.height;
    EXPECT_TRUE(wide > 0.8 || tall > 0.8) << "the drawing fills " << wide << " × " << tall;
    EXPECT_TRUE(fs::exists(layout.cover(id)));
  }
  // The MTEXT of dwg-2010.dwg is the page's text.
  nlohmann::json dwg = Show(dir / "data", (*run.Find(paths[0]))["id"]);
  EXPECT_NE(AllText(dwg).find("The quick brown fox"), std::string::npos) << AllText(dwg);
  EXPECT_EQ(dwg["format"], "dwg");

  // A drawing LibreDWG reads only in part: shown, or refused with a reason a person reads.
  const nlohmann::json* bad = run.Find(paths[drawings.size()]);
  ASSERT_NE(bad, nullptr);
  if ((*bad)["state"] == "failed") {
    EXPECT_NE(FailureReason(*bad).find("drawing"), std::string::npos) << bad->dump();
  } else {
    ASSERT_EQ((*bad)["state"], "ready") << bad->dump();
    // Its model space, then its layout, which shows the model through a viewport.
    ASSERT_EQ((*bad)["pages"], 2) << bad->dump();
    EXPECT_GT(InkOf(layout.page_image((*bad)["id"], 2)).dark, 50) << "the layout page is blank";
  }

  // GBK text decoded, formatting codes gone, the layer in the description, found by search.
  const nlohmann::json* zh = run.Find(chinese.string());
  ASSERT_NE(zh, nullptr);
  ASSERT_EQ((*zh)["state"], "ready") << zh->dump();
  nlohmann::json zdoc = Show(dir / "data", (*zh)["id"]);
  std::string text = AllText(zdoc);
  EXPECT_NE(text.find("工程图纸"), std::string::npos) << text;
  EXPECT_NE(text.find("一层平面图"), std::string::npos) << text;
  EXPECT_EQ(text.find("SimSun"), std::string::npos) << text;
  EXPECT_NE(zdoc["description"].get<std::string>().find("墙体"), std::string::npos)
      << zdoc["description"];
  auto search =
      RunCommand({WenkuBinary(), "search", "--data", (dir / "data").string(), "--json", "平面图"});
  ASSERT_EQ(search.status, 0) << search.out;
  auto hits = nlohmann::json::parse(search.out);
  bool found = false;
  for (const auto& h : hits["hits"]) found = found || h["id"] == (*zh)["id"];
  EXPECT_TRUE(found) << search.out;
}

TEST(IntegrationCorpusCadTest, ADrawingOverTheEntityLimitFailsSayingSo) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: CAD corpus test skipped";
  TempDir dir;
  const std::string path = corpus + "/dwg-mech-2007.dwg";
  ImportRun run = Import(dir / "data", {path}, {"--set", "cad.max_entities=1000"});
  const nlohmann::json* got = run.Find(path);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ((*got)["state"], "failed");
  EXPECT_NE(FailureReason(*got).find("more than 1000 entities"), std::string::npos) << got->dump();
}

}  // namespace
}  // namespace wenku::testing

namespace wenku::testing {
namespace {

TEST(IntegrationCadTest, CheckSaysWhenTheDrawingRendererIsMissing) {
  TempDir dir;
  auto ok = RunCommand({WenkuBinary(), "check", "--data", (dir / "data").string()});
  EXPECT_EQ(ok.status, 0) << ok.out;
  auto missing = RunCommand({WenkuBinary(), "--set", "cad.tool_dir=" + (dir / "no-cad").string(),
                             "check", "--data", (dir / "data").string()});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.out.find("drawing renderer: the CAD renderer is not installed"),
            std::string::npos)
      << missing.out;
}

}  // namespace
}  // namespace wenku::testing
