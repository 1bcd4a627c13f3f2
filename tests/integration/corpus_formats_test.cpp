// The corpus manifest through `wenku import`, for every format Wenku converts so far:
// every `normal` row ready with text where the file has text; every `bad-*` row failed with
// a specific reason, or ready where it honestly opens; the importer alive and nothing
// written outside the data folder. (PDF rows are checked page by page in
// corpus_pdf_test.cpp.)
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

// Formats converted today (the manifest's `format` column, up to the first space).
const std::set<std::string> kConverted = {"txt", "doc",  "docx", "xls", "xlsx", "ppt",  "pptx",
                                          "odt", "ods",  "odp",  "rtf", "dxf",  "dwg",  "jpeg",
                                          "png", "tiff", "zip",  "7z",  "rar",  "gzip", "epub"};

bool IsArchive(const std::string& format) {
  return format == "zip" || format == "7z" || format == "rar" || format == "gzip";
}

// A member path each archive must list, decoded right (GBK names, Japanese names).
const std::map<std::string, std::string> kMemberPaths = {
    {"zh-gbk-names.zip", "审计压缩包文件检索测试/"},
    {"ja-unicode-names.rar", "表だよ/漢字長いファイル名long-filename-in-漢字.txt"},
    {"en-test-documents.7z", "test-documents/testPDF.pdf"},
    {"en-test-documents.rar", "test-documents/testWORD.doc"},
};

// Words the OCR must find in pictures of text.
const std::map<std::string, std::string> kOcrWords = {
    {"en-ocr-sample.png", "contains"},
    {"zh-ad-text.jpeg", "甘草黄酮"},
    {"zh-flowchart.png", "文档"},
    {"en-multipage.tif", "Multipage"},
    {"en-layout-paper.tiff", "LayoutParser"},
};

// Words each EPUB's pages must hold (text in reading order).
const std::map<std::string, std::string> kEpubWords = {
    {"en-epub-tika.epub", "This is the text for chapter One"},
    {"en-winter-sports.epub", "Winter Sports"},
};

TEST(IntegrationCorpusFormatsTest, EveryConvertedFormatEndsAsAPersonWouldExpect) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: corpus test skipped";
  std::vector<ManifestRow> rows;
  std::vector<std::string> paths;
  for (const auto& r : ReadManifest(corpus)) {
    std::string format = r.format.substr(0, r.format.find(' '));
    if (!kConverted.count(format)) continue;
    rows.push_back(r);
    paths.push_back(corpus + "/" + r.filename);
  }
  ASSERT_GE(rows.size(), 40u);

  TempDir dir;
  // Converters that write outside the data folder usually do it in $HOME or $TMPDIR: point
  // both at empty folders of the test's and check they stay empty.
  auto start = std::chrono::steady_clock::now();
  ImportRun run = Import(
      dir / "data", paths, {},
      {"TMPDIR=" + (dir / "tmp-outside").string(), "HOME=" + (dir / "home-outside").string()});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 600) << "the corpus took too long";
  size_t top_level = 0;
  for (const auto& r : run.rows) top_level += r["archive"].is_null();
  ASSERT_EQ(top_level, rows.size()) << "the importer died part-way";
  // Files unpacked from archives are documents too, each finished.
  for (const auto& r : run.rows) {
    if (!r["archive"].is_null()) {
      EXPECT_TRUE(r["state"] == "ready" || r["state"] == "failed") << r.dump();
    }
  }
  EXPECT_EQ(CountFiles(dir / "tmp-outside"), 0u);
  EXPECT_EQ(CountFiles(dir / "home-outside"), 0u);

  for (size_t i = 0; i < rows.size(); ++i) {
    const ManifestRow& m = rows[i];
    const nlohmann::json* got = run.Find(paths[i]);
    ASSERT_NE(got, nullptr) << m.filename;
    std::string state = (*got)["state"];
    std::string reason = FailureReason(*got);
    SCOPED_TRACE(m.filename + " (" + m.kind + "): " + state + " " + reason);
    if (IsArchive(m.format) && m.kind == "normal") {
      ASSERT_EQ(state, "ready");
      nlohmann::json doc = Show(dir / "data", (*got)["id"]);
      ASSERT_TRUE(doc["members"].is_array());
      ASSERT_FALSE(doc["members"].empty());
      if (auto p = kMemberPaths.find(m.filename); p != kMemberPaths.end()) {
        bool listed = false;
        for (const auto& member : doc["members"])
          listed = listed || member["path"].get<std::string>().find(p->second) == 0;
        EXPECT_TRUE(listed) << doc["members"].dump();
      }
      if (m.filename == "en-test-documents.7z") {  // its documents became documents, ready
        int ready = 0;
        for (const auto& member : doc["members"]) {
          if (member["document_id"].is_null()) continue;
          ready += Show(dir / "data", member["document_id"])["state"] == "ready";
        }
        EXPECT_GE(ready, 8);
      }
      continue;
    }
    if (IsArchive(m.format)) {
      if (m.kind == "bad-zipbomb" && state == "failed") {
        EXPECT_TRUE(reason.find("zip bomb") != std::string::npos ||
                    reason.find("cannot be opened") != std::string::npos);
      } else if (m.kind == "bad-malicious") {
        EXPECT_EQ(state, "failed");
        EXPECT_NE(reason.find("zip-slip"), std::string::npos);
      } else if (state == "ready") {  // some members readable, the rest noted
        nlohmann::json doc = Show(dir / "data", (*got)["id"]);
        bool noted = false;
        for (const auto& member : doc["members"])
          noted = noted || !member["note"].is_null() || !member["document_id"].is_null();
        EXPECT_TRUE(noted) << doc["members"].dump();
      } else {
        EXPECT_GT(reason.size(), 30u);
        if (m.kind == "bad-encrypted") {
          EXPECT_NE(reason.find("password-protected"), std::string::npos);
        }
      }
      continue;
    }
    if (m.kind == "normal") {
      ASSERT_EQ(state, "ready");
      EXPECT_GT((*got)["pages"].get<int>(), 0);
      nlohmann::json doc = Show(dir / "data", (*got)["id"]);
      std::string text;
      for (const auto& p : doc["pages"]) text += p["text"].get<std::string>();
      bool drawing_without_words = m.filename == "en-dxf-hatches.dxf" ||
                                   m.filename == "en-dxf-parliament-geo.dxf" ||
                                   m.filename == "dwg-mech-2007.dwg";
      if (!drawing_without_words) {
        EXPECT_FALSE(WithoutSpace(text).empty()) << "no text";
      }
      if (auto w = kEpubWords.find(m.filename); w != kEpubWords.end()) {
        EXPECT_NE(text.find(w->second), std::string::npos) << text.substr(0, 300);
      }
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
    // Other bad rows: failed with a specific sentence, or honestly ready.
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
