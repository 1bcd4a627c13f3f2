// UserAdmin: who may change roles, disable accounts and grant points, and what each decision
// moves (sessions, search, the audit log, the inbox), on a real SQLite file with a fake
// clock and a fake search index.
#include "accounts/user_admin.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "accounts/accounts.hpp"
#include "accounts/password.hpp"
#include "points/points_fixture.hpp"
#include "storage/session_store.hpp"
#include "support/fake_indexer.hpp"

namespace wenku::accounts {
namespace {

using wenku::testing::FakeIndexer;

class UserAdminTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    sessions_ = std::make_unique<storage::SessionStore>(*db_, clock_);
    accounts_ = std::make_unique<Accounts>(*db_, *users_, *sessions_, *points_,
                                           accounts::SessionPolicy{}, clock_);
    admin_ = std::make_unique<UserAdmin>(
        UserAdminDeps{*db_, *users_, *sessions_, *cases_, *documents_, *points_, index_, clock_});
    ada_ = *users_->Ensure("ada", "admin", "ada");
    mod_ = *users_->Ensure("mo", "moderator", "mo");
    bob_user_ = *users_->FindById(bob_);
  }

  UserAdmin& Admin() { return *admin_; }
  std::string Role(UserId id) { return users_->FindById(id)->role; }

  FakeIndexer index_;
  std::unique_ptr<storage::SessionStore> sessions_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<UserAdmin> admin_;
  storage::User ada_, mod_, bob_user_;
};

TEST_F(UserAdminTest, OnlyAdminsChangeRolesAndTheLastAdminStays) {
  UserAdmin& a = Admin();
  EXPECT_EQ(a.SetRole(&mod_, bob_, "moderator", "").error().message, "admins_only");
  EXPECT_EQ(a.SetRole(&bob_user_, bob_, "admin", "").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(a.SetRole(&ada_, bob_, "root", "").error().message, "role");
  EXPECT_EQ(Role(bob_), "user");

  ASSERT_TRUE(a.SetRole(&ada_, bob_, "moderator", "helps with reports").ok());
  EXPECT_EQ(Role(bob_), "moderator");
  // The only admin cannot step down…
  auto last = a.SetRole(&ada_, ada_.id, "user", "");
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::kConflict);
  EXPECT_EQ(last.error().message, "last_admin");
  EXPECT_EQ(Role(ada_.id), "admin");
  // …until there is another.
  ASSERT_TRUE(a.SetRole(&ada_, bob_, "admin", "").ok());
  ASSERT_TRUE(a.SetRole(&ada_, ada_.id, "user", "stepping down").ok());
  EXPECT_EQ(Role(ada_.id), "user");

  auto audit = cases_->AuditOfUser(bob_, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].action, "role");
  EXPECT_EQ((*audit)[1].actor_name, "ada");
  EXPECT_EQ((*audit)[1].note, "user → moderator: helps with reports");
  EXPECT_EQ(cases_->Inbox(bob_, 10, 0)->front().kind, "role_changed");
}

TEST_F(UserAdminTest, DisablingEndsEverySessionAndHidesTheUploadsUntilEnabled) {
  UserAdmin& a = Admin();
  Document doc = ReadyDoc("bobs", 0, bob_);
  ASSERT_TRUE(db_->Exec("UPDATE documents SET state = 'ready' WHERE id = ?", {doc.id}).ok());
  index_.held.insert(doc.id);
  ASSERT_TRUE(users_->SetPassword("bob", HashPassword("correct horse"), "").ok());
  auto s1 = accounts_->OpenSession(bob_user_);
  auto s2 = accounts_->OpenSession(bob_user_);
  ASSERT_TRUE(s1.ok() && s2.ok());

  EXPECT_EQ(a.Disable(&mod_, bob_, " ").error().message, "note");
  EXPECT_EQ(a.Disable(&bob_user_, bob_, "x").error().message, "moderators_only");
  EXPECT_EQ(a.Disable(&mod_, mod_.id, "x").error().message, "not_yourself");
  EXPECT_EQ(a.Disable(&mod_, ada_.id, "x").error().message, "admin_by_admin");
  ASSERT_TRUE(a.Disable(&mod_, bob_, "spam uploads").ok());
  EXPECT_EQ(a.Disable(&mod_, bob_, "again").error().message, "already_disabled");

  EXPECT_FALSE(accounts_->UserForToken(s1->token, nullptr));
  EXPECT_FALSE(accounts_->UserForToken(s2->token, nullptr));
  auto login = accounts_->Authenticate("bob", "correct horse");
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().message, "account_disabled");
  EXPECT_EQ(accounts_->Authenticate("bob", "wrong horse").error().message, "bad_login");
  EXPECT_TRUE(index_.held.empty());
  auto hidden = documents_->Find(doc.id);
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(hidden->owner_disabled);
  EXPECT_EQ(library::CheckView(nullptr, *hidden).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(library::CheckView(&mod_, *hidden).ok());
  EXPECT_EQ(users_->FindById(bob_)->disabled_reason, "spam uploads");

  ASSERT_TRUE(a.Enable(&mod_, bob_, "appeal accepted").ok());
  EXPECT_TRUE(accounts_->Authenticate("bob", "correct horse").ok());
  EXPECT_EQ(index_.held, std::set<DocumentId>{doc.id});
  EXPECT_TRUE(library::CheckView(nullptr, *documents_->Find(doc.id)).ok());
  auto audit = cases_->AuditOfUser(bob_, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "enable");
  EXPECT_EQ((*audit)[1].action, "disable");
  EXPECT_EQ((*audit)[1].note, "spam uploads");
  auto inbox = cases_->Inbox(bob_, 10, 0);
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_EQ((*inbox)[1].kind, "disabled");
  EXPECT_EQ((*inbox)[0].kind, "enabled");
}

TEST_F(UserAdminTest, AGrantIsAnAdminsAndHappensOncePerForm) {
  UserAdmin& a = Admin();
  EXPECT_EQ(a.Grant(&mod_, bob_, 5, "x", "k").error().message, "admins_only");
  EXPECT_EQ(a.Grant(&ada_, bob_, 0, "x", "k").error().message, "amount");
  EXPECT_EQ(a.Grant(&ada_, bob_, points::kMaxGrant + 1, "x", "k").error().message, "amount");
  EXPECT_EQ(a.Grant(&ada_, bob_, 5, "", "k").error().message, "note");
  EXPECT_EQ(a.Grant(&ada_, bob_, 5, "x", "").error().message, "key");
  EXPECT_EQ(a.Grant(&ada_, 9999, 5, "x", "k").error().code, ErrorCode::kNotFound);

  auto first = a.Grant(&ada_, bob_, 30, "contest prize", "form-1");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->awarded);
  auto twice = a.Grant(&ada_, bob_, 30, "contest prize", "form-1");
  ASSERT_TRUE(twice.ok());
  EXPECT_FALSE(twice->awarded);
  EXPECT_EQ(Wallet(bob_), 30);
  EXPECT_EQ(a.Grant(&ada_, bob_, -31, "too much", "form-2").error().code,
            ErrorCode::kInsufficientPoints);
  ASSERT_TRUE(a.Grant(&ada_, bob_, -10, "duplicate prize", "form-3").ok());
  EXPECT_EQ(Wallet(bob_), 20);
  ExpectLedgerHolds();

  auto audit = cases_->AuditOfUser(bob_, 10);
  ASSERT_EQ(audit->size(), 2u);  // the replay and the refused one left no entry
  EXPECT_EQ((*audit)[0].note, "-10: duplicate prize");
  EXPECT_EQ((*audit)[1].note, "+30: contest prize");
  EXPECT_EQ(cases_->Inbox(bob_, 10, 0)->size(), 2u);
}

}  // namespace
}  // namespace wenku::accounts
