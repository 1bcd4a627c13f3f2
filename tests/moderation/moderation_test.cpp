// Moderation: reports, claims and decisions, on a real SQLite file with the real ledger and a
// fake search index. Balances are checked to the point.
#include "moderation/moderation.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "library/submit.hpp"
#include "points/points_fixture.hpp"
#include "support/fake_indexer.hpp"

namespace wenku::moderation {
namespace {

using storage::CaseState;
using storage::CaseType;

using wenku::testing::FakeIndexer;

class ModerationTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    comments_ = std::make_unique<storage::CommentStore>(*db_, clock_);
    moderation_ = std::make_unique<Moderation>(ModerationDeps{*db_, *cases_, *documents_, *points_,
                                                              blobs_, index_, *comments_,
                                                              [this] { return sensitive_words_; }});
    mod_ = *users_->Ensure("mod", "moderator", "mod");
    bob_user_ = *users_->FindById(bob_);
    carol_user_ = *users_->FindById(carol_);
  }

  // A ready document of alice's, in the database, with its upload reward given.
  Document Published(const std::string& sha, int64_t price) {
    Document doc = ReadyDoc(sha, price);
    auto job = jobs_->Claim("w", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    storage::PublishedPages pages;
    pages.pages = {Page{1, "text", TextSource::kLayer, 595, 842}};
    pages.preview_pages = 1;
    EXPECT_TRUE(documents_->Publish(doc.id, (*job)->id, "w", pages).ok());
    EXPECT_TRUE(points_->UploadReward(doc.id, alice_).ok());
    return *documents_->Find(doc.id);
  }

  void Buy(UserId buyer, const Document& doc, const std::string& key) {
    auto bought = points_->Purchase(buyer, doc, key);
    ASSERT_TRUE(bought.ok()) << bought.error().message;
  }

  ReportInput CopyrightReport() {
    return {"copyright", "整本书被上传", "《三体》", "重庆出版社", ""};
  }

  std::vector<storage::Notification> InboxOf(UserId user) { return *cases_->Inbox(user, 50, 0); }

  wenku::testing::MemoryBlobStore blobs_;
  FakeIndexer index_;
  std::unique_ptr<storage::CommentStore> comments_;
  std::string sensitive_words_;  // the setting moderation.sensitive_words
  std::unique_ptr<Moderation> moderation_;
  storage::User mod_, bob_user_, carol_user_;
};

TEST_F(ModerationTest, AReportNamesTheFieldAtFault) {
  Document doc = Published("r1", 0);
  auto field = [&](library::Visitor who, ReportInput in) {
    auto r = moderation_->Report(who, doc.id, in);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  ReportInput in = CopyrightReport();
  EXPECT_EQ(field(&bob_user_, in), "ok");
  in.reason = "boring";
  EXPECT_EQ(field(&bob_user_, in), "reason");
  in = CopyrightReport();
  in.work = " ";
  EXPECT_EQ(field(&bob_user_, in), "work");
  in = CopyrightReport();
  in.rights_holder = "";
  EXPECT_EQ(field(&bob_user_, in), "rights_holder");
  in = {"spam", std::string(1001, 'x'), "", "", ""};
  EXPECT_EQ(field(&bob_user_, in), "detail");
  in = {"spam", "广告", "", "", ""};
  EXPECT_EQ(field(&bob_user_, in), "ok");    // only copyright needs the work and holder
  EXPECT_EQ(field(nullptr, in), "contact");  // anonymous: an e-mail address to answer
  in.contact = "not an address";
  EXPECT_EQ(field(nullptr, in), "contact");
  in.contact = "reader@example.com";
  EXPECT_EQ(field(nullptr, in), "ok");
  EXPECT_EQ(moderation_->Report(&bob_user_, 9999, CopyrightReport()).error().code,
            ErrorCode::kNotFound);
}

TEST_F(ModerationTest, AReportOpensACaseTellsTheOwnerAndIsLogged) {
  Document doc = Published("r2", 0);
  auto id = moderation_->Report(&bob_user_, doc.id, CopyrightReport());
  ASSERT_TRUE(id.ok());
  auto c = cases_->Find(*id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->type, CaseType::kReport);
  EXPECT_EQ(c->state, CaseState::kOpen);
  EXPECT_EQ(c->reason, "copyright");
  EXPECT_EQ(c->work, "《三体》");
  EXPECT_EQ(c->reporter_name, "bob");
  auto inbox = InboxOf(alice_);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].kind, "report");
  EXPECT_EQ(inbox[0].document, doc.id);
  auto audit = cases_->AuditOfCase(*id);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "report");
  EXPECT_EQ((*audit)[0].actor_name, "bob");
}

TEST_F(ModerationTest, TakingDownRefundsEveryBuyerAndReversesTheReward) {
  Document doc = Published("t1", 10);
  Give(bob_, 30);
  Give(carol_, 30);
  Buy(bob_, doc, "b");
  Buy(carol_, doc, "c");
  ASSERT_EQ(Wallet(alice_), 10);   // the upload reward
  ASSERT_EQ(Pending(alice_), 16);  // 2 × (10 − 2)
  auto report = moderation_->Report(&bob_user_, doc.id, CopyrightReport());
  auto second = moderation_->Report(&carol_user_, doc.id, {"spam", "", "", "", ""});
  ASSERT_TRUE(report.ok() && second.ok());

  EXPECT_EQ(moderation_->Decide(&bob_user_, *report, Action::kTakeDown, "侵权").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(moderation_->Decide(&mod_, *report, Action::kTakeDown, " ").error().message, "note");
  EXPECT_EQ(moderation_->Decide(&mod_, *report, Action::kAcceptClaim, "x").error().message,
            "action");
  ASSERT_TRUE(moderation_->Decide(&mod_, *report, Action::kTakeDown, "确认侵权").ok());

  auto after = documents_->Find(doc.id);
  EXPECT_EQ(after->state, DocState::kTakenDown);
  EXPECT_EQ(after->removal_reason, "copyright");
  EXPECT_EQ(Wallet(bob_), 30);  // the price back
  EXPECT_EQ(Wallet(carol_), 30);
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Wallet(alice_), 0);  // the reward taken back
  EXPECT_EQ(Revenue(), 0);
  EXPECT_FALSE(*points_->Entitled(bob_, doc.id));
  EXPECT_TRUE(index_.removed.count(doc.id));
  EXPECT_EQ(cases_->Find(*report)->state, CaseState::kTakenDown);
  EXPECT_EQ(cases_->Find(*second)->state, CaseState::kTakenDown);  // closed with it
  EXPECT_EQ(InboxOf(alice_)[0].kind, "taken_down");
  ExpectLedgerHolds();

  // Decided once: a second decision is refused and changes nothing.
  EXPECT_EQ(moderation_->Decide(&mod_, *report, Action::kDismiss, "again").error().code,
            ErrorCode::kConflict);
  // Restore is a new decision: nothing is given back silently.
  ASSERT_TRUE(moderation_->Restore(&mod_, doc.id, "申诉成立").ok());
  EXPECT_EQ(documents_->Find(doc.id)->state, DocState::kReady);
  EXPECT_EQ(documents_->Find(doc.id)->removal_reason, "");
  EXPECT_EQ(Wallet(alice_), 0);
  EXPECT_EQ(Wallet(bob_), 30);
  EXPECT_TRUE(index_.replaced.count(doc.id));
  std::vector<std::string> actions;
  for (const auto& e : *cases_->AuditOfDocument(doc.id)) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"report", "report", "take_down", "restore"}));
}

TEST_F(ModerationTest, TheAuditLogCannotBeRewritten) {
  Document doc = Published("a1", 0);
  ASSERT_TRUE(moderation_->Report(&bob_user_, doc.id, CopyrightReport()).ok());
  EXPECT_FALSE(db_->Exec("UPDATE audit_log SET note = 'nothing happened'").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM audit_log").ok());
  EXPECT_EQ(cases_->AuditOfDocument(doc.id)->size(), 1u);
}

TEST_F(ModerationTest, AnAcceptedClaimMovesOwnershipAndEarnings) {
  Document doc = Published("c1", 10);
  Give(bob_, 100);
  Buy(bob_, doc, "first");  // alice's pending +8
  clock_.Advance(8LL * 24 * 3600 * 1000);
  ASSERT_TRUE(points_->Settle().ok());  // those 8 are in alice's wallet now
  ASSERT_EQ(Wallet(alice_), 18);
  ASSERT_EQ(Pending(alice_), 0);

  EXPECT_EQ(moderation_->Claim(*users_->FindById(alice_), doc.id, {"w", "p", "c"}).error().code,
            ErrorCode::kForbidden);  // one's own
  EXPECT_EQ(moderation_->Claim(carol_user_, doc.id, {"", "p", "c"}).error().message, "work");
  auto claim = moderation_->Claim(
      carol_user_, doc.id, {"《原著》", "我是作者，ISBN 978-7-5366-9293-0", "carol@example.com"});
  ASSERT_TRUE(claim.ok()) << claim.error().message;
  EXPECT_EQ(moderation_->Claim(carol_user_, doc.id, {"w", "p", "c"}).error().code,
            ErrorCode::kConflict);  // one open claim at a time

  // While the claim is open, the document's new earnings are not settled.
  users_->Ensure("dave", "user", "dave");
  const UserId dave = users_->FindByName("dave")->id;
  Give(dave, 100);
  Buy(dave, doc, "second");  // alice's pending +8
  clock_.Advance(8LL * 24 * 3600 * 1000);
  ASSERT_TRUE(points_->Settle().ok());
  EXPECT_EQ(Pending(alice_), 8);
  EXPECT_EQ(Wallet(alice_), 18);

  ASSERT_TRUE(moderation_->Decide(&mod_, *claim, Action::kAcceptClaim, "证据充分").ok());
  EXPECT_EQ(documents_->Find(doc.id)->owner_id, carol_);
  // 16 earned in all: 8 still pending move to carol's pending, 8 settled from alice's wallet.
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Wallet(alice_), 10);  // her upload reward stays
  EXPECT_EQ(Pending(carol_), 8);
  EXPECT_EQ(Wallet(carol_), 8);
  // Future sales pay the rights holder.
  users_->Ensure("erin", "user", "erin");
  const UserId erin = users_->FindByName("erin")->id;
  Give(erin, 10);
  Buy(erin, *documents_->Find(doc.id), "third");
  EXPECT_EQ(Pending(carol_), 16);
  EXPECT_EQ(InboxOf(alice_)[0].kind, "claim_lost");
  EXPECT_EQ(InboxOf(carol_)[0].kind, "sold");  // erin's purchase pays her now
  EXPECT_EQ(InboxOf(carol_)[1].kind, "claim_accepted");
  ExpectLedgerHolds();
}

TEST_F(ModerationTest, ARejectedClaimChangesNothingButTheCase) {
  Document doc = Published("c2", 10);
  Give(bob_, 100);
  Buy(bob_, doc, "k");
  auto claim = moderation_->Claim(carol_user_, doc.id, {"作品", "证明", "carol@example.com"});
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(moderation_->Decide(&mod_, *claim, Action::kTakeDown, "x").error().message, "action");
  ASSERT_TRUE(moderation_->Decide(&mod_, *claim, Action::kRejectClaim, "证据不足").ok());
  EXPECT_EQ(documents_->Find(doc.id)->owner_id, alice_);
  EXPECT_EQ(Pending(alice_), 8);
  EXPECT_EQ(Pending(carol_), 0);
  EXPECT_EQ(cases_->Find(*claim)->state, CaseState::kRejected);
  EXPECT_EQ(cases_->Find(*claim)->decision_note, "证据不足");
  EXPECT_EQ(InboxOf(carol_)[0].kind, "claim_rejected");
}

TEST_F(ModerationTest, AProofFileMustBeAPdfOrAnImage) {
  Document doc = Published("c3", 0);
  wenku::testing::TempDir dir;
  const auto text = dir.path() / "proof.txt";
  std::ofstream(text) << "just words";
  const auto pdf = dir.path() / "proof.pdf";
  std::ofstream(pdf) << "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  ClaimInput in{"作品", "证明", "carol@example.com", text};
  EXPECT_EQ(moderation_->Claim(carol_user_, doc.id, in).error().message, "proof_file");
  in.proof_file = pdf;
  auto claim = moderation_->Claim(carol_user_, doc.id, in);
  ASSERT_TRUE(claim.ok()) << claim.error().message;
  EXPECT_TRUE(blobs_.Exists(cases_->Find(*claim)->proof_sha256));
}

TEST_F(ModerationTest, ScreenFindsTheListsWordsInAnyOfTheTexts) {
  EXPECT_TRUE(moderation_->Screen({"专业代写论文"})->empty());  // no list: nothing held
  sensitive_words_ = "代写论文\n赌博";
  EXPECT_EQ(*moderation_->Screen({"期末复习", "专业代寫論文，网上賭博"}),
            (std::vector<std::string>{"代写论文", "赌博"}));
  EXPECT_TRUE(moderation_->Screen({"二年级数学试卷"})->empty());
  sensitive_words_ = "试卷";  // the setting changed: read again
  EXPECT_EQ(moderation_->Screen({"二年级数学试卷"})->size(), 1u);
}

TEST_F(ModerationTest, AHeldDocumentIsSeenByItsOwnerAndModeratorsUntilReleased) {
  sensitive_words_ = "代写论文";
  wenku::testing::TempDir dir;
  const auto file = dir.path() / "a.txt";
  std::ofstream(file) << "正文";
  library::Submission sub;
  sub.owner = alice_;
  sub.file = file;
  sub.filename = "a.txt";
  sub.title = "专业代写论文";
  auto submitted = library::Submit({blobs_, *documents_, *categories_, {}, moderation_.get()}, sub);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  EXPECT_TRUE(submitted->held);
  Document doc = *documents_->Find(submitted->id);
  ASSERT_TRUE(library::IsHeld(doc));
  doc.state = DocState::kReady;  // as once ingest is done
  const storage::User alice = *users_->FindById(alice_);
  EXPECT_FALSE(library::MayView(nullptr, doc));
  EXPECT_FALSE(library::MayView(&bob_user_, doc));
  EXPECT_TRUE(library::MayView(&alice, doc));
  EXPECT_TRUE(library::MayView(&mod_, doc));
  EXPECT_FALSE(library::IsListed(doc));

  auto open = cases_->List({.state = CaseState::kOpen});
  ASSERT_EQ(open->size(), 1u);
  const storage::Case c = open->front();
  EXPECT_TRUE(IsReviewHold(c));
  EXPECT_EQ(c.document, doc.id);
  EXPECT_EQ(c.detail, "代写论文");
  EXPECT_EQ(InboxOf(alice_)[0].kind, "held");

  EXPECT_EQ(moderation_->Decide(&bob_user_, c.id, Action::kDismiss, "ok").error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(moderation_->Decide(&mod_, c.id, Action::kDismiss, "正常的论文写作指导").ok());
  doc = *documents_->Find(doc.id);
  EXPECT_FALSE(library::IsHeld(doc));
  EXPECT_EQ(InboxOf(alice_)[0].kind, "released");
  EXPECT_EQ(cases_->AuditOfCase(c.id)->back().action, "release");

  // The same title from a clean list is not held; an archive's member is never screened.
  sub.parent = doc.id;
  std::ofstream(file) << "另一份正文";
  EXPECT_FALSE(
      library::Submit({blobs_, *documents_, *categories_, {}, moderation_.get()}, sub)->held);
}

TEST_F(ModerationTest, AHeldCommentIsShownToItsAuthorAndRemovedWhenTakenDown) {
  sensitive_words_ = "刷单";
  Document doc = Published("h1", 0);
  auto words = moderation_->Screen({"加我刷单"});
  ASSERT_EQ(words->size(), 1u);
  int64_t case_id = 0;
  auto comment = comments_->CreateLimited(
      doc.id, bob_, "加我刷单", 5, 0, true, [&](storage::Sql& tx, int64_t id) -> Status {
        auto held = moderation_->HoldComment(tx, doc.id, id, bob_, *words);
        if (!held.ok()) return held.error();
        case_id = *held;
        return {};
      });
  ASSERT_TRUE(comment.ok());
  EXPECT_TRUE(comment->held);
  EXPECT_EQ(*comments_->Count(doc.id), 0);  // an anonymous visitor
  EXPECT_EQ(comments_->List(doc.id, 10, 0, library::CommentReaderOf(&carol_user_))->size(), 0u);
  EXPECT_EQ(comments_->List(doc.id, 10, 0, library::CommentReaderOf(&bob_user_))->size(), 1u);
  EXPECT_EQ(comments_->List(doc.id, 10, 0, library::CommentReaderOf(&mod_))->size(), 1u);
  EXPECT_EQ(cases_->Find(case_id)->comment, comment->id);

  ASSERT_TRUE(moderation_->Decide(&mod_, case_id, Action::kTakeDown, "广告").ok());
  EXPECT_EQ(comments_->Find(comment->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(documents_->Find(doc.id)->state, DocState::kReady);  // the document stays
  EXPECT_EQ(InboxOf(bob_)[0].kind, "comment_removed");
}

TEST_F(ModerationTest, ReleasingAHeldCommentShowsItToEveryone) {
  sensitive_words_ = "刷单";
  Document doc = Published("h2", 0);
  int64_t case_id = 0;
  auto comment = comments_->CreateLimited(
      doc.id, bob_, "谁说刷单好？", 5, 0, true, [&](storage::Sql& tx, int64_t id) -> Status {
        auto held = moderation_->HoldComment(tx, doc.id, id, bob_, {"刷单"});
        if (!held.ok()) return held.error();
        case_id = *held;
        return {};
      });
  ASSERT_TRUE(comment.ok());
  ASSERT_TRUE(moderation_->Decide(&mod_, case_id, Action::kDismiss, "讨论，不是广告").ok());
  EXPECT_EQ(*comments_->Count(doc.id), 1);
  EXPECT_FALSE(comments_->Find(comment->id)->held);
  EXPECT_EQ(InboxOf(bob_)[0].kind, "comment_released");
}

}  // namespace
}  // namespace wenku::moderation
