// Accounts: the name and password rules, sign-up with its bonus as one unit of work,
// authentication and sessions, on a real SQLite file with a fake clock.
#include "accounts/accounts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "accounts/password.hpp"
#include "accounts/user_names.hpp"
#include "core/files.hpp"
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
  std::string hash = HashPassword("long enough!");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(hash, "long enough!"));
  EXPECT_FALSE(VerifyPassword(hash, "long enougH!"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_EQ(NewToken().size(), 64u);
  EXPECT_NE(NewToken(), NewToken());
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Passwords, TwelveToTwoHundredFiftySixCharactersCountedAsCodePointsAfterNfc) {
  EXPECT_EQ(CheckPassword("abc"), "password_invalid");
  EXPECT_EQ(CheckPassword(""), "password_invalid");
  EXPECT_EQ(CheckPassword(std::string(11, 'a')), "password_invalid");
  EXPECT_FALSE(CheckPassword(std::string(12, 'a')));
  EXPECT_FALSE(CheckPassword(std::string(256, 'a')));
  EXPECT_EQ(CheckPassword(std::string(257, 'a')), "password_invalid");
  // Chinese: 3 bytes a character; counted as characters, not bytes.
  EXPECT_FALSE(CheckPassword(Repeat("密", 64)));                   // 192 bytes
  EXPECT_FALSE(CheckPassword(Repeat("密", 12)));                   // 36 bytes, 12 characters
  EXPECT_EQ(CheckPassword(Repeat("密", 11)), "password_invalid");  // 33 bytes
  EXPECT_FALSE(CheckPassword(Repeat("密", 256)));                  // 768 bytes
  EXPECT_EQ(CheckPassword(Repeat("密", 257)), "password_invalid");
  // "é" as e + combining acute is one character after NFC: 11 of them are too few.
  EXPECT_EQ(CheckPassword(Repeat("e\xcc\x81", 11)), "password_invalid");
  EXPECT_FALSE(CheckPassword(Repeat("e\xcc\x81", 12)));
  EXPECT_EQ(CheckPassword("\xff\xfe" + std::string(20, 'a')), "password_invalid");
}

class AccountsTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    sessions_ = std::make_unique<storage::SessionStore>(*db_, clock_);
    accounts_ = std::make_unique<Accounts>(*db_, *users_, *sessions_, *points_,
                                           accounts::SessionPolicy{}, clock_);
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
}

int64_t SessionCount(storage::Database& db) {
  return db.QueryOne("SELECT COUNT(*) FROM sessions", {})->Int(0);
}

int64_t LastSeen(storage::Database& db, const std::string& token) {
  return db.QueryOne("SELECT last_seen_at FROM sessions WHERE token_hash = ?", {Sha256Hex(token)})
      ->Int(0);
}

TEST_F(AccountsTest, AnUnusedSessionEndsAfterTheIdleTimeAndIsDeleted) {
  auto user = accounts_->Register("heidi", "correct horse");
  ASSERT_TRUE(user.ok());
  auto s = accounts_->OpenSession(*user);
  ASSERT_TRUE(s.ok());
  clock_.Advance(2 * 3600'000 - 1);  // one ms short of 120 minutes: still alive
  EXPECT_TRUE(accounts_->UserForToken(s->token, nullptr));
  clock_.Advance(2 * 3600'000);  // 2 h since that use
  EXPECT_FALSE(accounts_->UserForToken(s->token, nullptr));
  EXPECT_EQ(SessionCount(*db_), 0);
}

TEST_F(AccountsTest, UseRenewsASessionWritingAtMostOnceAMinute) {
  auto user = accounts_->Register("heidi", "correct horse");
  ASSERT_TRUE(user.ok());
  auto s = accounts_->OpenSession(*user);
  ASSERT_TRUE(s.ok());
  const int64_t opened = LastSeen(*db_, s->token);
  clock_.Advance(30'000);
  EXPECT_TRUE(accounts_->UserForToken(s->token, nullptr));
  EXPECT_EQ(LastSeen(*db_, s->token), opened);  // under a minute: not written
  clock_.Advance(30'000);
  EXPECT_TRUE(accounts_->UserForToken(s->token, nullptr));
  EXPECT_EQ(LastSeen(*db_, s->token), opened + 60'000);
  // Used every 100 minutes, it lives well past the idle time...
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(100 * 60'000);
    EXPECT_TRUE(accounts_->UserForToken(s->token, nullptr)) << i;
  }
}

TEST_F(AccountsTest, ASessionEndsAtTheAbsoluteLimitHoweverMuchItIsUsed) {
  auto user = accounts_->Register("heidi", "correct horse");
  ASSERT_TRUE(user.ok());
  auto s = accounts_->OpenSession(*user);
  auto idle = accounts_->OpenSession(*user);
  ASSERT_TRUE(s.ok() && idle.ok());
  const int64_t hour = 3600'000;
  for (int h = 1; h < 30 * 24; ++h) {
    clock_.Advance(hour);
    ASSERT_TRUE(accounts_->UserForToken(s->token, nullptr)) << h;
  }
  EXPECT_EQ(*accounts_->DeleteExpiredSessions(), 1);  // the idle one
  clock_.Advance(hour);                               // 30 days since it was made
  EXPECT_FALSE(accounts_->UserForToken(s->token, nullptr));
  EXPECT_EQ(SessionCount(*db_), 0);
}

TEST_F(AccountsTest, ChangingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessions) {
  auto user = accounts_->Register("heidi", "correct horse");
  ASSERT_TRUE(user.ok());
  auto here = accounts_->OpenSession(*user);
  auto elsewhere = accounts_->OpenSession(*user);
  ASSERT_TRUE(here.ok() && elsewhere.ok());
  const std::string here_hash = Sha256Hex(here->token);

  auto wrong = accounts_->ChangePassword(*user, "wrong horse!", "a new password", here_hash);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, "current_password_wrong");
  auto weak = accounts_->ChangePassword(*user, "correct horse", "abc", here_hash);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().message, "password_invalid");
  EXPECT_TRUE(accounts_->UserForToken(elsewhere->token, nullptr));  // nothing changed yet

  auto changed = accounts_->ChangePassword(*user, "correct horse", "a new password", here_hash);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(*changed, 1);
  EXPECT_TRUE(accounts_->UserForToken(here->token, nullptr));
  EXPECT_FALSE(accounts_->UserForToken(elsewhere->token, nullptr));
  EXPECT_FALSE(accounts_->Authenticate("heidi", "correct horse").ok());
  EXPECT_TRUE(accounts_->Authenticate("heidi", "a new password").ok());
}

TEST_F(AccountsTest, TheOperatorAddsAccountsWithoutABonusAndResetsPasswords) {
  std::string generated;
  auto created = accounts_->AddOrUpdate("mod_ivan", "moderator", "", &generated);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(*created);
  EXPECT_EQ(generated.size(), 16u);
  auto ivan = accounts_->Authenticate("mod_ivan", generated);
  ASSERT_TRUE(ivan.ok());
  auto session = accounts_->OpenSession(*ivan);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(ivan->role, "moderator");
  EXPECT_EQ(Wallet(ivan->id), 0);

  auto updated = accounts_->AddOrUpdate("mod_ivan", "admin", "new password!", nullptr);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(*updated);
  EXPECT_FALSE(accounts_->UserForToken(session->token, nullptr));  // a reset ends sessions
  EXPECT_FALSE(accounts_->Authenticate("mod_ivan", generated).ok());
  auto admin = accounts_->Authenticate("mod_ivan", "new password!");
  EXPECT_EQ(accounts_->AddOrUpdate("mod_ivan", "admin", "short", nullptr).error().code,
            ErrorCode::kInvalidInput);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_EQ(admin->role, "admin");
  EXPECT_EQ(accounts_->AddOrUpdate("n", "user", "", nullptr).error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(accounts_->AddOrUpdate("judy", "root", "correct horse", nullptr).error().code,
            ErrorCode::kInvalidInput);
}

TEST(UserNames, LookAlikeNamesShareASkeleton) {
  struct Case {
    const char* a;
    const char* b;
    bool same;
  };
  const Case cases[] = {
      {"admin", "\u0430dmin", true},  // Cyrillic а
      {"admin", "Admin", true},       // case
      {"admin", "ADMIN", true},
      {"paypal", "paypa1", true},                  // digit one
      {"modern", "rnodern", true},                 // rn / m
      {"cope", "\u0441\u043e\u0440\u0435", true},  // all Cyrillic
      {"zoe", "z0e", true},                        // digit zero
      {"admin", "\uff41dmin", true},               // fullwidth ａ
      {"\u0391lpha", "alpha", true},               // Greek capital alpha
      {"jos\u00e9", "jose\u0301", true},           // NFC
      {"张三", "张三", true},
      {"admin", "admins", false},
      {"alice", "bob", false},
      {"张三", "李四", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NameSkeleton(c.a) == NameSkeleton(c.b), c.same) << c.a << " / " << c.b;
  }
}

TEST(UserNames, NamesMixingLookAlikeScriptsAreRefused) {
  for (const char* fine : {"alice", "张三", "张san", "Иван", "Ελένη", "たなか", "user_01"}) {
    EXPECT_FALSE(CheckUserName(fine)) << fine;
  }
  // Latin p with Cyrillic а; Latin with Greek; Cyrillic with Greek.
  for (const char* mixed : {"p\u0430ypal", "alph\u03b1", "\u0438\u03b1"}) {
    EXPECT_EQ(CheckUserName(mixed), "name_mixed_script") << mixed;
  }
}

TEST_F(AccountsTest, ANameThatLooksLikeAnExistingOneIsRefusedEveryWayAnAccountIsMade) {
  ASSERT_TRUE(accounts_->Register("admin", "correct horse").ok());
  auto fullwidth = accounts_->Register("\uff41dmin", "correct horse");
  ASSERT_FALSE(fullwidth.ok());
  EXPECT_EQ(fullwidth.error().code, ErrorCode::kConflict);
  EXPECT_EQ(fullwidth.error().message, "name_confusable");
  // Latin with a Cyrillic "а" is refused before it is compared: it mixes scripts.
  EXPECT_EQ(accounts_->Register("\u0430dmin", "correct horse").error().message,
            "name_mixed_script");
  ASSERT_TRUE(accounts_->Register("cope", "correct horse").ok());
  EXPECT_EQ(accounts_->Register("\u0441\u043e\u0440\u0435", "correct horse").error().message,
            "name_confusable");  // all Cyrillic
  EXPECT_EQ(accounts_->Register("Admin", "correct horse").error().message, "name_confusable");
  EXPECT_EQ(accounts_->Register("admin", "correct horse").error().message, "name_taken");
  // The operator's `wenku user add` and `wenku import --owner`.
  auto added = accounts_->AddOrUpdate("ADMIN", "moderator", "correct horse", nullptr);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::kConflict);
  EXPECT_NE(added.error().message.find("admin"), std::string::npos) << added.error().message;
  EXPECT_FALSE(users_->FindByName("ADMIN").ok());
  EXPECT_EQ(accounts_->EnsureUser("adrnin", "user").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(accounts_->EnsureUser("admin", "user").ok());  // the account itself
  // Resetting the existing account still works.
  EXPECT_FALSE(*accounts_->AddOrUpdate("admin", "moderator", "another password", nullptr));
  ExpectLedgerHolds();
}

TEST_F(AccountsTest, AccountsMadeBeforeTheRuleGetTheirSkeletonAtStart) {
  // Rows as migration 13 leaves them: no skeleton; two of them look alike.
  for (const char* name : {"paypal", "paypa1", "zoe"}) {
    ASSERT_TRUE(db_->Exec("INSERT INTO users (name, role, created_at) VALUES (?, 'user', 1)",
                          {std::string(name)})
                    .ok());
  }
  auto filled = accounts_->FillNameSkeletons();
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  EXPECT_EQ(*filled, 2);  // paypal and zoe; paypa1 (younger) keeps none
  EXPECT_EQ(users_->FindBySkeleton(NameSkeleton("paypal"))->name, "paypal");
  EXPECT_EQ(users_->FindBySkeleton(NameSkeleton("zoe"))->name, "zoe");
  EXPECT_EQ(*accounts_->FillNameSkeletons(), 0);  // nothing more to do
  // From now on a look-alike of the old names is refused.
  EXPECT_EQ(accounts_->Register("PayPal", "correct horse").error().message, "name_confusable");
  EXPECT_EQ(accounts_->Register("z0e", "correct horse").error().message, "name_confusable");
}

// The fastest of three runs of `f`, in microseconds.
template <class F>
int64_t FastestMicros(F f) {
  int64_t best = INT64_MAX;
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    best = std::min<int64_t>(best, us);
  }
  return best;
}

TEST_F(AccountsTest, AnUnknownNameAnAccountWithoutAPasswordAndAWrongPasswordCostTheSame) {
  ASSERT_TRUE(accounts_->Register("grace", "correct horse").ok());
  // bob was made without a password (as `wenku import` makes owners).
  const int64_t wrong = FastestMicros([&] { (void)accounts_->Authenticate("grace", "x"); });
  const int64_t unknown = FastestMicros([&] { (void)accounts_->Authenticate("nobody", "x"); });
  const int64_t no_password = FastestMicros([&] { (void)accounts_->Authenticate("bob", "x"); });
  // Each is one Argon2id verification (tens of milliseconds); skipping it would take
  // microseconds — a factor of thousands, not three.
  EXPECT_GT(unknown * 3, wrong) << unknown << " µs vs " << wrong << " µs";
  EXPECT_GT(no_password * 3, wrong) << no_password << " µs vs " << wrong << " µs";
  EXPECT_EQ(accounts_->Authenticate("bob", "x").error().message, "bad_login");
}

}  // namespace
}  // namespace wenku::accounts
