// CaseStore: the moderation queue (cases: reports, claims, near-duplicates), the append-only
// audit log of every decision, and each user's notifications. Rows only: who may open or
// decide a case, and what a decision moves, are moderation/moderation.hpp's.
//
// Writes have a form taking `Sql& tx`, to be called inside Database::Transaction (a decision
// changes the case, the document, the ledger and the log in one unit of work).
// The audit log refuses UPDATE and DELETE (migration 5, {{APPEND_ONLY audit_log}}).
// Threading: safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

enum class CaseType { kReport, kClaim, kNearDuplicate };
enum class CaseState { kOpen, kDismissed, kTakenDown, kAccepted, kRejected };
std::string_view CaseTypeName(CaseType t);    // "report", "claim", "near_duplicate"
std::string_view CaseStateName(CaseState s);  // "open", "dismissed", "taken_down", …
std::optional<CaseType> ParseCaseType(std::string_view name);
std::optional<CaseState> ParseCaseState(std::string_view name);

struct Case {
  int64_t id = 0;
  CaseType type = CaseType::kReport;
  DocumentId document = 0;
  CaseState state = CaseState::kOpen;
  // report: copyright|porn|politics|spam|privacy|other, or "sensitive" for a review hold the
  // site opened itself (no reporter); claim: copyright
  std::string reason;
  std::string detail;  // a report's details, a claim's proof text
  std::string work;    // the work infringed or claimed
  std::string rights_holder;
  std::string contact;
  std::string proof_sha256;  // a claim's proof file (a private blob), "" when none
  UserId reporter = 0;       // 0: anonymous
  std::string reporter_name;
  DocumentId other_document = 0;  // near_duplicate: the document it resembles
  int64_t similarity = 0;         // near_duplicate: percent
  int64_t created_at = 0;
  int64_t decided_at = 0;
  UserId decided_by = 0;
  std::string decision_note;
  int64_t comment = 0;  // a review hold on a comment (reason "sensitive"): the comment
};

struct AuditEntry {
  int64_t id = 0;
  UserId actor = 0;  // 0: the operator at the command line
  std::string actor_name;
  std::string action;  // report, claim, dismiss, take_down, restore, accept_claim, reject_claim…
  int64_t case_id = 0;
  DocumentId document = 0;
  std::string note;
  int64_t created_at = 0;
  UserId user = 0;  // the user a decision is about (role, disable, enable, grant); 0: none
};

struct Notification {
  int64_t id = 0;
  UserId user = 0;
  // report, taken_down, restored, claim_accepted, claim_lost, claim_rejected, sold (note: the
  // uploader's share), disabled, enabled, role_changed (note: the new role), grant (note: the
  // amount, then the reason), …
  std::string kind;
  DocumentId document = 0;
  int64_t case_id = 0;
  std::string note;
  int64_t created_at = 0;
  bool read = false;
};

struct CaseFilter {
  std::optional<CaseType> type;
  std::optional<CaseState> state;
  DocumentId document = 0;  // 0: any
  int64_t limit = 50;
  int64_t offset = 0;
};

class CaseStore {
 public:
  CaseStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Opens a case (state open); returns its id. Errors: kIo.
  Result<int64_t> Open(Sql& tx, const Case& c);
  // Errors: kNotFound.
  Result<Case> Find(int64_t id);
  Result<Case> Find(Sql& tx, int64_t id);
  // Newest first.
  Result<std::vector<Case>> List(const CaseFilter& filter);
  Result<std::vector<Case>> List(Sql& tx, const CaseFilter& filter);
  Result<int64_t> CountOpen();
  // Whether `user` has an open claim on `document` (one at a time).
  Result<bool> HasOpenClaim(Sql& tx, UserId user, DocumentId document);
  // open -> `state`, with who decided and why. Errors: kConflict when the case is not open
  // (decided meanwhile: nothing is written).
  Status Close(Sql& tx, int64_t id, CaseState state, UserId by, const std::string& note);

  Status Log(Sql& tx, const AuditEntry& entry);
  // Oldest first.
  Result<std::vector<AuditEntry>> AuditOfDocument(DocumentId document);
  // The blobs holding proof files of reports and claims (no blob rows: `wenku check` must
  // not take them for orphans), sorted, each once.
  Result<std::vector<std::string>> ProofBlobs();
  Result<std::vector<AuditEntry>> AuditOfCase(int64_t case_id);
  Result<std::vector<AuditEntry>> RecentAudit(int64_t limit);
  // The decisions about `user`, newest first.
  Result<std::vector<AuditEntry>> AuditOfUser(UserId user, int64_t limit);

  Status Notify(Sql& tx, const Notification& n);
  // Newest first.
  Result<std::vector<Notification>> Inbox(UserId user, int64_t limit, int64_t offset);
  Result<int64_t> CountUnread(UserId user);
  Status MarkAllRead(UserId user);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
