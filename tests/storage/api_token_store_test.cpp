// SqlApiTokenStore on SQLite: hashes only, the counts the rules check inside the insert's
// transaction, revoked and disabled accounts' tokens never found, own-only revocation.
#include "storage/api_token_store.hpp"

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class ApiTokenStoreTest : public BothBackendsTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = std::make_unique<SqlApiTokenStore>(*db_);
  }
  Result<ApiTokenRow> Add(UserId user, const std::string& hash, ApiTokenCounts* seen = nullptr) {
    return store_->Create(user, "name " + hash, hash, clock_.NowMs(), clock_.NowMs() - 1000,
                          [seen](const ApiTokenCounts& c) -> Status {
                            if (seen != nullptr) *seen = c;
                            return {};
                          });
  }
  std::unique_ptr<SqlApiTokenStore> store_;
};
WENKU_ON_BOTH_BACKENDS(ApiTokenStoreTest);

TEST_P(ApiTokenStoreTest, KeepsRowsAndFindsTokensInForceOfEnabledAccounts) {
  auto a = Add(owner_, "hash-a");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->name, "name hash-a");
  auto found = store_->FindActive("hash-a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user.name, "alice");
  EXPECT_EQ(found->token.id, a->id);
  EXPECT_EQ(found->token.last_used_at, 0);
  EXPECT_EQ(store_->FindActive("hash-b").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->Touch(a->id, 1234).ok());
  EXPECT_EQ(store_->FindActive("hash-a")->token.last_used_at, 1234);
  EXPECT_EQ(Add(owner_, "hash-a").error().code, ErrorCode::kConflict);  // a hash is unique

  // The account disabled: not found; enabled again: found.
  ASSERT_TRUE(users_->SetDisabled(*db_, owner_, clock_.NowMs(), "spam").ok());
  EXPECT_EQ(store_->FindActive("hash-a").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(users_->SetDisabled(*db_, owner_, 0, "").ok());
  EXPECT_TRUE(store_->FindActive("hash-a").ok());
}

TEST_P(ApiTokenStoreTest, CountsForTheCheckAndRefusesWhenTheCheckDoes) {
  auto bob = users_->Ensure("bob", "user", "bob");
  ASSERT_TRUE(bob.ok());
  ApiTokenCounts seen;
  ASSERT_TRUE(Add(owner_, "h1", &seen).ok());
  EXPECT_EQ(seen.active, 0);
  ASSERT_TRUE(Add(owner_, "h2", &seen).ok());
  ASSERT_TRUE(Add(bob->id, "hb", &seen).ok());
  EXPECT_EQ(seen.active, 0);  // bob's own
  ASSERT_TRUE(store_->Revoke(owner_, store_->FindActive("h1")->token.id, clock_.NowMs()).ok());
  clock_.Advance(5000);  // h1 and h2 were made before `since` now
  ASSERT_TRUE(Add(owner_, "h3", &seen).ok());
  EXPECT_EQ(seen.active, 1);
  EXPECT_EQ(seen.created_since, 0);
  ASSERT_TRUE(Add(owner_, "h4", &seen).ok());
  EXPECT_EQ(seen.active, 2);
  EXPECT_EQ(seen.created_since, 1);
  auto refused = store_->Create(owner_, "n", "h5", clock_.NowMs(), 0, [](const ApiTokenCounts&) {
    return Status(MakeError(ErrorCode::kConflict, "too_many_tokens"));
  });
  EXPECT_EQ(refused.error().message, "too_many_tokens");
  EXPECT_EQ(store_->FindActive("h5").error().code, ErrorCode::kNotFound);
}

TEST_P(ApiTokenStoreTest, RevokesOwnTokensOnlyAndListsThoseInForceNewestFirst) {
  auto bob = users_->Ensure("bob", "user", "bob");
  auto a = Add(owner_, "ha");
  clock_.Advance(10);
  auto b = Add(owner_, "hb");
  auto c = Add(bob->id, "hc");
  auto list = store_->ListActive(owner_);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, b->id);
  EXPECT_EQ((*list)[1].id, a->id);
  EXPECT_EQ(store_->Revoke(bob->id, a->id, 1).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->FindActive("ha").ok());
  ASSERT_TRUE(store_->Revoke(owner_, a->id, 1).ok());
  EXPECT_EQ(store_->Revoke(owner_, a->id, 2).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindActive("ha").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListActive(owner_)->size(), 1u);
  EXPECT_EQ(*store_->RevokeAll(owner_, 3), 1);
  EXPECT_TRUE(store_->ListActive(owner_)->empty());
  EXPECT_TRUE(store_->FindActive("hc").ok());
  auto stored = db_->QueryOne("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL");
  EXPECT_EQ(stored->Int(0), 2);  // revoked rows stay
}

}  // namespace
}  // namespace wenku::storage
