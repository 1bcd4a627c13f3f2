// The access policy, as a table: who (anonymous, another user, a buyer — a user who bought
// the document —, the owner, a moderator, an admin) × the document's state × free or priced → may
// they see the document page, how many pages, a page inside the free preview (2) and one past it
// (8), the original, and manage it. The document has 10 pages, 3 of them the free preview.
#include "library/access.hpp"

#include <gtest/gtest.h>

#include "library/document_json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace wenku::library {
namespace {

enum class Who { kAnonymous, kOther, kOwner, kModerator, kAdmin, kBuyer };

const storage::User kOther{8, "other", "user"};
const storage::User kOwner{7, "owner", "user"};
const storage::User kModerator{9, "mod", "moderator"};
const storage::User kAdmin{10, "admin", "admin"};
const storage::User kBuyer{12, "buyer", "user"};

Visitor VisitorOf(Who who) {
  switch (who) {
    case Who::kAnonymous:
      return nullptr;
    case Who::kOther:
      return &kOther;
    case Who::kOwner:
      return &kOwner;
    case Who::kModerator:
      return &kModerator;
    case Who::kAdmin:
      return &kAdmin;
    case Who::kBuyer:
      return &kBuyer;
  }
  return nullptr;
}

const char* Name(Who who) {
  const char* names[] = {"anonymous", "other user", "owner", "moderator", "admin", "buyer"};
  return names[static_cast<int>(who)];
}

Document Doc(DocState state, int64_t price) {
  Document d;
  d.id = 1;
  d.owner_id = kOwner.id;
  d.state = state;
  d.price = price;
  d.page_count = 10;
  d.preview_pages = 3;
  return d;
}

constexpr PreviewPages kPreview{3};  // preview.pages now
constexpr int64_t kFree = 0;
constexpr int64_t kPriced = 5;
constexpr std::optional<ErrorCode> kOk = std::nullopt;
constexpr auto kUnauth = ErrorCode::kUnauthenticated;
constexpr auto kPoints = ErrorCode::kInsufficientPoints;
constexpr auto kGone = ErrorCode::kNotFound;
constexpr auto kRemoved = ErrorCode::kRemoved;  // taken down: 451 and why

struct Row {
  Who who;
  DocState state;
  int64_t price;
  bool view;
  int64_t visible;
  bool page_in_preview;    // page 2
  bool page_past_preview;  // page 8
  std::optional<ErrorCode> download;
  bool manage;
};

const std::vector<Row> kTable = {
    // ready, free: the preview for everyone; logged-in users read and download it all
    {Who::kAnonymous, DocState::kReady, kFree, true, 3, true, false, kUnauth, false},
    {Who::kOther, DocState::kReady, kFree, true, 10, true, true, kOk, false},
    {Who::kOwner, DocState::kReady, kFree, true, 10, true, true, kOk, true},
    {Who::kModerator, DocState::kReady, kFree, true, 10, true, true, kOk, true},
    {Who::kAdmin, DocState::kReady, kFree, true, 10, true, true, kOk, true},
    // ready, priced: past the preview only for its owner and moderators
    {Who::kAnonymous, DocState::kReady, kPriced, true, 3, true, false, kUnauth, false},
    {Who::kOther, DocState::kReady, kPriced, true, 3, true, false, kPoints, false},
    {Who::kOwner, DocState::kReady, kPriced, true, 10, true, true, kOk, true},
    {Who::kModerator, DocState::kReady, kPriced, true, 10, true, true, kOk, true},
    {Who::kAdmin, DocState::kReady, kPriced, true, 10, true, true, kOk, true},
    {Who::kBuyer, DocState::kReady, kPriced, true, 10, true, true, kOk, false},
    {Who::kBuyer, DocState::kReady, kFree, true, 10, true, true, kOk, false},
    // a buyer of a document no longer ready (taken down, re-ingested) has nothing
    {Who::kBuyer, DocState::kProcessing, kPriced, false, 0, false, false, kGone, false},
    {Who::kBuyer, DocState::kTakenDown, kPriced, false, 0, false, false, kRemoved, false},
    // queued: its page for the owner and moderators, no pages, no original
    {Who::kAnonymous, DocState::kQueued, kFree, false, 0, false, false, kGone, false},
    {Who::kOther, DocState::kQueued, kFree, false, 0, false, false, kGone, false},
    {Who::kOwner, DocState::kQueued, kFree, true, 0, false, false, kGone, true},
    {Who::kModerator, DocState::kQueued, kFree, true, 0, false, false, kGone, true},
    {Who::kAdmin, DocState::kQueued, kFree, true, 0, false, false, kGone, true},
    {Who::kAnonymous, DocState::kQueued, kPriced, false, 0, false, false, kGone, false},
    {Who::kOther, DocState::kQueued, kPriced, false, 0, false, false, kGone, false},
    {Who::kOwner, DocState::kQueued, kPriced, true, 0, false, false, kGone, true},
    {Who::kModerator, DocState::kQueued, kPriced, true, 0, false, false, kGone, true},
    {Who::kAdmin, DocState::kQueued, kPriced, true, 0, false, false, kGone, true},
    // processing: as queued
    {Who::kAnonymous, DocState::kProcessing, kFree, false, 0, false, false, kGone, false},
    {Who::kOther, DocState::kProcessing, kPriced, false, 0, false, false, kGone, false},
    {Who::kOwner, DocState::kProcessing, kPriced, true, 0, false, false, kGone, true},
    // failed: as queued (the owner reads why)
    {Who::kAnonymous, DocState::kFailed, kFree, false, 0, false, false, kGone, false},
    {Who::kOther, DocState::kFailed, kFree, false, 0, false, false, kGone, false},
    {Who::kOwner, DocState::kFailed, kFree, true, 0, false, false, kGone, true},
    {Who::kModerator, DocState::kFailed, kFree, true, 0, false, false, kGone, true},
    {Who::kAdmin, DocState::kFailed, kFree, true, 0, false, false, kGone, true},
    {Who::kAnonymous, DocState::kFailed, kPriced, false, 0, false, false, kGone, false},
    {Who::kOther, DocState::kFailed, kPriced, false, 0, false, false, kGone, false},
    {Who::kOwner, DocState::kFailed, kPriced, true, 0, false, false, kGone, true},
    {Who::kModerator, DocState::kFailed, kPriced, true, 0, false, false, kGone, true},
    {Who::kAdmin, DocState::kFailed, kPriced, true, 0, false, false, kGone, true},
    // taken down: moderators only, and no pages; everyone else is told it was removed
    {Who::kAnonymous, DocState::kTakenDown, kFree, false, 0, false, false, kRemoved, false},
    {Who::kOther, DocState::kTakenDown, kFree, false, 0, false, false, kRemoved, false},
    {Who::kOwner, DocState::kTakenDown, kFree, false, 0, false, false, kRemoved, true},
    {Who::kModerator, DocState::kTakenDown, kFree, true, 0, false, false, kGone, true},
    {Who::kAdmin, DocState::kTakenDown, kPriced, true, 0, false, false, kGone, true},
};

TEST(Access, TheTable) {
  for (const Row& r : kTable) {
    const Document doc = Doc(r.state, r.price);
    const Visitor v = VisitorOf(r.who);
    const Bought b = r.who == Who::kBuyer ? Bought::kYes : Bought::kNo;
    SCOPED_TRACE(std::string(Name(r.who)) + ", " + std::string(DocStateName(r.state)) + ", " +
                 (r.price ? "priced" : "free"));
    EXPECT_EQ(MayView(v, doc), r.view);
    EXPECT_EQ(VisiblePages(v, doc, b, kPreview), r.visible);
    EXPECT_EQ(MaySeeAllPages(v, doc, b) && r.state == DocState::kReady, r.visible == 10);
    EXPECT_EQ(MaySeePage(v, doc, b, kPreview, 2), r.page_in_preview);
    EXPECT_EQ(MaySeePage(v, doc, b, kPreview, 8), r.page_past_preview);
    EXPECT_FALSE(MaySeePage(v, doc, b, kPreview, 0));
    EXPECT_FALSE(MaySeePage(v, doc, b, kPreview, 11));  // past the last page, whoever asks
    const Status download = MayDownload(v, doc, b);
    if (r.download) {
      ASSERT_FALSE(download.ok());
      EXPECT_EQ(download.error().code, *r.download);
    } else {
      EXPECT_TRUE(download.ok()) << download.error().message;
    }
    EXPECT_EQ(MayManage(v, doc), r.manage);
    // The original file name and the sha256: for those who manage it, nobody else.
    EXPECT_EQ(MaySeeFileDetails(v, doc), r.manage);
  }
}

TEST(Access, TheDocumentJsonShowsTheFileNameAndSha256ToTheOwnerAndModeratorsOnly) {
  Document doc = Doc(DocState::kReady, kFree);
  doc.filename = "张三的简历.pdf";
  doc.blob_sha256 = std::string(64, 'a');
  for (Who who : {Who::kAnonymous, Who::kOther, Who::kBuyer}) {
    SCOPED_TRACE(Name(who));
    const nlohmann::json j = DocumentJson(VisitorOf(who), doc, kPreview, {});
    EXPECT_FALSE(j.contains("filename"));
    EXPECT_FALSE(j.contains("sha256"));
    EXPECT_EQ(j["id"], 1);
  }
  for (Who who : {Who::kOwner, Who::kModerator, Who::kAdmin}) {
    SCOPED_TRACE(Name(who));
    const nlohmann::json j = DocumentJson(VisitorOf(who), doc, kPreview, {});
    EXPECT_EQ(j["filename"], "张三的简历.pdf");
    EXPECT_EQ(j["sha256"], std::string(64, 'a'));
  }
  EXPECT_TRUE(DocumentJson(Operator(), doc, kPreview, {}).contains("sha256"));  // `wenku show`
}

TEST(Access, ABuyerOrAModeratorIsAlreadyEntitledNobodyElse) {
  const Document priced = Doc(DocState::kReady, kPriced);
  EXPECT_TRUE(AlreadyEntitled(&kBuyer, priced, Bought::kYes));
  EXPECT_TRUE(AlreadyEntitled(&kModerator, priced, Bought::kNo));
  EXPECT_TRUE(AlreadyEntitled(&kAdmin, priced, Bought::kNo));
  EXPECT_FALSE(AlreadyEntitled(&kOther, priced, Bought::kNo));
  EXPECT_FALSE(AlreadyEntitled(nullptr, priced, Bought::kYes));  // anonymous: never
  EXPECT_FALSE(AlreadyEntitled(&kOwner, priced, Bought::kNo));   // a purchase refuses it
  EXPECT_FALSE(AlreadyEntitled(&kOther, Doc(DocState::kReady, kFree), Bought::kNo));  // free
  EXPECT_FALSE(AlreadyEntitled(&kBuyer, Doc(DocState::kTakenDown, kPriced), Bought::kYes));
}

TEST(Access, TheFreePreviewIsNeverLongerThanTheDocument) {
  Document d = Doc(DocState::kReady, kPriced);
  EXPECT_EQ(FreePreviewPages(d, kPreview), 3);
  d.page_count = 2;
  EXPECT_EQ(FreePreviewPages(d, PreviewPages{5}), 2);
  EXPECT_EQ(VisiblePages(nullptr, d, Bought::kNo, PreviewPages{5}), 2);
  EXPECT_FALSE(MaySeePage(nullptr, d, Bought::kNo, PreviewPages{5}, 3));
  EXPECT_EQ(FreePreviewPages(Doc(DocState::kQueued, kFree), kPreview), 0);
}

TEST(Access, TheFreePreviewIsTheSettingNowNotTheCountDrawnAtIngest) {
  Document d = Doc(DocState::kReady, kPriced);  // 3 pages drawn at ingest
  EXPECT_EQ(FreePreviewPages(d, PreviewPages{1}), 1);
  EXPECT_FALSE(MaySeePage(nullptr, d, Bought::kNo, PreviewPages{1}, 2));
  EXPECT_EQ(FreePreviewPages(d, PreviewPages{6}), 6);  // the rest are drawn on request
  EXPECT_TRUE(MaySeePage(nullptr, d, Bought::kNo, PreviewPages{6}, 6));
  EXPECT_EQ(FreePreviewPages(d, PreviewPages{0}), 0);
}

TEST(Access, CommentsGoOnlyOnReadyDocumentsTheVisitorMaySee) {
  EXPECT_TRUE(MayComment(&kOther, Doc(DocState::kReady, kFree)).ok());
  EXPECT_EQ(MayComment(nullptr, Doc(DocState::kReady, kFree)).error().code,
            ErrorCode::kUnauthenticated);
  for (DocState state : {DocState::kQueued, DocState::kFailed}) {
    // Not out yet: its owner and moderators may see it, and still not comment.
    for (const storage::User* who : {&kOwner, &kModerator, &kAdmin, &kOther}) {
      EXPECT_EQ(MayComment(who, Doc(state, kFree)).error().code, ErrorCode::kNotFound);
    }
  }
  EXPECT_EQ(MayComment(&kModerator, Doc(DocState::kTakenDown, kFree)).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(MayComment(&kOwner, Doc(DocState::kTakenDown, kFree)).error().code,
            ErrorCode::kRemoved);
}

TEST(Access, CommentsAreDeletedByTheirAuthorTheOwnerOrAModerator) {
  const Document doc = Doc(DocState::kReady, kFree);
  const storage::Comment by_other{1, 1, kOther.id, "other", "x", 0};
  EXPECT_TRUE(MayDeleteComment(&kOther, doc, by_other));
  EXPECT_TRUE(MayDeleteComment(&kOwner, doc, by_other));
  EXPECT_TRUE(MayDeleteComment(&kModerator, doc, by_other));
  EXPECT_TRUE(MayDeleteComment(&kAdmin, doc, by_other));
  const storage::User stranger{11, "stranger", "user"};
  EXPECT_FALSE(MayDeleteComment(&stranger, doc, by_other));
  EXPECT_FALSE(MayDeleteComment(nullptr, doc, by_other));
}

TEST(Access, AnUploadersUnreadyDocumentsAreListedForThemAndModerators) {
  EXPECT_FALSE(MayListUnready(nullptr, kOwner.id));
  EXPECT_FALSE(MayListUnready(&kOther, kOwner.id));
  EXPECT_TRUE(MayListUnready(&kOwner, kOwner.id));
  EXPECT_TRUE(MayListUnready(&kModerator, kOwner.id));
  EXPECT_TRUE(MayListUnready(&kAdmin, kOwner.id));
}

TEST(Access, TheOperatorAtTheCommandLineSeesEveryPage) {
  EXPECT_EQ(VisiblePages(Operator(), Doc(DocState::kReady, kPriced), Bought::kNo, kPreview), 10);
  EXPECT_TRUE(MayView(Operator(), Doc(DocState::kTakenDown, kPriced)));
}

}  // namespace
}  // namespace wenku::library
