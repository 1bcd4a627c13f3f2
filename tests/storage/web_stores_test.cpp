// Accounts, sessions, comments, listings and deletion as the website uses them.
#include "storage/comment_store.hpp"
#include "storage/session_store.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class WebStoresTest : public BothBackendsTest {
 protected:
  DocumentId ReadyDoc(const std::string& sha, const std::string& category, int64_t pages = 3) {
    DocumentId id = NewDoc(sha);
    auto job = jobs_->Claim("w", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    PublishedPages result;
    for (int64_t n = 1; n <= pages; ++n)
      result.pages.push_back(Page{n, "p", TextSource::kLayer, 1, 1});
    result.preview_pages = 2;
    EXPECT_TRUE(documents_->Publish(id, (*job)->id, "w", result).ok());
    EXPECT_TRUE(db_->Exec("UPDATE documents SET category = ? WHERE id = ?", {category, id}).ok());
    return id;
  }
};
WENKU_ON_BOTH_BACKENDS(WebStoresTest);

TEST_P(WebStoresTest, UsersAreUniqueAndKeepTheirHash) {
  auto bob = users_->Create("bob", "user", "hash-1", "bob");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(users_->Create("bob", "user", "hash-2", "bob").error().code, ErrorCode::kConflict);
  EXPECT_EQ(*users_->PasswordHash(bob->id), "hash-1");
  ASSERT_TRUE(users_->SetPassword("bob", "hash-3", "moderator").ok());
  EXPECT_EQ(*users_->PasswordHash(bob->id), "hash-3");
  EXPECT_TRUE(users_->FindById(bob->id)->IsModerator());
  EXPECT_EQ(users_->SetPassword("nobody", "h", "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(users_->Create("eve", "root", "h", "eve").error().code, ErrorCode::kInvalidInput);
}

TEST_P(WebStoresTest, SessionsKeepWhenTheyWereMadeAndUsedAndCanBeDeleted) {
  SessionStore sessions(*db_, clock_);
  const int64_t t0 = clock_.NowMs();
  ASSERT_TRUE(sessions.Create("tokenhash", owner_, 1000).ok());
  auto found = sessions.Find("tokenhash");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user.name, "alice");
  EXPECT_EQ(found->created_at, t0);
  EXPECT_EQ(found->last_seen_at, t0);
  EXPECT_EQ(sessions.Find("other").error().code, ErrorCode::kNotFound);
  clock_.Advance(5000);
  ASSERT_TRUE(sessions.Touch("tokenhash", t0 + 5000).ok());
  EXPECT_EQ(sessions.Find("tokenhash")->last_seen_at, t0 + 5000);
  EXPECT_EQ(*sessions.DeleteExpired(t0 - 1, t0 + 4999), 0);
  EXPECT_EQ(*sessions.DeleteExpired(t0 - 1, t0 + 5000), 1);
  ASSERT_TRUE(sessions.Create("t2", owner_, 1000).ok());
  ASSERT_TRUE(sessions.Create("t3", owner_, 1000).ok());
  ASSERT_TRUE(sessions.Create("t4", owner_, 1000).ok());
  EXPECT_EQ(*sessions.DeleteOthers(*db_, owner_, "t3"), 1 + 1);
  EXPECT_TRUE(sessions.Find("t3").ok());
  ASSERT_TRUE(sessions.Delete("t3").ok());
  EXPECT_FALSE(sessions.Find("t3").ok());
}

TEST_P(WebStoresTest, CommentsAreNewestFirstAndCounted) {
  CommentStore comments(*db_, clock_);
  DocumentId id = ReadyDoc("aa", "education");
  ASSERT_TRUE(comments.Create(id, owner_, "第一条").ok());
  clock_.Advance(10);
  auto second = comments.Create(id, owner_, "第二条");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->user_name, "alice");
  auto list = comments.List(id, 10, 0);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].text, "第二条");
  EXPECT_EQ(*comments.Count(id), 2);
  EXPECT_EQ(*comments.CountSince(owner_, clock_.NowMs() - 5), 1);
  EXPECT_EQ(comments.Create(9999, owner_, "x").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(comments.Delete(second->id).ok());
  EXPECT_EQ(*comments.Count(id), 1);
}

TEST_P(WebStoresTest, CommentsBeyondTheRateLimitAreRefused) {
  CommentStore comments(*db_, clock_);
  DocumentId id = ReadyDoc("aa", "education");
  const int64_t since = clock_.NowMs();
  ASSERT_TRUE(comments.CreateLimited(id, owner_, "一", 2, since).ok());
  ASSERT_TRUE(comments.CreateLimited(id, owner_, "二", 2, since).ok());
  EXPECT_EQ(comments.CreateLimited(id, owner_, "三", 2, since).error().code,
            ErrorCode::kRateLimited);
  EXPECT_EQ(comments.CreateLimited(9999, owner_, "x", 2, since).error().code, ErrorCode::kNotFound);
  clock_.Advance(10);
  EXPECT_TRUE(comments.CreateLimited(id, owner_, "四", 2, clock_.NowMs()).ok());
  EXPECT_EQ(*comments.Count(id), 3);
}

TEST_P(WebStoresTest, ListingsShowReadyDocumentsByCategoryAndPopularity) {
  DocumentId a = ReadyDoc("aa", "education");
  clock_.Advance(10);
  DocumentId b = ReadyDoc("bb", "law");
  NewDoc("cc");  // still queued: not listed
  ASSERT_TRUE(documents_->AddViews({{a, 5}}).ok());
  Browse latest;
  auto docs = documents_->List(latest);
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].id, b);
  Browse popular;
  popular.sort = Browse::Sort::kPopular;
  EXPECT_EQ((*documents_->List(popular))[0].id, a);
  Browse law;
  law.category = "law";
  EXPECT_EQ(*documents_->Count(law), 1);
  Browse mine;
  mine.owner = owner_;
  mine.include_unready = true;
  EXPECT_EQ(*documents_->Count(mine), 3);
  auto counts = documents_->CategoryCounts();
  ASSERT_EQ(counts->size(), 2u);
  ASSERT_TRUE(documents_->CountDownload(b).ok());
  EXPECT_EQ(documents_->Find(b)->downloads, 1);
  EXPECT_EQ(documents_->Find(a)->views, 5);
  EXPECT_EQ(*documents_->ReadyIdsAfter(0, 10), (std::vector<DocumentId>{a, b}));
  EXPECT_EQ(*documents_->ReadyIdsAfter(a, 10), (std::vector<DocumentId>{b}));
  EXPECT_EQ(*documents_->CountReady(), 2);
}

TEST_P(WebStoresTest, DeleteRemovesRowsAndReportsAnUnusedBlob) {
  CommentStore comments(*db_, clock_);
  DocumentId id = ReadyDoc("aa", "education");
  ASSERT_TRUE(comments.Create(id, owner_, "x").ok());
  auto deleted = documents_->Delete(id);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->unreferenced_blob, "aa");
  EXPECT_EQ(documents_->Find(id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM pages")->Int(0), 0);
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM comments")->Int(0), 0);
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM blobs")->Int(0), 0);
  EXPECT_EQ(documents_->Delete(id).error().code, ErrorCode::kNotFound);
  // Bytes another document still uses stay.
  auto bob = users_->Ensure("bob", "user", "bob");
  NewDocument same;
  same.owner_id = bob->id;
  same.blob_sha256 = "bb";
  same.size = 1;
  same.filename = "b";
  same.title = "b";
  DocumentId mine = NewDoc("bb");
  ASSERT_TRUE(documents_->Create(same).ok());
  EXPECT_EQ(documents_->Delete(mine)->unreferenced_blob, "");
}

}  // namespace
}  // namespace wenku::storage
