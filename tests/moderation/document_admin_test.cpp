// DocumentAdmin: a moderator's edit, retry and delete of any document, on a real SQLite file
// with a fake search index and an in-memory blob store. What is asserted is what the rows,
// the index and the audit log hold afterwards.
#include "moderation/document_admin.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/data_layout.hpp"
#include "points/points_fixture.hpp"
#include "support/fake_indexer.hpp"
#include "support/test_support.hpp"

namespace wenku::moderation {
namespace {

using wenku::testing::FakeIndexer;

class DocumentAdminTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    admin_ = std::make_unique<DocumentAdmin>(DocumentAdminDeps{
        *db_, *cases_, *documents_, *jobs_, index_, blobs_, derived_, *categories_, 3});
    mod_ = *users_->Ensure("mod", "moderator", "mod");
    bob_user_ = *users_->FindById(bob_);
  }

  DocumentId Stored(const std::string& text) {
    auto blob = blobs_.Put(text);
    storage::NewDocument d;
    d.owner_id = alice_;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(text.size());
    d.filename = "report 2024.pdf";
    d.title = "report";
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    return created->id;
  }

  DocumentId Ready(const std::string& text) {
    const DocumentId id = Stored(text);
    auto job = jobs_->Claim("w", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    storage::PublishedPages pages;
    pages.pages = {Page{1, "text", TextSource::kLayer, 595, 842}};
    pages.preview_pages = 1;
    EXPECT_TRUE(documents_->Publish(id, (*job)->id, "w", pages).ok());
    return id;
  }

  DocumentId Failed(const std::string& text) {
    const DocumentId id = Stored(text);
    auto job = jobs_->Claim("w", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    EXPECT_TRUE(
        documents_
            ->Fail(id, (*job)->id, "w", Error{ErrorCode::kUnsupportedType, "unsupported file type"})
            .ok());
    return id;
  }

  std::vector<std::string> AuditActions(DocumentId id) {
    std::vector<std::string> out;
    auto entries = cases_->AuditOfDocument(id);
    EXPECT_TRUE(entries.ok());
    if (!entries.ok()) return out;
    for (const auto& e : *entries) out.push_back(e.action + ":" + e.note);
    return out;
  }

  FakeIndexer index_;
  wenku::testing::MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  blob::FsDerivedStore derived_{layout_.derived(), layout_.tmp()};
  std::unique_ptr<DocumentAdmin> admin_;
  storage::User mod_, bob_user_;
};

TEST_F(DocumentAdminTest, AnEditMeetsTheUploadRulesAndIsRecorded) {
  const DocumentId id = Ready("one");
  const std::string too_long(library::kMaxTitle + 1, 'x');
  Status refused = admin_->Edit(&mod_, id, {too_long, "", "", 0}, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(refused.error().message.find("title"), std::string::npos);
  EXPECT_EQ(admin_->Edit(&mod_, id, {"t", "", "no-such-category", 0}, "").error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(admin_->Edit(&mod_, id, {"t", "", "", library::kMaxPrice + 1}, "").error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(admin_->Edit(&bob_user_, id, {"t", "", "", 0}, "").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(documents_->Find(id)->title, "report");
  EXPECT_TRUE(index_.replaced.empty());

  ASSERT_TRUE(admin_->Edit(&mod_, id, {"  新标题 ", "简介", "", 9}, "").ok());
  Document doc = *documents_->Find(id);
  EXPECT_EQ(doc.title, "新标题");  // trimmed, as at upload
  EXPECT_EQ(doc.description, "简介");
  EXPECT_EQ(doc.category, "other");  // "" is the default category, as at upload
  EXPECT_EQ(doc.price, 9);
  EXPECT_TRUE(index_.replaced.count(id));  // a ready document's search entry follows
  // A blank title is made from the file name, as at upload; the moderator's note is kept.
  ASSERT_TRUE(admin_->Edit(&mod_, id, {"", "简介", "other", 9}, "标题不当").ok());
  EXPECT_EQ(documents_->Find(id)->title, "report 2024");
  EXPECT_EQ(AuditActions(id), (std::vector<std::string>{"edit:title, description, category, price",
                                                        "edit:标题不当"}));
  EXPECT_EQ(admin_->Edit(&mod_, 9999, {"t", "", "", 0}, "").error().code, ErrorCode::kNotFound);
}

TEST_F(DocumentAdminTest, ARetryQueuesAFailedDocumentAgain) {
  const DocumentId ready = Ready("ok");
  const DocumentId failed = Failed("bad");
  EXPECT_EQ(admin_->Retry(&mod_, ready, "").error().code, ErrorCode::kConflict);
  EXPECT_EQ(admin_->Retry(&bob_user_, failed, "").error().code, ErrorCode::kForbidden);
  ASSERT_EQ(jobs_->Claim("w", 60'000)->has_value(), false);  // nothing to do

  ASSERT_TRUE(admin_->Retry(&mod_, failed, "转换器已修复").ok());
  Document doc = *documents_->Find(failed);
  EXPECT_EQ(doc.state, DocState::kQueued);
  EXPECT_EQ(doc.failure_reason, "");
  auto job = jobs_->Claim("w", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->document_id, failed);
  EXPECT_EQ((*job)->attempts, 1);  // fresh attempts
  EXPECT_EQ(AuditActions(failed), (std::vector<std::string>{"retry:转换器已修复"}));
  EXPECT_EQ(admin_->Retry(&mod_, failed, "").error().code, ErrorCode::kConflict);  // processing
}

TEST_F(DocumentAdminTest, AModeratorDeletesAnyDocumentWithANote) {
  const DocumentId id = Ready("theirs");
  EXPECT_EQ(admin_->Delete(&mod_, id, " ").error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(admin_->Delete(&bob_user_, id, "x").error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(documents_->Find(id).ok());

  ASSERT_TRUE(admin_->Delete(&mod_, id, "重复上传").ok());
  EXPECT_EQ(documents_->Find(id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(index_.removed.count(id));                                       // out of search
  EXPECT_EQ(AuditActions(id), (std::vector<std::string>{"delete:重复上传"}));  // kept
  EXPECT_EQ(admin_->Delete(&mod_, id, "again").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace wenku::moderation
