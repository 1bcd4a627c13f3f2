// Moderation: copyright and content complaints, and what a moderator's decision does — the
// one place these rules live. The website (report and claim forms, /admin), the API and
// the CLI call these; ingest opens near-duplicate cases through OpenNearDuplicate.
//
// Cases (storage/case_store.hpp), each opened in the moderation queue:
//   report          anyone about a ready document: a reason (copyright, porn, politics,
//                   spam, privacy, other), details (at most 1000 characters); for copyright
//                   also the work infringed and the rights holder; an anonymous reporter
//                   leaves a contact e-mail address. Its owner is notified.
//   claim (认领)     a logged-in rights holder about someone else's ready document: the work,
//                   the proof (text; optionally a PDF or image file kept as a private blob,
//                   never served publicly), a contact. One open claim per claimant and
//                   document. While a claim is open, the document's new earnings are not
//                   settled (points::Points::Settle).
//   near_duplicate  opened by ingest: a new document nearly the same as another uploader's.
//   review hold     a `report` the site opens itself (reason "sensitive", no reporter) when
//                   a new document's title or description, or a new comment, holds a word
//                   of the sensitive-word list (sensitive_words.hpp; setting
//                   moderation.sensitive_words): the item is held — seen by its author and
//                   moderators only — instead of published; the detail names the words.
//                   Screen finds them; library::Submit and PostComment hold through
//                   HoldDocument / HoldComment inside their own unit of work.
//
// Decisions (moderators and admins; each one unit of work with its audit-log row):
//   dismiss       report / near_duplicate → dismissed; nothing else changes — except that
//                 dismissing a review hold releases it: the document or comment is
//                 published, and its author told.
//   take_down     report / near_duplicate → the document is `taken_down` with the report's
//                 reason: every purchase refunded (points::Points::Refund), the upload
//                 reward reversed, the owner notified; then (best effort, after commit) it
//                 leaves the search index. Other open reports on it are closed with it.
//                 On a comment's review hold: the comment is deleted, the document stays.
//   accept_claim  claim → accepted: the claimant owns the document from now on (future
//                 sales pay them) and the uploader's earnings from it move to the claimant
//                 (points::Points::TransferEarnings, kind reversal); both are told why.
//   reject_claim  claim → rejected; the claimant is told why.
// TakeDown and Restore also act without a case (a moderator's own decision). Restore is a
// new decision, recorded: it gives back neither refunds nor the reversed reward; it also
// releases a review hold (a moderator restoring a document publishes it).
// A note is required for every decision (it is what the people concerned are told).
//
// Errors: kInvalidInput (message: the field at fault — "reason", "detail", "work",
// "rights_holder", "contact", "proof", "proof_file", "note", "action"), kNotFound (no such
// document / case, or not one the actor may see), kForbidden (not a moderator; claiming
// one's own document), kConflict (the case is already decided, the document is not in a
// state the decision applies to, an open claim exists), kIo.
// Threading: safe for concurrent use; two moderators deciding one case at once decide it
// once (the other gets kConflict).
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "blob/blob_store.hpp"
#include "core/result.hpp"
#include "library/access.hpp"
#include "moderation/sensitive_words.hpp"
#include "points/points.hpp"
#include "search/search_index.hpp"
#include "storage/case_store.hpp"
#include "storage/comment_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"

namespace wenku::moderation {

inline constexpr std::array<std::string_view, 6> kReportReasons = {
    "copyright", "porn", "politics", "spam", "privacy", "other"};
// The reason of the review holds the site opens itself (never a reporter's choice).
inline constexpr std::string_view kSensitiveReason = "sensitive";
// Whether `c` is a review hold (opened by the site, not by a reporter).
inline bool IsReviewHold(const storage::Case& c) {
  return c.type == storage::CaseType::kReport && c.reason == kSensitiveReason && c.reporter == 0;
}
inline constexpr size_t kMaxDetail = 1000;  // characters
inline constexpr size_t kMaxField = 200;    // work, rights holder (characters)
inline constexpr size_t kMaxContact = 254;  // an e-mail address (bytes)
inline constexpr size_t kMaxProof = 5000;   // characters
inline constexpr size_t kMaxNote = 1000;    // characters
inline constexpr int64_t kMaxProofFileBytes = 10LL << 20;

struct ReportInput {
  std::string reason;  // one of kReportReasons
  std::string detail;
  std::string work;           // copyright: required
  std::string rights_holder;  // copyright: required
  std::string contact;        // anonymous: a required e-mail address
};

struct ClaimInput {
  std::string work;
  std::string proof;
  std::string contact;
  std::filesystem::path proof_file;  // optional: a PDF or image on local disk
};

enum class Action { kDismiss, kTakeDown, kAcceptClaim, kRejectClaim };
std::optional<Action> ParseAction(std::string_view name);  // "dismiss", "take_down", …
std::string_view ActionName(Action a);

// The fields at fault ("" when fine), for forms to show next to each field.
struct ReportProblems {
  bool reason = false, detail = false, work = false, rights_holder = false, contact = false;
  bool any() const { return reason || detail || work || rights_holder || contact; }
};
ReportProblems CheckReport(const ReportInput& input, bool anonymous);
struct ClaimProblems {
  bool work = false, proof = false, contact = false;
  bool any() const { return work || proof || contact; }
};
ClaimProblems CheckClaim(const ClaimInput& input);
// Whether `doc` is `claimant`'s own: a claim on it is refused (they own it already).
inline bool IsOwnDocument(UserId claimant, const Document& doc) { return doc.owner_id == claimant; }
// A plausible e-mail address: one '@', a dot in the domain, no spaces, at most 254 bytes.
bool LooksLikeEmail(std::string_view text);

// A ready document's current title, text and category into the search index (after a
// restore or an edit committed): library::ReturnToSearch, best effort — a failure is
// logged (`wenku reindex` repairs).
void BackInSearch(storage::DocumentStore& documents, search::DocumentIndexer& index,
                  DocumentId document);

// The audit-log row of a decision by `actor` (nullptr: the operator, on the command line).
storage::AuditEntry AuditOf(library::Visitor actor, std::string action, int64_t case_id,
                            DocumentId document, std::string note);

struct ModerationDeps {
  storage::Database& db;
  storage::CaseStore& cases;
  storage::DocumentStore& documents;
  points::Points& points;
  blob::BlobStore& blobs;
  search::DocumentIndexer& index;
  storage::CommentStore& comments;
  // The sensitive-word list as the setting holds it now (moderation.sensitive_words);
  // read at every Screen, parsed again only when it changed. None: nothing is held.
  std::function<std::string()> sensitive_words = {};
  std::string opencc_config = "/usr/share/opencc/t2s.json";  // search.opencc_config
};

class Moderation {
 public:
  explicit Moderation(ModerationDeps deps) : d_(deps) {}

  Result<int64_t> Report(library::Visitor reporter, DocumentId document, const ReportInput& input);
  Result<int64_t> Claim(const storage::User& claimant, DocumentId document,
                        const ClaimInput& input);
  // Inside ingest's unit of work: `document` is `similarity`% like `other` (another
  // uploader's). Returns the case id.
  Result<int64_t> OpenNearDuplicate(storage::Sql& tx, DocumentId document, DocumentId other,
                                    int64_t similarity);

  // The sensitive words found in `texts` (a title and a description, or a comment): empty
  // when the item may be published. Errors: kInternal (OpenCC's data missing).
  Result<std::vector<std::string>> Screen(const std::vector<std::string_view>& texts) const;
  // Inside the caller's unit of work: the review case for a new held document (owned by
  // `owner`) or comment (`comment` ≠ 0, written by `author` under `document`), its audit row,
  // and a notification to the owner / author. Returns the case id.
  Result<int64_t> HoldDocument(storage::Sql& tx, DocumentId document, UserId owner,
                               const std::vector<std::string>& words);
  Result<int64_t> HoldComment(storage::Sql& tx, DocumentId document, int64_t comment, UserId author,
                              const std::vector<std::string>& words);

  Status Decide(library::Visitor moderator, int64_t case_id, Action action,
                const std::string& note);
  Status TakeDown(library::Visitor moderator, DocumentId document, const std::string& reason,
                  const std::string& note);
  Status Restore(library::Visitor moderator, DocumentId document, const std::string& note);

 private:
  // The takedown's writes, inside `tx`.
  Status TakeDownIn(storage::Sql& tx, library::Visitor moderator, const Document& doc,
                    const std::string& reason, int64_t case_id, const std::string& note);
  // A taken-down document out of the search index (after its transaction committed).
  void LeaveSearch(DocumentId document);
  Status AcceptClaimIn(storage::Sql& tx, library::Visitor moderator, const storage::Case& c,
                       const std::string& note);
  Result<int64_t> Hold(storage::Sql& tx, DocumentId document, int64_t comment, UserId author,
                       const std::vector<std::string>& words);
  // A review hold's decisions inside `tx`: dismiss releases the item; take_down on a
  // comment's hold deletes the comment.
  Status ReleaseIn(storage::Sql& tx, const storage::Case& c, const std::string& note);
  Status RemoveCommentIn(storage::Sql& tx, library::Visitor moderator, const storage::Case& c,
                         const std::string& note);
  ModerationDeps d_;
  // The parsed list and the text it was parsed from.
  mutable std::mutex words_mu_;
  mutable std::string words_text_;
  mutable std::shared_ptr<const SensitiveWords> words_;
};

}  // namespace wenku::moderation
