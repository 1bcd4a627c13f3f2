// Every PDF of ../shared/corpus through `wenku import`, checked against Poppler's own
// command-line tools: normal files are ready with pdfinfo's page count and, page by page,
// the text `pdftotext -f k -l k` gives; bad files fail with a specific reason (or are ready
// where Poppler honestly opens them). Skips with a message when the corpus is absent.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

int PdfinfoPages(const std::string& path) {
  CommandResult r = RunCommand({"pdfinfo", path});
  std::smatch m;
  if (r.status == 0 && std::regex_search(r.out, m, std::regex("Pages:\\s+(\\d+)")))
    return std::stoi(m[1]);
  return -1;
}

std::string PdftotextPage(const std::string& path, int k) {
  return RunCommand({"pdftotext", "-f", std::to_string(k), "-l", std::to_string(k), path, "-"}).out;
}

TEST(IntegrationCorpusPdfTest, EveryCorpusPdfEndsAsAPersonWouldExpect) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: corpus test skipped";
  std::vector<ManifestRow> rows;
  std::vector<std::string> paths;
  for (const auto& r : ReadManifest(corpus)) {
    if (r.format != "pdf") continue;
    rows.push_back(r);
    paths.push_back(corpus + "/" + r.filename);
  }
  ASSERT_GE(rows.size(), 30u);

  TempDir dir;
  auto start = std::chrono::steady_clock::now();
  ImportRun run = Import(dir / "data", paths);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 300) << "importing the corpus PDFs took too long";
  EXPECT_EQ(run.status, 1);  // the encrypted ones fail
  ASSERT_EQ(run.rows.size(), rows.size());

  for (size_t i = 0; i < rows.size(); ++i) {
    const ManifestRow& m = rows[i];
    const nlohmann::json* got = run.Find(paths[i]);
    ASSERT_NE(got, nullptr) << m.filename;
    std::string state = (*got)["state"];
    std::string reason = FailureReason(*got);
    SCOPED_TRACE(m.filename + " (" + m.kind + "): " + state + " " + reason);
    bool must_open = m.kind.starts_with("normal") || m.kind == "bad-encrypted-owner";
    if (m.kind == "bad-encrypted") {
      EXPECT_EQ(state, "failed");
      EXPECT_NE(reason.find("password-protected"), std::string::npos);
      continue;
    }
    if (!must_open && state == "failed") {
      // A specific reason: a sentence about this file, not a generic or internal message.
      EXPECT_GT(reason.size(), 30u);
      EXPECT_TRUE(reason.find("damaged") != std::string::npos ||
                  reason.find("cut off") != std::string::npos ||
                  reason.find("compressed with") != std::string::npos);
      EXPECT_EQ(reason.find("exception"), std::string::npos);
      continue;
    }
    // Ready: either it must open, or it is a bad file Poppler honestly opens.
    ASSERT_EQ(state, "ready");
    int expected_pages = PdfinfoPages(paths[i]);
    ASSERT_GT(expected_pages, 0) << "pdfinfo cannot open a file wenku published";
    EXPECT_EQ((*got)["pages"], expected_pages);
    nlohmann::json doc = Show(dir / "data", (*got)["id"]);
    ASSERT_EQ(doc["pages"].size(), static_cast<size_t>(expected_pages));
    if (m.kind == "normal-scanned") {
      // No text layer: the text is Tesseract's, marked as such, with the words on the page.
      std::string all;
      for (const auto& p : doc["pages"]) {
        EXPECT_EQ(p["text_source"], "ocr") << "page " << p["n"];
        all += p["text"].get<std::string>();
      }
      static const std::map<std::string, std::string> kWords = {
          {"zh-scan-book-8p.pdf", "商品"},
          {"en-scan-ocr-tika.pdf", "Happy New Year"},
          {"en-scan-article.pdf", "tumour"},
          {"zh-scan-magazine.pdf", "游乐园"},
          {"ru-scan-inspection-form-2p.pdf", "inspection"}};
      auto w = kWords.find(m.filename);
      ASSERT_NE(w, kWords.end()) << "no expected words for this scan";
      EXPECT_NE(all.find(w->second), std::string::npos) << all.substr(0, 300);
      continue;
    }
    std::vector<int> sample = {1, (expected_pages + 1) / 2, expected_pages};
    for (int k : sample) {
      EXPECT_EQ(WithoutSpace(doc["pages"][static_cast<size_t>(k - 1)]["text"]),
                WithoutSpace(PdftotextPage(paths[i], k)))
          << "page " << k;
    }
  }
  EXPECT_EQ(RunCommand({WenkuBinary(), "check", "--data", (dir / "data").string()}).status, 0);
  EXPECT_EQ(CountFiles(dir / "data" / "work"), 0u);
  EXPECT_EQ(CountFiles(dir / "data" / "tmp"), 0u);
}

}  // namespace
}  // namespace wenku::testing
