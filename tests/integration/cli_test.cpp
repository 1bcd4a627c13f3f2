// The wenku command line on PDFs the test makes: import, show, page-image, check.
#include <gtest/gtest.h>

#include "blob/blob_store.hpp"
#include "core/data_layout.hpp"
#include "core/files.hpp"
#include "integration/integration_support.hpp"
#include "storage/case_store.hpp"
#include "storage/migrations.hpp"
#include "storage/session_store.hpp"
#include "storage/settings_store.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> NumberedPages(int count, const std::string& word) {
  std::vector<std::vector<std::string>> pages;
  for (int n = 1; n <= count; ++n) {
    pages.push_back(
        {word + " 第" + std::to_string(n) + "页", "page " + std::to_string(n) + " of " + word});
  }
  return pages;
}

TEST(IntegrationCliTest, ImportShowAndDrawPagesOnDemand) {
  TempDir dir;
  ASSERT_TRUE(MakePdf(dir / "报告.pdf", NumberedPages(7, "教育宣传")));
  fs::path data = dir / "data";
  ImportRun run = Import(data, {(dir / "报告.pdf").string()});
  ASSERT_EQ(run.status, 0);
  ASSERT_EQ(run.rows.size(), 1u);
  const auto& row = run.rows[0];
  EXPECT_EQ(row["state"], "ready");
  EXPECT_EQ(row["pages"], 7);
  EXPECT_TRUE(row["failure_reason"].is_null());
  int64_t id = row["id"];

  nlohmann::json doc = Show(data, id);
  EXPECT_EQ(doc["title"], "报告");
  EXPECT_EQ(doc["state"], "ready");
  EXPECT_EQ(doc["format"], "pdf");
  EXPECT_EQ(doc["page_count"], 7);
  EXPECT_EQ(doc["preview_pages"], 5);
  ASSERT_EQ(doc["pages"].size(), 7u);
  for (int n = 1; n <= 7; ++n) {
    const auto& p = doc["pages"][static_cast<size_t>(n - 1)];
    EXPECT_EQ(p["n"], n);
    EXPECT_EQ(WithoutSpace(p["text"]),
              "教育宣传第" + std::to_string(n) + "页page" + std::to_string(n) + "of教育宣传");
    EXPECT_EQ(p["image"], "/d/" + std::to_string(id) + "/pages/" + std::to_string(n) + ".webp");
  }

  DataLayout layout(data);
  for (int n = 1; n <= 5; ++n) EXPECT_TRUE(fs::exists(layout.page_image(id, n))) << n;
  EXPECT_FALSE(fs::exists(layout.page_image(id, 6)));
  EXPECT_TRUE(fs::exists(layout.cover(id)));
  CommandResult page =
      RunCommand({WenkuBinary(), "page-image", "--data", data.string(), std::to_string(id), "6"});
  ASSERT_EQ(page.status, 0);
  EXPECT_EQ(page.out, "derived/" + std::to_string(id) + "/pages/0006.webp " +
                          std::to_string(fs::file_size(layout.page_image(id, 6))) + " bytes\n");
  EXPECT_GT(fs::file_size(layout.page_image(id, 6)), 1000u);
  EXPECT_NE(
      RunCommand({WenkuBinary(), "page-image", "--data", data.string(), std::to_string(id), "8"})
          .status,
      0);

  CommandResult text =
      RunCommand({WenkuBinary(), "show", "--data", data.string(), std::to_string(id)});
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("--- page 7 ---"), std::string::npos);
  EXPECT_EQ(RunCommand({WenkuBinary(), "check", "--data", data.string()}).status, 0);
}

TEST(IntegrationCliTest, FailedFilesSetTheExitStatusAndImportingAgainMakesNoDuplicate) {
  TempDir dir;
  ASSERT_TRUE(MakePdf(dir / "good.pdf", NumberedPages(2, "good")));
  ASSERT_TRUE(WriteFileAtomic(dir / "empty.pdf", "").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "notes.pdf",
                              std::string("\x00\x01\x02\x03\xfe\xfd\xfc\x80\x81\x82\x83\x84", 12))
                  .ok());
  fs::path data = dir / "data";
  std::vector<std::string> files = {(dir / "good.pdf").string(), (dir / "empty.pdf").string(),
                                    (dir / "notes.pdf").string(), (dir / "missing.pdf").string()};
  ImportRun run = Import(data, files);
  EXPECT_EQ(run.status, 1);
  ASSERT_EQ(run.rows.size(), 4u);
  EXPECT_EQ((*run.Find(files[0]))["state"], "ready");
  EXPECT_EQ((*run.Find(files[1]))["state"], "failed");
  EXPECT_NE((*run.Find(files[1]))["failure_reason"].get<std::string>().find("empty file"),
            std::string::npos);
  EXPECT_TRUE((*run.Find(files[1]))["id"].is_null());  // refused before storing (Submit)
  EXPECT_NE((*run.Find(files[2]))["failure_reason"].get<std::string>().find(
                "unsupported file type (detected: "),
            std::string::npos);
  EXPECT_EQ((*run.Find(files[3]))["failure_reason"], "no such file");
  EXPECT_TRUE((*run.Find(files[3]))["id"].is_null());

  ImportRun again = Import(data, {files[0]});
  EXPECT_EQ(again.status, 0);
  EXPECT_EQ(again.rows.at(0)["id"], (*run.Find(files[0]))["id"]);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents"), 2);
}

TEST(IntegrationCliTest, ImportKeepsTheSameRulesAsAnUpload) {
  // library::Submit: an unknown category or a price past the most is refused before
  // anything is stored; no category means "other".
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "notes.txt", "期末复习要点\n").ok());
  fs::path data = dir / "data";
  const std::string file = (dir / "notes.txt").string();
  ImportRun bad_category = Import(data, {file}, {"--category", "nope"});
  EXPECT_EQ(bad_category.status, 1);
  ASSERT_EQ(bad_category.rows.size(), 1u);
  EXPECT_TRUE(bad_category.rows[0]["id"].is_null());
  EXPECT_NE(FailureReason(bad_category.rows[0]).find("unknown category"), std::string::npos);
  ImportRun too_dear = Import(data, {file}, {"--price", "100001"});
  EXPECT_EQ(too_dear.status, 1);
  EXPECT_NE(FailureReason(too_dear.rows.at(0)).find("price"), std::string::npos);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents"), 0);
  ImportRun plain = Import(data, {file});
  ASSERT_EQ(plain.rows.size(), 1u);
  EXPECT_EQ(plain.rows[0]["state"], "ready") << FailureReason(plain.rows[0]);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents WHERE category = 'other'"), 1);
}

TEST(IntegrationCliTest, AGbkTextFileBecomesPagesWithItsOwnText) {
  TempDir dir;
  // GB18030 bytes of a Chinese paragraph, long enough to need two pages.
  std::string paragraph = "成华区教育局全力开创富有生机与活力的教育宣传工作新局面。";
  std::string utf8;
  for (int i = 0; i < 120; ++i) utf8 += std::to_string(i + 1) + "、" + paragraph + "\n";
  CommandResult gbk =
      RunCommand({"sh", "-c", "printf '%s' \"$0\" | iconv -f UTF-8 -t GB18030 > \"$1\"", utf8,
                  (dir / "宣传总结.txt").string()});
  ASSERT_EQ(gbk.status, 0);
  fs::path data = dir / "data";
  ImportRun run = Import(data, {(dir / "宣传总结.txt").string()});
  ASSERT_EQ(run.status, 0);
  const auto& row = run.rows.at(0);
  EXPECT_EQ(row["state"], "ready");
  ASSERT_GE(row["pages"].get<int>(), 2);
  nlohmann::json doc = Show(data, row["id"]);
  EXPECT_EQ(doc["format"], "txt");
  EXPECT_EQ(doc["mime_type"], "text/plain; charset=GB18030");
  std::string all;
  for (const auto& p : doc["pages"]) all += p["text"].get<std::string>() + "\n";
  EXPECT_EQ(WithoutSpace(all), WithoutSpace(utf8));  // every character, once, in order
  EXPECT_NE(doc["pages"][0]["text"].get<std::string>().find("1、成华区"), std::string::npos);
  EXPECT_EQ(doc["pages"][0]["text"].get<std::string>().find("120、"), std::string::npos);
  // Later pages are drawn on request from the kept PDF.
  DataLayout layout(data);
  int64_t id = row["id"];
  EXPECT_TRUE(fs::exists(layout.normalized_pdf(id)));
  EXPECT_EQ(
      RunCommand({WenkuBinary(), "page-image", "--data", data.string(), std::to_string(id), "2"})
          .status,
      0);
}

TEST(IntegrationCliTest, FingerprintSignsDocumentsPublishedWithoutASignature) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += std::to_string(i) + "、成华区教育局全力开创富有生机与活力的教育宣传工作新局面。\n";
  }
  ASSERT_TRUE(WriteFileAtomic(dir / "a.txt", text).ok());
  fs::path data = dir / "data";
  ASSERT_EQ(Import(data, {(dir / "a.txt").string()}).status, 0);
  std::string db = DataLayout(data).database().string();
  auto count = [&] {
    return RunCommand({"sqlite3", db, "SELECT COUNT(*) FROM fingerprints WHERE signature <> ''"})
        .out;
  };
  ASSERT_EQ(count(), "1\n");  // ingest signed it
  // As a library from before migration 6: no signature.
  ASSERT_EQ(RunCommand({"sqlite3", db, "DELETE FROM fingerprints"}).status, 0);
  ASSERT_EQ(count(), "0\n");
  CommandResult run = RunCommand({WenkuBinary(), "fingerprint", "--data", data.string()});
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("1 documents signed"), std::string::npos) << run.out;
  EXPECT_EQ(count(), "1\n");
  // Run again: nothing left to sign.
  run = RunCommand({WenkuBinary(), "fingerprint", "--data", data.string()});
  EXPECT_NE(run.out.find("0 documents signed"), std::string::npos) << run.out;
}

TEST(IntegrationCliTest, CheckFindsABlobMissingFromDisk) {
  TempDir dir;
  ASSERT_TRUE(MakePdf(dir / "a.pdf", NumberedPages(1, "a")));
  fs::path data = dir / "data";
  ImportRun run = Import(data, {(dir / "a.pdf").string()});
  ASSERT_EQ(run.status, 0);
  EXPECT_EQ(RunCommand({WenkuBinary(), "check", "--data", data.string()}).status, 0);
  fs::remove_all(data / "blobs");
  CommandResult check = RunCommand({WenkuBinary(), "check", "--data", data.string()});
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("missing on disk"), std::string::npos) << check.out;
}

// A claim's proof file is a blob with no blob row and no document: `wenku check --repair`
// once took it for an orphan and deleted it. It is kept, and its absence is reported.
TEST(IntegrationCliTest, CheckRepairKeepsTheProofFilesOfClaims) {
  TempDir dir;
  ASSERT_TRUE(MakePdf(dir / "a.pdf", NumberedPages(1, "a")));
  fs::path data = dir / "data";
  ImportRun run = Import(data, {(dir / "a.pdf").string()});
  ASSERT_EQ(run.status, 0);
  const int64_t doc = run.rows.at(0)["id"];
  std::string proof;
  {
    blob::FsBlobStore blobs(DataLayout(data).blobs(), DataLayout(data).tmp());
    auto ref = blobs.Put("%PDF-1.4 a certificate of copyright");
    ASSERT_TRUE(ref.ok());
    proof = ref->sha256;
    auto db = storage::OpenSqlite(DataLayout(data).database().string());
    ASSERT_TRUE(db.ok());
    SystemClock clock;
    storage::CaseStore cases(**db, clock);
    storage::Case claim;
    claim.type = storage::CaseType::kClaim;
    claim.document = doc;
    claim.reason = "copyright";
    claim.proof_sha256 = proof;
    ASSERT_TRUE((*db)
                    ->Transaction([&](storage::Sql& tx) -> Status {
                      auto opened = cases.Open(tx, claim);
                      if (!opened.ok()) return opened.error();
                      return {};
                    })
                    .ok());
  }
  fs::path file = DataLayout(data).blobs() / proof.substr(0, 2) / proof.substr(2, 2) / proof;
  ASSERT_TRUE(fs::exists(file));
  fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(1));  // old
  CommandResult check = RunCommand({WenkuBinary(), "check", "--repair", "--data", data.string()});
  EXPECT_EQ(check.out.find("removed orphan blob"), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("problem:"), std::string::npos) << check.out;
  EXPECT_TRUE(fs::exists(file)) << "the proof is kept";
  fs::remove(file);
  check = RunCommand({WenkuBinary(), "check", "--data", data.string()});
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("proof blob " + proof + " of a case is missing"), std::string::npos)
      << check.out;
}

TEST(IntegrationCliTest, UserAddCreatesAnAccountOrResetsItsPassword) {
  TempDir dir;
  fs::path data = dir / "data";
  CommandResult made = RunCommand(
      {WenkuBinary(), "user", "add", "版主", "--role", "moderator", "--data", data.string()});
  ASSERT_EQ(made.status, 0) << made.out;
  EXPECT_NE(made.out.find("created 版主 (role moderator)"), std::string::npos) << made.out;
  auto at = made.out.find("password: ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(made.out.substr(at + 10, 16).size(), 16u);
  EXPECT_EQ(QueryInt(data,
                     "SELECT COUNT(*) FROM users WHERE role = 'moderator' AND "
                     "password_hash LIKE '$argon2id$%'"),
            1);
  {  // 版主 is logged in twice
    auto db = storage::OpenSqlite(DataLayout(data).database().string());
    ASSERT_TRUE(db.ok());
    SystemClock clock;
    storage::UserStore users(**db, clock);
    storage::SessionStore sessions(**db, clock);
    auto mod = users.FindByName("版主");
    ASSERT_TRUE(mod.ok());
    ASSERT_TRUE(sessions.Create(std::string(64, 'a'), mod->id, 3600'000).ok());
    ASSERT_TRUE(sessions.Create(std::string(64, 'b'), mod->id, 3600'000).ok());
  }
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM sessions"), 2);
  CommandResult reset = RunCommand({WenkuBinary(), "user", "add", "版主", "--role", "admin",
                                    "--password", "a new password", "--data", data.string()});
  ASSERT_EQ(reset.status, 0) << reset.out;
  EXPECT_NE(reset.out.find("updated"), std::string::npos);
  EXPECT_EQ(reset.out.find("password:"), std::string::npos);  // given, so not printed
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM users WHERE role = 'admin'"), 1);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM sessions"), 0);  // a reset logs it out
  EXPECT_NE(RunCommand({WenkuBinary(), "user", "add", "x", "--data", data.string()}).status, 0);
  EXPECT_NE(RunCommand({WenkuBinary(), "user", "add", "bob", "--password", "short", "--data",
                        data.string()})
                .status,
            0);
}

TEST(IntegrationCliTest, SettingsComeFromFlagsOverEnvironment) {
  TempDir dir;
  CommandResult r = RunCommand(
      {WenkuBinary(), "config", "--data", (dir / "d").string(), "--set", "preview.pages=3"},
      {"WENKU_PREVIEW_PAGES=4", "WENKU_PREVIEW_WIDTH=900"});
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("preview.pages            3  (command line)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("preview.width            900  (environment WENKU_PREVIEW_WIDTH)"),
            std::string::npos)
      << r.out;
  CommandResult bad = RunCommand({WenkuBinary(), "config", "--set", "preview.pages=lots"});
  EXPECT_EQ(bad.status, 2);
}

TEST(IntegrationCliTest, ConfigShowsTheValuesAnAdminSavedInTheDatabase) {
  TempDir dir;
  const auto data = dir / "d";
  std::filesystem::create_directories(data);
  {
    auto db = storage::OpenSqlite(DataLayout(data).database().string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::Migrate(**db).ok());
    SystemClock clock;
    storage::SettingsStore store(**db, clock);
    ASSERT_TRUE(
        (*db)
            ->Transaction([&](storage::Sql& tx) { return store.Put(tx, "preview.pages", "2", 0); })
            .ok());
  }
  CommandResult r =
      RunCommand({WenkuBinary(), "config", "--data", data.string(), "--set", "preview.pages=3"});
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("preview.pages            2  (database; without it: 3  (command line))"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("web.threads              4  (default)\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wenku::testing
