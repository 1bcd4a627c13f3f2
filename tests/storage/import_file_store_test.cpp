// ImportFileStore (what `wenku import` skips on a second run) and DocumentStore::FindMany
// (how it polls its documents in flight), on SQLite and PostgreSQL: a file is skipped only
// while its size AND mtime are the ones recorded and its document is still the owner's.
#include "storage/import_file_store.hpp"

#include <algorithm>

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class ImportFileStoreTest : public BothBackendsTest {
 protected:
  void SetUp() override {
    BothBackendsTest::SetUp();
    files_ = std::make_unique<ImportFileStore>(*db_, clock_);
  }
  void TearDown() override {
    files_.reset();
    BothBackendsTest::TearDown();
  }
  std::optional<DocumentId> Unchanged(const std::string& path, int64_t size, int64_t mtime,
                                      UserId owner = 0) {
    auto got = files_->Unchanged(owner ? owner : owner_, path, size, mtime);
    EXPECT_TRUE(got.ok()) << got.error().message;
    return got.ok() ? *got : std::nullopt;
  }
  std::unique_ptr<ImportFileStore> files_;
};
WENKU_ON_BOTH_BACKENDS(ImportFileStoreTest);

constexpr int64_t kMtime = 1'700'000'000'123'456'789;

TEST_P(ImportFileStoreTest, AFileIsUnchangedOnlyWithTheSameSizeAndMtime) {
  DocumentId doc = NewDoc("aaaa");
  const std::string path = "/archive/2019/期末.txt";
  EXPECT_EQ(Unchanged(path, 10, kMtime), std::nullopt) << "never recorded";
  ASSERT_TRUE(files_->Record(owner_, path, 10, kMtime, doc).ok());

  EXPECT_EQ(Unchanged(path, 10, kMtime), doc);
  EXPECT_EQ(Unchanged(path, 11, kMtime), std::nullopt) << "the size changed";
  EXPECT_EQ(Unchanged(path, 10, kMtime + 1), std::nullopt) << "touched (1 ns later)";
  EXPECT_EQ(Unchanged("/archive/2019/other.txt", 10, kMtime), std::nullopt);
  auto bob = users_->Ensure("bob", "user", "bob");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(Unchanged(path, 10, kMtime, bob->id), std::nullopt) << "another owner's import";

  auto row = files_->Find(owner_, path);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->document_id, doc);
  EXPECT_EQ((*row)->sha256, "aaaa") << "the document's blob";
  EXPECT_EQ((*row)->recorded_at, clock_.NowMs());
}

TEST_P(ImportFileStoreTest, RecordingAgainReplacesTheRow) {
  DocumentId first = NewDoc("aaaa");
  DocumentId second = NewDoc("bbbb");
  const std::string path = "/archive/notes.txt";
  ASSERT_TRUE(files_->Record(owner_, path, 10, kMtime, first).ok());
  // Edited: new bytes, a new document.
  ASSERT_TRUE(files_->Record(owner_, path, 12, kMtime + 5, second).ok());
  EXPECT_EQ(Unchanged(path, 10, kMtime), std::nullopt);
  EXPECT_EQ(Unchanged(path, 12, kMtime + 5), second);
  auto row = files_->Find(owner_, path);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->sha256, "bbbb");
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM import_files")->Int(0), 1);

  Status missing = files_->Record(owner_, "/archive/x.txt", 1, 1, second + 100);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(ImportFileStoreTest, ADeletedOrGivenAwayDocumentIsNotSkipped) {
  DocumentId deleted = NewDoc("aaaa");
  DocumentId given = NewDoc("bbbb");
  ASSERT_TRUE(files_->Record(owner_, "/a.txt", 10, kMtime, deleted).ok());
  ASSERT_TRUE(files_->Record(owner_, "/b.txt", 10, kMtime, given).ok());

  ASSERT_TRUE(documents_->Delete(deleted).ok());
  EXPECT_EQ(Unchanged("/a.txt", 10, kMtime), std::nullopt);
  auto row = files_->Find(owner_, "/a.txt");
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->has_value()) << "the row went with its document";

  auto bob = users_->Ensure("bob", "user", "bob");
  ASSERT_TRUE(bob.ok());
  ASSERT_TRUE(
      db_->Transaction([&](Sql& tx) { return documents_->SetOwner(tx, given, bob->id); }).ok());
  EXPECT_EQ(Unchanged("/b.txt", 10, kMtime), std::nullopt) << "bob's now: import it anew";
}

TEST_P(ImportFileStoreTest, APathThatIsNotUtf8IsKeptApart) {
  DocumentId a = NewDoc("aaaa");
  DocumentId b = NewDoc("bbbb");
  const std::string gbk = "/archive/\xc6\xda\xc4\xa9.txt";  // 期末 in GBK
  const std::string other = "/archive/\xc6\xda\xc4\xaa.txt";
  ASSERT_TRUE(files_->Record(owner_, gbk, 10, kMtime, a).ok());
  ASSERT_TRUE(files_->Record(owner_, other, 10, kMtime, b).ok());
  EXPECT_EQ(Unchanged(gbk, 10, kMtime), a);
  EXPECT_EQ(Unchanged(other, 10, kMtime), b);
}

TEST_P(ImportFileStoreTest, FindManyAnswersTheDocumentsThatExistInOneCall) {
  DocumentId a = NewDoc("aaaa");
  DocumentId b = NewDoc("bbbb");
  NewDoc("cccc");
  auto none = documents_->FindMany({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto found = documents_->FindMany({b, a, b + 1000});
  ASSERT_TRUE(found.ok()) << found.error().message;
  std::vector<DocumentId> ids;
  for (const auto& d : *found) {
    ids.push_back(d.id);
    EXPECT_EQ(d.state, DocState::kQueued);
    EXPECT_EQ(d.owner_name, "alice");
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<DocumentId>{a, b}));
}

}  // namespace
}  // namespace wenku::storage
