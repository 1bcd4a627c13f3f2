// The corpus manifest through `wenku import`, for every format Wenku converts so far:
// every `normal` row ready with text where the file has text; every `bad-*` row failed with
// a specific reason, or ready where it honestly opens; the importer alive and nothing
// written outside the data folder. (PDF rows are checked page by page in
// corpus_pdf_test.cpp; archives and EPUB join as the formats issue lands them.)
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string filename, format, kind, note;
};

std::vector<Row> Manifest(const std::string& corpus) {
  std::ifstream in(corpus + "/MANIFEST.tsv");
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 10) rows.push_back({cols[0], cols[1], cols[5], cols[9]});
  }
  return rows;
}

// Formats converted today (the manifest's `format` column, up to the first space).
const std::set<std::string> kConverted = {"txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods",
                                          "odp", "rtf", "dxf", "dwg", "jpeg", "png", "tiff"};

// Words the OCR must find in pictures of text.
const std::map<std::string, std::string> kOcrWords = {
    {"en-ocr-sample.png", "contains"}, {"zh-ad-text.jpeg", "甘草黄酮"},  {"zh-flowchart.png", "文档"},
    {"en-multipage.tif", "Multipage"}, {"en-layout-paper.tiff", "LayoutParser"},
};

TEST(IntegrationCorpusFormatsTest, EveryConvertedFormatEndsAsAPersonWouldExpect) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: corpus test skipped";
  std::vector<Row> rows;
  std::vector<std::string> paths;
  for (const auto& r : Manifest(corpus)) {
    std::string format = r.format.substr(0, r.format.find(' '));
    if (!kConverted.count(format) || r.filename == "en-handbook-872p.docx") continue;  // 872 pages: the bench's
    rows.push_back(r);
    paths.push_back(corpus + "/" + r.filename);
  }
  ASSERT_GE(rows.size(), 40u);

  TempDir dir;
  // Converters that write outside the data folder usually do it in $HOME or $TMPDIR: point
  // both at empty folders of the test's and check they stay empty.
  auto start = std::chrono::steady_clock::now();
  ImportRun run = Import(dir / "data", paths, {},
                         {"TMPDIR=" + (dir / "tmp-outside").string(), "HOME=" + (dir / "home-outside").string()});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 600) << "the corpus took too long";
  ASSERT_EQ(run.rows.size(), rows.size()) << "the importer died part-way";
  EXPECT_EQ(CountFiles(dir / "tmp-outside"), 0u);
  EXPECT_EQ(CountFiles(dir / "home-outside"), 0u);

  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& m = rows[i];
    const nlohmann::json* got = run.Find(paths[i]);
    ASSERT_NE(got, nullptr) << m.filename;
    std::string state = (*got)["state"];
    std::string reason = (*got)["failure_reason"].is_null() ? "" : (*got)["failure_reason"].get<std::string>();
    SCOPED_TRACE(m.filename + " (" + m.kind + "): " + state + " " + reason);
    bool dwg = m.format == "dwg";
    if (dwg) {
      EXPECT_EQ(state, "failed");
      EXPECT_EQ(reason, "DWG drawings cannot be previewed; upload DXF or PDF.");
      continue;
    }
    if (m.kind == "normal" && m.filename != "en-dxf-binary-r2000.dxf") {
      ASSERT_EQ(state, "ready");
      EXPECT_GT((*got)["pages"].get<int>(), 0);
      nlohmann::json doc = Show(dir / "data", (*got)["id"]);
      std::string text;
      for (const auto& p : doc["pages"]) text += p["text"].get<std::string>();
      bool drawing_without_words = m.filename == "en-dxf-hatches.dxf" || m.filename == "en-dxf-parliament-geo.dxf";
      if (!drawing_without_words) EXPECT_FALSE(WithoutSpace(text).empty()) << "no text";
      if (auto w = kOcrWords.find(m.filename); w != kOcrWords.end()) {
        EXPECT_NE(text.find(w->second), std::string::npos) << "OCR text: " << text.substr(0, 300);
        EXPECT_EQ(doc["pages"][0]["text_source"], "ocr");
      }
      continue;
    }
    if (m.kind == "bad-encrypted") {
      EXPECT_EQ(state, "failed");
      EXPECT_NE(reason.find("password-protected"), std::string::npos);
      continue;
    }
    // Other bad rows and the binary DXF: failed with a specific sentence, or honestly ready.
    if (state == "failed") {
      EXPECT_GT(reason.size(), 30u);
      EXPECT_EQ(reason.find("internal"), std::string::npos);
    } else {
      EXPECT_EQ(state, "ready");
      EXPECT_GT((*got)["pages"].get<int>(), 0);
    }
  }
  EXPECT_EQ(RunCommand({WenkuBinary(), "check", "--data", (dir / "data").string()}).status, 0);
}

}  // namespace
}  // namespace wenku::testing
