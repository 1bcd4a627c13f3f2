// Accounts: the name and password rules, sign-up with its bonus as one unit of work,
// authentication and sessions, on a real SQLite file with a fake clock.
#include "accounts/accounts.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "accounts/password.hpp"
#include "points/points_fixture.hpp"
#include "storage/session_store.hpp"

namespace wenku::accounts {
namespace {

TEST(Passwords, UserNamesPasswordsAndHashes) {
  EXPECT_FALSE(CheckUserName("张三"));
  EXPECT_FALSE(CheckUserName("alice_01-x"));
  EXPECT_TRUE(CheckUserName("a"));
  EXPECT_TRUE(CheckUserName("has space"));
  EXPECT_TRUE(CheckUserName("<script>"));
  EXPECT_TRUE(CheckUserName(std::string(33, 'a')));
  EXPECT_TRUE(CheckUserName("\xff\xfe"));
  // Checked in NFC: "josé" with a combining accent is the precomposed name, and fine.
  EXPECT_EQ(NormalizeUserName("jose\u0301"), "jos\u00e9");
  EXPECT_FALSE(CheckUserName("jose\u0301"));
  // Bidi controls, other format characters (zero-width ones) and controls are refused.
  for (const char* bad : {"abc\u202Edef", "ab\u2066c", "ab\u200Fc", "ab\u061Cc", "ab\u200Bc",
                          "ab\u200Dc", "ab\uFEFFc", "ab\u0085c", "ab\tc"}) {
    EXPECT_EQ(CheckUserName(bad), "name_invalid") << bad;
  }
  EXPECT_TRUE(CheckPassword("short"));
  EXPECT_FALSE(CheckPassword("long enough"));
  std::string hash = HashPassword("long enough");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(hash, "long enough"));
  EXPECT_FALSE(VerifyPassword(hash, "long enougH"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_EQ(NewToken().size(), 64u);
  EXPECT_NE(NewToken(), NewToken());
}

class AccountsTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    sessions_ = std::make_unique<storage::SessionStore>(*db_, clock_);
    accounts_ = std::make_unique<Accounts>(*db_, *users_, *sessions_, *points_, 60'000);
  }
  std::unique_ptr<storage::SessionStore> sessions_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, RegisterMakesAnAccountWithItsSignupBonus) {
  auto dave = accounts_->Register("dave", "correct horse");
  ASSERT_TRUE(dave.ok()) << dave.error().message;
  EXPECT_EQ(dave->role, "user");
  EXPECT_EQ(Wallet(dave->id), 20);

  auto again = accounts_->Register("dave", "another password");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message, "name_taken");
  EXPECT_EQ(Wallet(dave->id), 20);
  ExpectLedgerHolds();

  EXPECT_EQ(accounts_->Register("x", "correct horse").error().message, "name_invalid");
  EXPECT_EQ(accounts_->Register("eve\u202E", "correct horse").error().message, "name_invalid");
  // A name is stored, looked up and logged in with in NFC, however it was typed.
  auto jose = accounts_->Register("jose\u0301", "correct horse");
  ASSERT_TRUE(jose.ok());
  EXPECT_EQ(jose->name, "jos\u00e9");
  EXPECT_EQ(accounts_->Register("jos\u00e9", "correct horse").error().message, "name_taken");
  EXPECT_TRUE(accounts_->Authenticate("jos\u00e9", "correct horse").ok());
  EXPECT_TRUE(accounts_->Authenticate("jose\u0301", "correct horse").ok());
  EXPECT_TRUE(accounts_->AddOrUpdate("jose\u0301", "moderator", "correct horse", nullptr).ok());
  EXPECT_EQ(users_->FindByName("jos\u00e9")->role, "moderator");
  EXPECT_EQ(accounts_->Register("erin", "short").error().message, "password_invalid");
  EXPECT_FALSE(users_->FindByName("erin").ok());
}

TEST_F(AccountsTest, AnAccountAndItsBonusAreOneUnitOfWork) {
  // The ledger refuses every new transaction: then no account may be left without its bonus.
  ASSERT_TRUE(db_->ExecScript("CREATE TRIGGER refuse_posts BEFORE INSERT ON ledger_transactions "
                              "BEGIN SELECT RAISE(ABORT, 'ledger closed'); END;")
                  .ok());
  auto frank = accounts_->Register("frank", "correct horse");
  ASSERT_FALSE(frank.ok());
  EXPECT_EQ(users_->FindByName("frank").error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(db_->ExecScript("DROP TRIGGER refuse_posts").ok());
  auto retried = accounts_->Register("frank", "correct horse");
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(Wallet(retried->id), 20);
  ExpectLedgerHolds();
}

TEST_F(AccountsTest, AuthenticateGivesOneAnswerForAWrongNameOrPassword) {
  ASSERT_TRUE(accounts_->Register("grace", "correct horse").ok());
  auto ok = accounts_->Authenticate("grace", "correct horse");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "grace");
  auto wrong_password = accounts_->Authenticate("grace", "correct horsE");
  auto wrong_name = accounts_->Authenticate("gracie", "correct horse");
  ASSERT_FALSE(wrong_password.ok());
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(wrong_password.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong_name.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong_password.error().message, wrong_name.error().message);
  // bob was made without a password (as `wenku import` makes owners): no password opens it.
  EXPECT_FALSE(accounts_->Authenticate("bob", "").ok());
}

TEST_F(AccountsTest, SessionsLastTheirTimeAndEndWhenAsked) {
  auto user = accounts_->Register("heidi", "correct horse");
  ASSERT_TRUE(user.ok());
  auto s1 = accounts_->OpenSession(*user);
  auto s2 = accounts_->OpenSession(*user);
  ASSERT_TRUE(s1.ok() && s2.ok());
  std::string hash;
  auto found = accounts_->UserForToken(s1->token, &hash);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "heidi");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_NE(hash, s1->token);  // only the hash is kept
  EXPECT_FALSE(accounts_->UserForToken("short", nullptr));
  EXPECT_FALSE(accounts_->UserForToken(std::string(64, '0'), nullptr));

  ASSERT_TRUE(accounts_->EndSession(hash).ok());
  EXPECT_FALSE(accounts_->UserForToken(s1->token, nullptr));
  EXPECT_TRUE(accounts_->UserForToken(s2->token, nullptr));
  clock_.Advance(60'001);
  EXPECT_FALSE(accounts_->UserForToken(s2->token, nullptr));
}

TEST_F(AccountsTest, TheOperatorAddsAccountsWithoutABonusAndResetsPasswords) {
  std::string generated;
  auto created = accounts_->AddOrUpdate("mod_ivan", "moderator", "", &generated);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(*created);
  EXPECT_EQ(generated.size(), 16u);
  auto ivan = accounts_->Authenticate("mod_ivan", generated);
  ASSERT_TRUE(ivan.ok());
  EXPECT_EQ(ivan->role, "moderator");
  EXPECT_EQ(Wallet(ivan->id), 0);

  auto updated = accounts_->AddOrUpdate("mod_ivan", "admin", "new password!", nullptr);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(*updated);
  EXPECT_FALSE(accounts_->Authenticate("mod_ivan", generated).ok());
  auto admin = accounts_->Authenticate("mod_ivan", "new password!");
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_EQ(admin->role, "admin");
  EXPECT_EQ(accounts_->AddOrUpdate("n", "user", "", nullptr).error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(accounts_->AddOrUpdate("judy", "root", "correct horse", nullptr).error().code,
            ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace wenku::accounts
