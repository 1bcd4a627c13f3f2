// library::Delete — who may delete a document, and the steps it owns: rows, index entry,
// derived files, and the original bytes when no other document uses them.
#include "library/delete.hpp"

#include <gtest/gtest.h>

#include "core/data_layout.hpp"
#include "core/files.hpp"
#include "storage/comment_store.hpp"
#include "storage/storage_fixture.hpp"
#include "support/fake_indexer.hpp"

namespace wenku::library {
namespace {

namespace fs = std::filesystem;

using wenku::testing::FakeIndexer;

class DeleteTest : public storage::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    auto mod = users_->Ensure("mod", "moderator", "mod");
    auto bob = users_->Ensure("bob", "user", "bob");
    auto alice = users_->FindById(owner_);
    ASSERT_TRUE(mod.ok() && bob.ok() && alice.ok());
    moderator_ = *mod;
    other_ = *bob;
    owner_user_ = *alice;
  }

  // A document of `owner` holding `bytes`, with a derived file and a comment.
  DocumentId Doc(UserId owner, const std::string& bytes) {
    auto blob = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = owner;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = "a.pdf";
    d.title = "a";
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    fs::create_directories(layout_.pages(created->id));
    EXPECT_TRUE(WriteFileAtomic(layout_.cover(created->id), "webp").ok());
    storage::CommentStore comments(*db_, clock_);
    EXPECT_TRUE(comments.Create(created->id, owner, "第一").ok());
    return created->id;
  }

  Status Run(Visitor who, DocumentId id) {
    return Delete({*documents_, index_, blobs_, derived_}, who, id);
  }

  wenku::testing::MemoryBlobStore blobs_;
  FakeIndexer index_;
  DataLayout layout_{dir_ / "data"};
  blob::FsDerivedStore derived_{layout_.derived(), layout_.tmp()};
  storage::User moderator_, other_, owner_user_;
};

TEST_F(DeleteTest, TheOwnerDeletesRowsIndexEntryDerivedFilesAndBytes) {
  DocumentId id = Doc(owner_, "%PDF-1.4 mine");
  const std::string sha = documents_->Find(id)->blob_sha256;
  ASSERT_TRUE(Run(&owner_user_, id).ok());
  EXPECT_EQ(documents_->Find(id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(index_.removed, std::set<DocumentId>{id});
  EXPECT_FALSE(fs::exists(layout_.derived(id)));
  EXPECT_FALSE(blobs_.Exists(sha));
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM comments")->Int(0), 0);
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM jobs")->Int(0), 0);
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM blobs")->Int(0), 0);
  // Twice: it is gone.
  EXPECT_EQ(Run(&owner_user_, id).error().code, ErrorCode::kNotFound);
}

TEST_F(DeleteTest, BytesAnotherDocumentUsesStay) {
  DocumentId mine = Doc(owner_, "%PDF-1.4 shared");
  DocumentId theirs = Doc(other_.id, "%PDF-1.4 shared");
  const std::string sha = documents_->Find(mine)->blob_sha256;
  ASSERT_TRUE(Run(&moderator_, mine).ok());  // a moderator may
  EXPECT_TRUE(blobs_.Exists(sha));
  EXPECT_TRUE(documents_->Find(theirs).ok());
  EXPECT_TRUE(fs::exists(layout_.cover(theirs)));
}

TEST_F(DeleteTest, OnlyItsOwnerOrAModeratorAndNothingChangesOtherwise) {
  DocumentId id = Doc(owner_, "%PDF-1.4 keep");
  EXPECT_EQ(Run(nullptr, id).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(Run(&other_, id).error().code, ErrorCode::kNotFound);  // queued: not theirs to see
  ASSERT_TRUE(db_->Exec("UPDATE documents SET state = 'ready' WHERE id = ?", {id}).ok());
  EXPECT_EQ(Run(&other_, id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Run(&other_, 999).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(documents_->Find(id).ok());
  EXPECT_TRUE(index_.removed.empty());
  EXPECT_TRUE(fs::exists(layout_.cover(id)));
  EXPECT_EQ(blobs_.List().size(), 1u);
}

TEST_F(DeleteTest, AnIndexThatCannotBeWrittenDoesNotStopTheDeletion) {
  DocumentId id = Doc(owner_, "%PDF-1.4 index");
  index_.fail = true;
  ASSERT_TRUE(Run(&owner_user_, id).ok());
  EXPECT_EQ(documents_->Find(id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(layout_.derived(id)));
  EXPECT_TRUE(blobs_.List().empty());
}

}  // namespace
}  // namespace wenku::library
