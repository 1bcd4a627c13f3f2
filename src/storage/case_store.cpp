#include "storage/case_store.hpp"

#include <array>

namespace wenku::storage {
namespace {

constexpr std::array<std::string_view, 3> kTypes = {"report", "claim", "near_duplicate"};
constexpr std::array<std::string_view, 5> kStates = {"open", "dismissed", "taken_down", "accepted",
                                                     "rejected"};

constexpr const char* kCaseColumns =
    "c.id, c.type, c.document_id, c.state, c.reason, c.detail, c.work, c.rights_holder, "
    "c.contact, c.proof_sha256, c.reporter_id, u.name, c.other_document_id, c.similarity, "
    "c.created_at, c.decided_at, c.decided_by, c.decision_note, c.comment_id";
constexpr const char* kCaseFrom = " FROM cases c LEFT JOIN users u ON u.id = c.reporter_id";

Case ToCase(const Row& r) {
  Case c;
  c.id = r.Int(0);
  c.type = ParseCaseType(r.Text(1)).value_or(CaseType::kReport);
  c.document = r.Int(2);
  c.state = ParseCaseState(r.Text(3)).value_or(CaseState::kOpen);
  c.reason = r.Text(4);
  c.detail = r.Text(5);
  c.work = r.Text(6);
  c.rights_holder = r.Text(7);
  c.contact = r.Text(8);
  c.proof_sha256 = r.Text(9);
  c.reporter = r.Int(10);
  c.reporter_name = r.Text(11);
  c.other_document = r.Int(12);
  c.similarity = r.Int(13);
  c.created_at = r.Int(14);
  c.decided_at = r.Int(15);
  c.decided_by = r.Int(16);
  c.decision_note = r.Text(17);
  c.comment = r.Int(18);
  return c;
}

Value OrNull(int64_t v) { return v == 0 ? Value(nullptr) : Value(v); }
Value OrNull(const std::string& v) { return v.empty() ? Value(nullptr) : Value(v); }

std::vector<AuditEntry> ToAudit(const Rows& rows) {
  std::vector<AuditEntry> out;
  for (const Row& r : rows) {
    out.push_back(AuditEntry{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5),
                             r.Text(6), r.Int(7), r.Int(8)});
  }
  return out;
}

constexpr const char* kAuditSelect =
    "SELECT id, actor_id, actor_name, action, case_id, document_id, note, created_at, user_id "
    "FROM audit_log ";

}  // namespace

std::string_view CaseTypeName(CaseType t) { return kTypes[static_cast<size_t>(t)]; }
std::string_view CaseStateName(CaseState s) { return kStates[static_cast<size_t>(s)]; }

std::optional<CaseType> ParseCaseType(std::string_view name) {
  for (size_t i = 0; i < kTypes.size(); ++i) {
    if (kTypes[i] == name) return static_cast<CaseType>(i);
  }
  return std::nullopt;
}

std::optional<CaseState> ParseCaseState(std::string_view name) {
  for (size_t i = 0; i < kStates.size(); ++i) {
    if (kStates[i] == name) return static_cast<CaseState>(i);
  }
  return std::nullopt;
}

Result<int64_t> CaseStore::Open(Sql& tx, const Case& c) {
  auto rows = tx.Query(
      "INSERT INTO cases (type, document_id, state, reason, detail, work, rights_holder, "
      "contact, proof_sha256, reporter_id, other_document_id, similarity, created_at, comment_id) "
      "VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {std::string(CaseTypeName(c.type)), c.document, c.reason, c.detail, c.work, c.rights_holder,
       c.contact, OrNull(c.proof_sha256), OrNull(c.reporter), OrNull(c.other_document),
       c.type == CaseType::kNearDuplicate ? Value(c.similarity) : Value(nullptr), clock_.NowMs(),
       OrNull(c.comment)});
  if (!rows.ok()) return rows.error();
  return (*rows)[0].Int(0);
}

Result<Case> CaseStore::Find(int64_t id) { return Find(db_, id); }

Result<Case> CaseStore::Find(Sql& tx, int64_t id) {
  auto row =
      tx.QueryOne(std::string("SELECT ") + kCaseColumns + kCaseFrom + " WHERE c.id = ?", {id});
  if (!row.ok()) {
    if (row.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no case " + std::to_string(id));
    }
    return row.error();
  }
  return ToCase(*row);
}

Result<std::vector<Case>> CaseStore::List(const CaseFilter& f) { return List(db_, f); }

Result<std::vector<Case>> CaseStore::List(Sql& tx, const CaseFilter& f) {
  std::string sql = std::string("SELECT ") + kCaseColumns + kCaseFrom + " WHERE 1 = 1";
  Params params;
  if (f.type) {
    sql += " AND c.type = ?";
    params.emplace_back(std::string(CaseTypeName(*f.type)));
  }
  if (f.state) {
    sql += " AND c.state = ?";
    params.emplace_back(std::string(CaseStateName(*f.state)));
  }
  if (f.document != 0) {
    sql += " AND c.document_id = ?";
    params.emplace_back(f.document);
  }
  sql += " ORDER BY c.id DESC LIMIT ? OFFSET ?";
  params.emplace_back(f.limit);
  params.emplace_back(f.offset);
  auto rows = tx.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<Case> out;
  for (const Row& r : *rows) out.push_back(ToCase(r));
  return out;
}

Result<int64_t> CaseStore::CountOpen() {
  auto row = db_.QueryOne("SELECT COUNT(*) FROM cases WHERE state = 'open'");
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<bool> CaseStore::HasOpenClaim(Sql& tx, UserId user, DocumentId document) {
  auto rows = tx.Query(
      "SELECT 1 FROM cases WHERE type = 'claim' AND state = 'open' AND reporter_id = ? "
      "AND document_id = ?",
      {user, document});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Status CaseStore::Close(Sql& tx, int64_t id, CaseState state, UserId by, const std::string& note) {
  auto rows = tx.Query(
      "UPDATE cases SET state = ?, decided_at = ?, decided_by = ?, decision_note = ? "
      "WHERE id = ? AND state = 'open' RETURNING id",
      {std::string(CaseStateName(state)), clock_.NowMs(), OrNull(by), note, id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict, "case " + std::to_string(id) + " is already decided");
  }
  return {};
}

Status CaseStore::Log(Sql& tx, const AuditEntry& e) {
  return tx.Exec(
      "INSERT INTO audit_log (actor_id, actor_name, action, case_id, document_id, note, "
      "created_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {OrNull(e.actor), e.actor_name, e.action, OrNull(e.case_id), OrNull(e.document), e.note,
       clock_.NowMs(), OrNull(e.user)});
}

Result<std::vector<AuditEntry>> CaseStore::AuditOfUser(UserId user, int64_t limit) {
  auto rows = db_.Query(std::string(kAuditSelect) + "WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                        {user, limit});
  if (!rows.ok()) return rows.error();
  return ToAudit(*rows);
}

Result<std::vector<AuditEntry>> CaseStore::AuditOfDocument(DocumentId document) {
  auto rows =
      db_.Query(std::string(kAuditSelect) + "WHERE document_id = ? ORDER BY id", {document});
  if (!rows.ok()) return rows.error();
  return ToAudit(*rows);
}

Result<std::vector<AuditEntry>> CaseStore::AuditOfCase(int64_t case_id) {
  auto rows = db_.Query(std::string(kAuditSelect) + "WHERE case_id = ? ORDER BY id", {case_id});
  if (!rows.ok()) return rows.error();
  return ToAudit(*rows);
}

Result<std::vector<AuditEntry>> CaseStore::RecentAudit(int64_t limit) {
  auto rows = db_.Query(std::string(kAuditSelect) + "ORDER BY id DESC LIMIT ?", {limit});
  if (!rows.ok()) return rows.error();
  return ToAudit(*rows);
}

Status CaseStore::Notify(Sql& tx, const Notification& n) {
  return tx.Exec(
      "INSERT INTO notifications (user_id, kind, document_id, case_id, note, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {n.user, n.kind, OrNull(n.document), OrNull(n.case_id), n.note, clock_.NowMs()});
}

Result<std::vector<Notification>> CaseStore::Inbox(UserId user, int64_t limit, int64_t offset) {
  auto rows = db_.Query(
      "SELECT id, user_id, kind, document_id, case_id, note, created_at, read_at "
      "FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
      {user, limit, offset});
  if (!rows.ok()) return rows.error();
  std::vector<Notification> out;
  for (const Row& r : *rows) {
    out.push_back(Notification{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Text(5),
                               r.Int(6), !r.IsNull(7)});
  }
  return out;
}

Result<int64_t> CaseStore::CountUnread(UserId user) {
  auto row = db_.QueryOne(
      "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Status CaseStore::MarkAllRead(UserId user) {
  return db_.Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                  {clock_.NowMs(), user});
}

Result<std::vector<std::string>> CaseStore::ProofBlobs() {
  auto rows = db_.Query(
      "SELECT DISTINCT proof_sha256 FROM cases WHERE proof_sha256 IS NOT NULL AND proof_sha256 "
      "<> '' ORDER BY 1");
  if (!rows.ok()) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

}  // namespace wenku::storage
