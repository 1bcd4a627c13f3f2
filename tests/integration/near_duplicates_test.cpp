// Near-duplicates through the real `wenku import` (the real converters, the fingerprint and
// publish stages): one text made into TXT, GBK TXT, Big5 TXT (traditional characters), DOCX,
// RTF and PDF clusters; a second edition by another user is published and recorded; an
// unrelated text is not; and once one copy is taken down for copyright, another user's copy
// in another format is refused with the reason. The corpus's 孙子兵法 in four encodings
// (GBK, Big5, HZ, UTF-8) is measured too when ../shared/corpus is present.
#include <gtest/gtest.h>
#include <opencc/opencc.h>

#include <fstream>
#include <iostream>
#include <map>

#include "core/clock.hpp"
#include "core/text_fold.hpp"
#include "integration/integration_support.hpp"
#include "library/fingerprint.hpp"
#include "storage/fingerprint_store.hpp"
#include "support/passages.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

bool MakeFormat(const std::string& kind, const fs::path& in, const fs::path& out) {
  return RunCommand({"python3",
                     std::string(WENKU_SOURCE_DIR) + "/tests/integration/make_formats.py", kind,
                     in.string(), out.string()})
             .status == 0;
}

std::string ToTraditional(const std::string& text) {
  opencc_t cc = opencc_open("/usr/share/opencc/s2t.json");
  if (cc == reinterpret_cast<opencc_t>(-1)) return text;
  char* out = opencc_convert_utf8(cc, text.data(), text.size());
  std::string result(out);
  opencc_convert_utf8_free(out);
  opencc_close(cc);
  return result;
}

// The signatures stored in a data folder, by document id.
class Signatures {
 public:
  explicit Signatures(const fs::path& data) {
    auto db = storage::OpenSqlite((data / "wenku.db").string());
    EXPECT_TRUE(db.ok());
    db_ = std::move(db).value();
    store_ = std::make_unique<storage::FingerprintStore>(*db_, clock_);
  }
  std::optional<library::Signature> Of(int64_t id) {
    auto hex = store_->SignatureOf(id);
    return hex.ok() ? library::DecodeSignature(*hex) : std::nullopt;
  }
  double Similarity(int64_t a, int64_t b) {
    auto sa = Of(a), sb = Of(b);
    EXPECT_TRUE(sa && sb) << a << " or " << b << " has no signature";
    return sa && sb ? library::Similarity(*sa, *sb) : 0;
  }
  storage::FingerprintStore& store() { return *store_; }
  storage::Database& db() { return *db_; }

 private:
  SystemClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::FingerprintStore> store_;
};

int64_t IdOf(const ImportRun& run, const fs::path& path) {
  const nlohmann::json* row = run.Find(path.string());
  EXPECT_NE(row, nullptr) << path;
  if (row == nullptr) return 0;
  EXPECT_EQ((*row)["state"], "ready") << path << ": " << FailureReason(*row);
  return (*row)["id"].get<int64_t>();
}

TEST(IntegrationNearDuplicatesTest, OneTextInEveryFormatClustersAndCopiesAreJudged) {
  TempDir dir;
  const fs::path data = dir / "data";
  std::vector<std::string> lines;
  for (const char* name : {"zh-exam-notice", "en-backup", "zh-printing"}) {
    for (const auto& l : PassageNamed(name).lines) lines.push_back(l);
  }
  std::string text;
  for (const auto& l : lines) text += (text.empty() ? "" : "\n") + l;

  // One text, six ways.
  std::map<std::string, fs::path> files = {
      {"txt", dir / "text.txt"},   {"gbk", dir / "text-gbk.txt"}, {"big5", dir / "text-big5.txt"},
      {"docx", dir / "text.docx"}, {"rtf", dir / "text.rtf"},     {"pdf", dir / "text.pdf"}};
  WriteFile(files["txt"], text);
  WriteFile(dir / "traditional.txt", ToTraditional(text));
  ASSERT_TRUE(MakeFormat("gbk", files["txt"], files["gbk"]));
  ASSERT_TRUE(MakeFormat("big5", dir / "traditional.txt", files["big5"]));
  ASSERT_TRUE(MakeFormat("docx", files["txt"], files["docx"]));
  ASSERT_TRUE(MakeFormat("rtf", files["txt"], files["rtf"]));
  std::vector<std::string> wrapped = Wrap(text, 60);  // a PDF's layout: its own line breaks
  std::vector<std::vector<std::string>> pages;
  for (size_t i = 0; i < wrapped.size(); i += 30) {  // 30 lines fit an A4 page at 24 pt
    pages.emplace_back(wrapped.begin() + static_cast<long>(i),
                       wrapped.begin() + static_cast<long>(std::min(i + 30, wrapped.size())));
  }
  ASSERT_TRUE(MakePdf(files["pdf"], pages));

  // Alice uploads all six, one after the other (one worker: each sees the ones before).
  const std::vector<std::string> order = {"txt", "gbk", "big5", "docx", "rtf", "pdf"};
  std::vector<std::string> paths;
  for (const auto& f : order) paths.push_back(files[f].string());
  ImportRun alice = Import(data, paths, {"--owner", "alice"}, {"WENKU_INGEST_WORKERS=1"});
  ASSERT_EQ(alice.status, 0);
  std::map<std::string, int64_t> id;
  for (const auto& f : order) id[f] = IdOf(alice, files[f]);

  Signatures sig(data);
  double least = 1;
  std::string report;
  for (const auto& f : order) {
    double s = sig.Similarity(id["txt"], id[f]);
    report += " " + f + " " + std::to_string(s).substr(0, 5);
    EXPECT_GE(s, 0.9) << f;
    for (const auto& g : order) least = std::min(least, sig.Similarity(id[f], id[g]));
  }
  std::cout << "[measure] one text as each format, similarity to the UTF-8 TXT:" << report
            << "; least of any pair " << least << "\n";
  EXPECT_GE(least, 0.9);
  // Her own uploads are linked to each other, never flagged.
  for (size_t k = 0; k < order.size(); ++k) {
    auto matches = sig.store().Matches(id[order[k]]);
    ASSERT_TRUE(matches.ok());
    size_t earlier = 0;
    for (const auto& m : *matches) {
      EXPECT_TRUE(m.same_owner) << order[k];
      earlier += m.document_id == id[order[k]] ? 1 : 0;
    }
    EXPECT_EQ(earlier, k) << order[k] << " should be linked to each upload before it";
  }

  // Bob uploads a second edition (a tenth of the lines edited) as DOCX, and an unrelated text.
  std::string edition;
  for (const auto& l : EditEveryTenthLine(lines)) edition += (edition.empty() ? "" : "\n") + l;
  WriteFile(dir / "edition.txt", edition);
  ASSERT_TRUE(MakeFormat("docx", dir / "edition.txt", dir / "edition.docx"));
  std::string unrelated = PassageNamed("zh-tea").Text() + "\n" + PassageNamed("en-wetland").Text() +
                          "\n" + PassageNamed("zh-lease").Text();
  WriteFile(dir / "unrelated.txt", unrelated);
  ImportRun bob = Import(data, {(dir / "edition.docx").string(), (dir / "unrelated.txt").string()},
                         {"--owner", "bob"}, {"WENKU_INGEST_WORKERS=1"});
  int64_t edition_id = IdOf(bob, dir / "edition.docx");
  int64_t unrelated_id = IdOf(bob, dir / "unrelated.txt");
  double edited = sig.Similarity(id["txt"], edition_id);
  double apart = 0;
  for (const auto& f : order) apart = std::max(apart, sig.Similarity(id[f], unrelated_id));
  std::cout << "[measure] second edition (every tenth line edited) as DOCX: " << edited
            << "; unrelated text, most similar: " << apart << "\n";
  EXPECT_GE(edited, 0.8);
  EXPECT_LT(apart, 0.3);
  auto flagged = sig.store().Matches(edition_id).value();
  ASSERT_EQ(flagged.size(), order.size());  // against each of alice's six
  for (const auto& m : flagged) {
    EXPECT_FALSE(m.same_owner);
    EXPECT_EQ(m.document_id, edition_id);
    EXPECT_GE(m.similarity, 85);
  }
  EXPECT_TRUE(sig.store().Matches(unrelated_id)->empty());

  // Alice's PDF is taken down for copyright; carol's copy as RTF is refused, naming it. (The
  // other five are still up, but a match of removed content is refused whoever has a copy.)
  ASSERT_TRUE(sig.db()
                  .Exec("UPDATE documents SET state = 'taken_down', removal_reason = 'copyright' "
                        "WHERE id = ?",
                        {id["pdf"]})
                  .ok());
  ImportRun carol = Import(data, {files["rtf"].string()}, {"--owner", "carol"});
  EXPECT_NE(carol.status, 0);
  ASSERT_EQ(carol.rows.size(), 1u);
  EXPECT_EQ(carol.rows[0]["state"], "failed");
  std::string reason = FailureReason(carol.rows[0]);
  EXPECT_EQ(reason.rfind("This document matches document #" + std::to_string(id["pdf"]) +
                             ", which was taken down after a copyright complaint (",
                         0),
            0u)
      << reason;
  EXPECT_FALSE(sig.Of(carol.rows[0]["id"].get<int64_t>()).has_value());  // nothing registered
}

TEST(IntegrationNearDuplicatesTest, TheCorpusSunziInFourEncodingsClusters) {
  std::string corpus = CorpusDir();
  if (corpus.empty())
    GTEST_SKIP() << "../shared/corpus is absent: the 孙子兵法 encodings are not measured";
  TempDir dir;
  const std::vector<std::string> names = {"zh-sunzi-utf8.txt", "zh-sunzi-gbk.txt",
                                          "zh-sunzi-big5.txt", "zh-sunzi-hz.txt"};
  std::vector<std::string> paths;
  for (const auto& n : names) paths.push_back(corpus + "/" + n);
  ImportRun run = Import(dir / "data", paths, {"--owner", "alice"}, {"WENKU_INGEST_WORKERS=1"});
  Signatures sig(dir / "data");
  std::string report;
  for (size_t k = 1; k < names.size(); ++k) {
    double s = sig.Similarity(IdOf(run, paths[0]), IdOf(run, paths[k]));
    report += " " + names[k] + " " + std::to_string(s).substr(0, 5);
    EXPECT_GE(s, 0.9) << names[k];
  }
  std::cout << "[measure] corpus 孙子兵法, similarity to the UTF-8 file:" << report << "\n";
}

// Real documents that are not copies of each other: the corpus's text PDFs (their text by
// pdftotext) and UTF-8 texts, every pair compared. Two of them are about the same standard
// (GB/T 7714) and share its reference examples; none is a copy.
TEST(IntegrationNearDuplicatesTest, TheCorpusDocumentsStayApart) {
  std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: corpus pairs are not measured";
  auto fold = TextFold::Shared("/usr/share/opencc/t2s.json");
  ASSERT_TRUE(fold.ok());
  std::vector<std::pair<std::string, library::Signature>> signed_docs;
  for (const auto& row : ReadManifest(corpus)) {
    std::string text;
    if (row.format == "pdf" && row.kind == "normal") {
      text = RunCommand({"pdftotext", "-q", "-enc", "UTF-8", corpus + "/" + row.filename, "-"}).out;
    } else if (row.filename == "en-war-and-peace.txt" || row.filename == "zh-product-reviews.txt" ||
               row.filename == "zh-sunzi-utf8.txt" || row.filename == "mixed-udhr-multilang.txt") {
      std::ifstream in(corpus + "/" + row.filename, std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), {});
    } else {
      continue;
    }
    auto sig = library::SignatureOf(library::NormalizeForFingerprint(**fold, text));
    if (sig) signed_docs.emplace_back(row.filename, *sig);
  }
  ASSERT_GE(signed_docs.size(), 15u);
  double most = 0;
  std::string pair;
  for (size_t a = 0; a < signed_docs.size(); ++a) {
    for (size_t b = a + 1; b < signed_docs.size(); ++b) {
      double s = library::Similarity(signed_docs[a].second, signed_docs[b].second);
      if (s > most) most = s, pair = signed_docs[a].first + " / " + signed_docs[b].first;
      EXPECT_LT(s, 0.3) << signed_docs[a].first << " / " << signed_docs[b].first;
    }
  }
  std::cout << "[measure] corpus, " << signed_docs.size() << " documents: the most similar pair "
            << most << " (" << pair << ")\n";
}

}  // namespace
}  // namespace wenku::testing
