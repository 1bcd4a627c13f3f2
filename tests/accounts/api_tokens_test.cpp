// ApiTokens: the rules of API tokens (accounts/api_tokens.hpp) on a fake store and a fake
// clock — the secret's shape and that only its hash is kept, session-only creation, the name
// rule, the limits, own-only revocation, disabled accounts, and how often a use is written.
#include "accounts/api_tokens.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "core/files.hpp"
#include "support/fake_api_token_store.hpp"

namespace wenku::accounts {
namespace {

class ApiTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_.id = 1;
    alice_.name = "alice";
    alice_.role = "user";
    bob_.id = 2;
    bob_.name = "bob";
    bob_.role = "user";
    store_.AddUser(alice_);
    store_.AddUser(bob_);
  }
  FakeClock clock_;
  testing::FakeApiTokenStore store_;
  ApiTokens tokens_{store_, clock_};
  storage::User alice_, bob_;
};

TEST_F(ApiTokensTest, ASecretIsGivenOnceAndOnlyItsHashIsKept) {
  auto made = tokens_.Create(alice_, "  备份脚本 ", Proof::kSession);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_TRUE(made->secret.starts_with("wk_"));
  EXPECT_EQ(made->secret.size(), 3u + 64u);
  EXPECT_TRUE(LooksLikeApiToken(made->secret));
  EXPECT_EQ(made->row.name, "备份脚本");  // trimmed
  auto rows = store_.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, Sha256Hex(made->secret));
  EXPECT_EQ(rows[0].first.find(made->secret.substr(3)), std::string::npos);
  auto user = tokens_.UserForToken(made->secret);
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->user.name, "alice");
  EXPECT_EQ(user->token.id, made->row.id);
  EXPECT_NE(tokens_.Create(alice_, "second", Proof::kSession)->secret, made->secret);
}

TEST_F(ApiTokensTest, AnythingButAWellFormedTokenInForceIsRefused) {
  auto made = tokens_.Create(alice_, "ci", Proof::kSession);
  ASSERT_TRUE(made.ok());
  // A session token (64 hex digits, no prefix) is not an API token.
  EXPECT_FALSE(tokens_.UserForToken(made->secret.substr(3)).has_value());
  EXPECT_FALSE(tokens_.UserForToken("").has_value());
  EXPECT_FALSE(tokens_.UserForToken("wk_" + std::string(64, 'g')).has_value());
  EXPECT_FALSE(tokens_.UserForToken("wk_" + std::string(64, '0')).has_value());  // unknown
  std::string upper = made->secret;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(tokens_.UserForToken(upper).has_value());
}

TEST_F(ApiTokensTest, OnlyALogInSessionMakesTokens) {
  auto made = tokens_.Create(alice_, "ci", Proof::kApiToken);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(made.error().message, "token_needs_session");
  EXPECT_TRUE(store_.rows().empty());
}

TEST_F(ApiTokensTest, NamesHaveOneToFortyCharactersWithoutControls) {
  const struct {
    std::string name;
    bool ok;
  } cases[] = {
      {"laptop", true},
      {std::string(40, 'a'), true},
      {std::string(41, 'a'), false},
      {[] {
         std::string s;
         for (int i = 0; i < 40; ++i) s += "字";
         return s;
       }(),
       true},  // 40 characters, 120 bytes
      {"", false},
      {"   ", false},
      {"\u3000", false},
      {"ab\ncd", false},
      {"ab\tcd", false},
      {"evil\u202Etxt", false},
      {"\xff\xfe", false},
      {std::string(10'000, 'a'), false},
  };
  for (const auto& c : cases) {
    auto made = tokens_.Create(alice_, c.name, Proof::kSession);
    EXPECT_EQ(made.ok(), c.ok) << c.name.substr(0, 50);
    if (!made.ok()) {
      EXPECT_EQ(made.error().message, "token_name_invalid");
    }
  }
  // "é" typed as e + combining accent is stored in NFC.
  EXPECT_EQ(tokens_.Create(alice_, "cafe\u0301", Proof::kSession)->row.name, "caf\u00e9");
}

TEST_F(ApiTokensTest, AtMostTenInForceAndTwentyMadeADay) {
  for (int i = 0; i < kMaxActiveApiTokens; ++i) {
    ASSERT_TRUE(tokens_.Create(alice_, "t" + std::to_string(i), Proof::kSession).ok());
  }
  auto over = tokens_.Create(alice_, "one more", Proof::kSession);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_EQ(over.error().message, "too_many_tokens");
  EXPECT_TRUE(tokens_.Create(bob_, "bob's", Proof::kSession).ok());  // per user
  // Revoking makes room, but a day's count includes revoked tokens.
  for (int i = 0; i <= kMaxApiTokensPerDay - kMaxActiveApiTokens; ++i) {
    const auto list = tokens_.List(alice_);
    ASSERT_TRUE(tokens_.Revoke(alice_, list->front().id).ok());
    auto made = tokens_.Create(alice_, "again", Proof::kSession);
    if (i + kMaxActiveApiTokens < kMaxApiTokensPerDay) {
      ASSERT_TRUE(made.ok()) << i;
    } else {
      ASSERT_FALSE(made.ok());
      EXPECT_EQ(made.error().code, ErrorCode::kRateLimited);
      EXPECT_EQ(made.error().message, "too_many_tokens_today");
    }
  }
  EXPECT_EQ(tokens_.List(alice_)->size(), static_cast<size_t>(kMaxActiveApiTokens - 1));
  clock_.Advance(24LL * 3600 * 1000 + 1);
  EXPECT_TRUE(tokens_.Create(alice_, "tomorrow", Proof::kSession).ok());
}

TEST_F(ApiTokensTest, ListsNewestFirstWithoutRevokedOnesOrOthersTokens) {
  auto a = tokens_.Create(alice_, "first", Proof::kSession);
  clock_.Advance(1000);
  auto b = tokens_.Create(alice_, "second", Proof::kSession);
  auto c = tokens_.Create(bob_, "bob's", Proof::kSession);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto list = tokens_.List(alice_);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "second");
  EXPECT_EQ((*list)[1].name, "first");
  ASSERT_TRUE(tokens_.Revoke(alice_, a->row.id).ok());
  ASSERT_EQ(tokens_.List(alice_)->size(), 1u);
}

TEST_F(ApiTokensTest, OnlyItsOwnerRevokesATokenAndARevokedTokenIsRefused) {
  auto mine = tokens_.Create(alice_, "mine", Proof::kSession);
  ASSERT_TRUE(mine.ok());
  Status by_bob = tokens_.Revoke(bob_, mine->row.id);
  ASSERT_FALSE(by_bob.ok());
  EXPECT_EQ(by_bob.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(by_bob.error().message, "token_not_found");
  EXPECT_TRUE(tokens_.UserForToken(mine->secret).has_value());
  ASSERT_TRUE(tokens_.Revoke(alice_, mine->row.id).ok());
  EXPECT_FALSE(tokens_.UserForToken(mine->secret).has_value());
  EXPECT_EQ(tokens_.Revoke(alice_, mine->row.id).error().message, "token_not_found");  // twice
  EXPECT_EQ(tokens_.Revoke(alice_, 999).error().message, "token_not_found");
}

TEST_F(ApiTokensTest, ADisabledAccountsTokensAreRefusedWhileItIsDisabled) {
  auto made = tokens_.Create(alice_, "ci", Proof::kSession);
  ASSERT_TRUE(made.ok());
  store_.Disable(alice_.id, clock_.NowMs());
  EXPECT_FALSE(tokens_.UserForToken(made->secret).has_value());
  store_.Enable(alice_.id);
  EXPECT_TRUE(tokens_.UserForToken(made->secret).has_value());
}

TEST_F(ApiTokensTest, TheOperatorsResetRevokesEveryTokenOfTheAccount) {
  auto a = tokens_.Create(alice_, "a", Proof::kSession);
  auto b = tokens_.Create(alice_, "b", Proof::kSession);
  auto c = tokens_.Create(bob_, "c", Proof::kSession);
  EXPECT_EQ(*tokens_.RevokeAll(alice_.id), 2);
  EXPECT_FALSE(tokens_.UserForToken(a->secret).has_value());
  EXPECT_FALSE(tokens_.UserForToken(b->secret).has_value());
  EXPECT_TRUE(tokens_.UserForToken(c->secret).has_value());
}

TEST_F(ApiTokensTest, AUseIsWrittenAtMostOnceAMinute) {
  auto made = tokens_.Create(alice_, "ci", Proof::kSession);
  const int64_t t0 = clock_.NowMs();
  EXPECT_EQ(tokens_.UserForToken(made->secret)->token.last_used_at, t0);
  EXPECT_EQ(store_.touches, 1);
  clock_.Advance(kApiTokenTouchEveryMs - 1);
  EXPECT_EQ(tokens_.UserForToken(made->secret)->token.last_used_at, t0);
  EXPECT_EQ(store_.touches, 1);
  clock_.Advance(1);
  EXPECT_EQ(tokens_.UserForToken(made->secret)->token.last_used_at, t0 + kApiTokenTouchEveryMs);
  EXPECT_EQ(store_.touches, 2);
  EXPECT_EQ(tokens_.List(alice_)->front().last_used_at, t0 + kApiTokenTouchEveryMs);
}

}  // namespace
}  // namespace wenku::accounts
