// library::Submit — the one way a file becomes a document (upload page, API, `wenku import`,
// archive members): the rules, what is stored, and that a refused file stores nothing.
// Real SQLite stores in a temp folder; the in-memory blob store.
#include "library/submit.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/files.hpp"
#include "core/text.hpp"
#include "library/categories.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::library {
namespace {

namespace fs = std::filesystem;
using wenku::testing::MemoryBlobStore;

class SubmitTest : public storage::StorageTest {
 protected:
  // A file holding `bytes`, named `name` in the test's folder.
  fs::path File(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    EXPECT_TRUE(WriteFileAtomic(p, bytes).ok());
    return p;
  }

  Submission Of(const fs::path& file, const std::string& filename) {
    Submission s;
    s.owner = owner_;
    s.file = file;
    s.filename = filename;
    return s;
  }

  Result<Submitted> Run(const Submission& s) {
    return Submit({blobs_, *documents_, *categories_, limits_}, s);
  }

  int64_t Count(const std::string& table) {
    auto row = db_->QueryOne("SELECT COUNT(*) FROM " + table);
    return row.ok() ? row->Int(0) : -1;
  }

  int64_t JobAttempts(DocumentId id) {
    auto row = db_->QueryOne("SELECT max_attempts FROM jobs WHERE document_id = ?", {id});
    return row.ok() ? row->Int(0) : -1;
  }

  MemoryBlobStore blobs_;
  SubmitLimits limits_{1000, 4};
};

TEST_F(SubmitTest, AFileBecomesAQueuedDocumentWithItsJob) {
  auto s = Of(File("a.bin", "%PDF-1.4 first"), "期末 复习.pdf");
  auto submitted = Run(s);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  EXPECT_FALSE(submitted->existed);
  auto doc = documents_->Find(submitted->id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->state, DocState::kQueued);
  EXPECT_EQ(doc->owner_id, owner_);
  EXPECT_EQ(doc->filename, "期末 复习.pdf");
  EXPECT_EQ(doc->title, "期末 复习");          // from the file name
  EXPECT_EQ(doc->category, kDefaultCategory);  // none chosen
  EXPECT_EQ(doc->price, 0);
  EXPECT_EQ(doc->size, 14);
  EXPECT_EQ(doc->parent_id, 0);
  EXPECT_TRUE(blobs_.Exists(doc->blob_sha256));
  EXPECT_EQ(JobAttempts(submitted->id), 4);
}

TEST_F(SubmitTest, TheFieldsAsGivenAndAnArchiveMember) {
  auto archive = Run(Of(File("a.zip", "PK archive"), "a.zip"));
  ASSERT_TRUE(archive.ok());
  auto s = Of(File("m.bin", "%PDF-1.4 member"), "dir/报告.pdf");
  s.title = "  期末考试  ";
  s.description = "说明";
  s.category = "exam";
  s.price = kMaxPrice;
  s.parent = archive->id;
  auto submitted = Run(s);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  auto doc = documents_->Find(submitted->id);
  EXPECT_EQ(doc->title, "期末考试");  // white space around it dropped
  EXPECT_EQ(doc->filename, "报告.pdf");
  EXPECT_EQ(doc->description, "说明");
  EXPECT_EQ(doc->category, "exam");
  EXPECT_EQ(doc->price, kMaxPrice);
  EXPECT_EQ(doc->parent_id, archive->id);
}

TEST_F(SubmitTest, TheSameBytesForTheSameOwnerAreTheSameDocument) {
  auto first = Run(Of(File("a.pdf", "%PDF-1.4 same"), "a.pdf"));
  auto again = Run(Of(File("b.pdf", "%PDF-1.4 same"), "b.pdf"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(Count("documents"), 1);
  EXPECT_EQ(Count("jobs"), 1);
  EXPECT_EQ(documents_->Find(first->id)->filename, "a.pdf");  // nothing changed
}

TEST_F(SubmitTest, EveryRuleRefusesAndNothingIsStored) {
  const fs::path ok = File("ok.pdf", "%PDF-1.4 fine");
  struct Case {
    const char* what;
    std::function<void(Submission&)> change;
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"a title of 201 characters", [](Submission& s) { s.title = std::string(201, 'x'); },
       ErrorCode::kInvalidInput},
      {"a title that is not UTF-8", [](Submission& s) { s.title = "\xff\xfe"; },
       ErrorCode::kInvalidInput},
      {"a description of 2001 characters",
       [](Submission& s) { s.description = std::string(2001, 'x'); }, ErrorCode::kInvalidInput},
      {"an unknown category", [](Submission& s) { s.category = "nope"; }, ErrorCode::kInvalidInput},
      {"a negative price", [](Submission& s) { s.price = -1; }, ErrorCode::kInvalidInput},
      {"a price above the most", [](Submission& s) { s.price = kMaxPrice + 1; },
       ErrorCode::kInvalidInput},
      {"no such file", [this](Submission& s) { s.file = dir_ / "missing.pdf"; },
       ErrorCode::kNotFound},
      {"a folder", [this](Submission& s) { s.file = dir_.path(); }, ErrorCode::kNotFound},
      {"an empty file", [this](Submission& s) { s.file = File("empty.pdf", ""); },
       ErrorCode::kEmptyFile},
      {"a file above the limit",
       [this](Submission& s) { s.file = File("big.pdf", std::string(1001, 'x')); },
       ErrorCode::kTooLarge},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Submission s = Of(ok, "ok.pdf");
    c.change(s);
    auto submitted = Run(s);
    ASSERT_FALSE(submitted.ok());
    EXPECT_EQ(submitted.error().code, c.code) << submitted.error().message;
    EXPECT_FALSE(submitted.error().message.empty());
  }
  EXPECT_EQ(Count("documents"), 0);
  EXPECT_EQ(Count("blobs"), 0);
  EXPECT_TRUE(blobs_.List().empty());
  // At the limits, accepted.
  Submission s = Of(File("max.pdf", std::string(1000, 'x')), "max.pdf");
  s.title = std::string(200, 'x');
  s.description = std::string(2000, 'x');
  EXPECT_TRUE(Run(s).ok());
}

TEST_F(SubmitTest, CheckFieldsNamesEachFieldThatBreaksARule) {
  Submission s;
  EXPECT_FALSE(CheckFields(s, *categories_).any());
  s.title = std::string(201, 'x');
  s.category = "nope";
  s.price = -5;
  s.description = std::string(2001, 'x');
  const FieldProblems p = CheckFields(s, *categories_);
  EXPECT_TRUE(p.title && p.category && p.price && p.description);
  s.title = "  " + std::string(200, 'x') + "  ";  // measured without the spaces around it
  EXPECT_FALSE(CheckFields(s, *categories_).title);
}

TEST_F(SubmitTest, NamesAreCleanedAndALongTitleFromTheNameIsCut) {
  auto s =
      Of(File("x.pdf", "%PDF-1.4 long"), "C:\\Users\\张三\\a\x01" + std::string(300, 'y') + ".pdf");
  auto submitted = Run(s);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  auto doc = documents_->Find(submitted->id);
  EXPECT_LE(doc->filename.size(), 255u);
  EXPECT_TRUE(doc->filename.starts_with("ayyy"));
  EXPECT_EQ(CodePointCount(doc->title), kMaxTitle);

  EXPECT_EQ(CleanFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanFileName("C:\\Users\\张三\\报告.docx"), "报告.docx");
  EXPECT_EQ(CleanFileName("a\nb\x01.pdf"), "ab.pdf");
  EXPECT_EQ(CleanFileName(".."), "upload");
  EXPECT_EQ(CleanFileName(""), "upload");
  EXPECT_EQ(CleanFileName("\xff.pdf"), "\xef\xbf\xbd.pdf");  // U+FFFD
  // Bidi controls would show "evil\u202Etxt.exe" as "evilexe.txt": they are dropped, as are
  // C1 controls; letters of any script and the joiner inside an emoji stay.
  EXPECT_EQ(CleanFileName("evil\u202Etxt.exe"), "eviltxt.exe");
  EXPECT_EQ(
      CleanFileName("\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069a\u200E\u200F\u061Cb.pdf"),
      "ab.pdf");
  EXPECT_EQ(CleanFileName("a\u0085b\u009F.pdf"), "ab.pdf");
  EXPECT_EQ(CleanFileName("تقرير.pdf"), "تقرير.pdf");
  EXPECT_EQ(CleanFileName("👩\u200D💻.txt"), "👩\u200D💻.txt");
  EXPECT_EQ(CleanFileName("\u202E"), "upload");
}

TEST_F(SubmitTest, RetriesAreAtLeastOneAndLimitsComeFromSettings) {
  limits_.max_attempts = 0;
  auto submitted = Run(Of(File("a.pdf", "%PDF-1.4 retries"), "a.pdf"));
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(JobAttempts(submitted->id), 1);

  const SubmitLimits from = SubmitLimitsFrom(
      Config::Defaults({{"ingest.max_file_mb", "7"}, {"ingest.max_attempts", "-2"}}));
  EXPECT_EQ(from.max_bytes, 7LL << 20);
  EXPECT_EQ(from.max_attempts, 1);
}

}  // namespace
}  // namespace wenku::library

namespace wenku::library {
namespace {

TEST_F(SubmitTest, AHiddenOrUnknownCategoryIsRefusedAndStoresNothing) {
  storage::User admin;
  admin.id = 1;
  admin.name = "root";
  admin.role = "admin";
  ASSERT_TRUE(categories_->SetHidden(&admin, "law", true).ok());
  for (const char* category : {"law", "nope"}) {
    Submission s = Of(File("a.pdf", "%PDF-1.4 a"), "a.pdf");
    s.category = category;
    auto r = Run(s);
    ASSERT_FALSE(r.ok()) << category;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_TRUE(CheckFields(s, *categories_).category);
  }
  EXPECT_EQ(Count("documents"), 0);
  Submission visible = Of(File("b.pdf", "%PDF-1.4 b"), "b.pdf");
  visible.category = "exam";
  EXPECT_TRUE(Run(visible).ok());
}

// The quotas (the website's uploads): documents and bytes in any 24 hours, documents waiting
// for conversion. A refusal stores nothing; archive members and quota-less submissions
// (imports, staff) do not count against or meet them.
TEST_F(SubmitTest, TheQuotaRefusesTheUploadPastItsDocumentsADay) {
  UploadQuota quota{2, 1000, 100};
  for (int i = 0; i < 2; ++i) {
    auto s = Of(File("q" + std::to_string(i), "%PDF-1.4 q" + std::to_string(i)), "q.pdf");
    s.quota = quota;
    ASSERT_TRUE(Run(s).ok()) << i;
  }
  auto third = Of(File("q2", "%PDF-1.4 q2"), "q.pdf");
  third.quota = quota;
  auto refused = Run(third);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(refused.error().message, "quota_documents");
  EXPECT_EQ(Count("documents"), 2);
  EXPECT_EQ(Count("blobs"), 2);  // nothing stored for the refused one

  // A member of an archive counts against the archive's budget, not the daily quota.
  auto member = Of(File("m", "%PDF-1.4 member"), "m.pdf");
  member.parent = 1;
  ASSERT_TRUE(Run(member).ok());

  clock_.Advance(24LL * 60 * 60 * 1000 + 1);  // a day later the place is free again
  auto next_day = Run(third);
  ASSERT_TRUE(next_day.ok()) << next_day.error().message;
}

TEST_F(SubmitTest, TheQuotaCountsBytesAndWaitingConversions) {
  auto big = Of(File("b1", "%PDF-1.4 " + std::string(20, 'x')), "b.pdf");
  big.quota = UploadQuota{10, 40, 100};
  ASSERT_TRUE(Run(big).ok());
  auto over = Of(File("b2", "%PDF-1.4 " + std::string(21, 'y')), "b.pdf");
  over.quota = big.quota;
  auto refused = Run(over);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "quota_bytes");

  auto waiting = Of(File("w", "%PDF-1.4 w"), "w.pdf");
  waiting.quota = UploadQuota{10, 1000, 1};  // one document still queued: b1
  refused = Run(waiting);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "quota_open_jobs");
  ASSERT_TRUE(db_->Exec("UPDATE documents SET state = 'ready'").ok());  // converted
  EXPECT_TRUE(Run(waiting).ok());

  auto no_quota = Of(File("n", "%PDF-1.4 n" + std::string(100, 'z')), "n.pdf");
  EXPECT_TRUE(Run(no_quota).ok());  // `wenku import`, staff: no quota
}

// The website asks the same rule before an upload's body is read (CheckUploadQuota).
TEST_F(SubmitTest, TheQuotaIsAskedBeforeTheFileArrives) {
  const Config config = Config::Defaults({{"upload.documents_per_day", "1"}});
  storage::User user;
  user.id = owner_;
  user.role = "user";
  EXPECT_TRUE(CheckUploadQuota(*documents_, user, config, 10).ok());
  auto first = Of(File("p1", "%PDF-1.4 p1"), "p.pdf");
  first.quota = QuotaFor(user, config);
  ASSERT_TRUE(Run(first).ok());
  Status refused = CheckUploadQuota(*documents_, user, config, 10);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "quota_documents");
  user.role = "moderator";  // staff: no quota
  EXPECT_TRUE(CheckUploadQuota(*documents_, user, config, 10).ok());
}

TEST(UploadQuota, ComesFromTheSettingsAndSparesModeratorsAndAdmins) {
  Config config = Config::Defaults(
      {{"upload.documents_per_day", "7"}, {"upload.mb_per_day", "3"}, {"upload.open_jobs", "4"}});
  storage::User user;
  user.role = "user";
  auto q = QuotaFor(user, config);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->documents_per_day, 7);
  EXPECT_EQ(q->bytes_per_day, 3 << 20);
  EXPECT_EQ(q->open_jobs, 4);
  for (const char* role : {"moderator", "admin"}) {
    user.role = role;
    EXPECT_FALSE(QuotaFor(user, config).has_value()) << role;
  }
  auto defaults = QuotaFor(storage::User{}, Config::Defaults());
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->documents_per_day, 50);
  EXPECT_EQ(defaults->bytes_per_day, int64_t{1} << 30);
  EXPECT_EQ(defaults->open_jobs, 20);
}

}  // namespace
}  // namespace wenku::library
