#include "moderation/moderation.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "core/text.hpp"
#include "ingest/file_type.hpp"
#include "library/categories.hpp"
#include "library/search_entry.hpp"
#include "search/library_search.hpp"

namespace wenku::moderation {

using storage::AuditEntry;
using storage::Case;
using storage::CaseState;
using storage::CaseType;
using storage::Notification;
using storage::Sql;

namespace {

constexpr std::array<std::string_view, 4> kActions = {"dismiss", "take_down", "accept_claim",
                                                      "reject_claim"};

bool TextOk(std::string_view text, size_t max_chars) {
  return IsValidUtf8(text) && CodePointCount(text) <= max_chars;
}

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool IsModerator(library::Visitor v) { return v != nullptr && v->IsModerator(); }

AuditEntry Entry(library::Visitor actor, std::string action, int64_t case_id, DocumentId document,
                 std::string note) {
  AuditEntry e;
  e.actor = actor ? actor->id : 0;
  e.actor_name = actor ? actor->name : "operator";
  e.action = std::move(action);
  e.case_id = case_id;
  e.document = document;
  e.note = std::move(note);
  return e;
}

Notification Note(UserId user, std::string kind, DocumentId document, int64_t case_id,
                  std::string note) {
  Notification n;
  n.user = user;
  n.kind = std::move(kind);
  n.document = document;
  n.case_id = case_id;
  n.note = std::move(note);
  return n;
}

Status CheckNote(const std::string& note) {
  if (Blank(note) || !TextOk(note, kMaxNote)) return MakeError(ErrorCode::kInvalidInput, "note");
  return {};
}

// Reads at most `max` + 1 bytes of `path`; kInvalidInput "proof_file" when it is bigger, not
// readable, or neither a PDF nor an image.
Status CheckProofFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0 || static_cast<int64_t>(size) > kMaxProofFileBytes) {
    return MakeError(ErrorCode::kInvalidInput, "proof_file");
  }
  std::ifstream in(path, std::ios::binary);
  std::string head(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  const auto type = ingest::DetectFileType(head, "");
  if (type.kind != ingest::FileKind::kPdf && type.kind != ingest::FileKind::kImage) {
    return MakeError(ErrorCode::kInvalidInput, "proof_file");
  }
  return {};
}

}  // namespace

void BackInSearch(storage::DocumentStore& documents, search::DocumentIndexer& index,
                  DocumentId document) {
  Status indexed = library::ReturnToSearch(documents, index, document);
  if (!indexed.ok()) {
    spdlog::warn("moderation: document {} not (back) in search: {}", document,
                 indexed.error().message);
  }
}

AuditEntry AuditOf(library::Visitor actor, std::string action, int64_t case_id, DocumentId document,
                   std::string note) {
  return Entry(actor, std::move(action), case_id, document, std::move(note));
}

std::optional<Action> ParseAction(std::string_view name) {
  for (size_t i = 0; i < kActions.size(); ++i) {
    if (kActions[i] == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::string_view ActionName(Action a) { return kActions[static_cast<size_t>(a)]; }

bool LooksLikeEmail(std::string_view t) {
  if (t.empty() || t.size() > kMaxContact) return false;
  const size_t at = t.find('@');
  if (at == 0 || at == std::string_view::npos || t.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = t.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') return false;
  return std::none_of(t.begin(), t.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '"';
  });
}

ReportProblems CheckReport(const ReportInput& in, bool anonymous) {
  ReportProblems p;
  p.reason =
      std::find(kReportReasons.begin(), kReportReasons.end(), in.reason) == kReportReasons.end();
  p.detail = !TextOk(in.detail, kMaxDetail);
  const bool copyright = in.reason == "copyright";
  p.work = !TextOk(in.work, kMaxField) || (copyright && Blank(in.work));
  p.rights_holder = !TextOk(in.rights_holder, kMaxField) || (copyright && Blank(in.rights_holder));
  p.contact = anonymous ? !LooksLikeEmail(in.contact)
                        : !(in.contact.empty() || (TextOk(in.contact, kMaxContact)));
  return p;
}

ClaimProblems CheckClaim(const ClaimInput& in) {
  ClaimProblems p;
  p.work = Blank(in.work) || !TextOk(in.work, kMaxField);
  p.proof = Blank(in.proof) || !TextOk(in.proof, kMaxProof);
  p.contact = Blank(in.contact) || !TextOk(in.contact, kMaxContact);
  return p;
}

namespace {

// The first field at fault, as the error's message.
template <typename P>
Status FirstProblem(const P& p, std::initializer_list<std::pair<bool P::*, const char*>> fields) {
  for (const auto& [member, name] : fields) {
    if (p.*member) return MakeError(ErrorCode::kInvalidInput, name);
  }
  return {};
}

}  // namespace

Result<int64_t> Moderation::Report(library::Visitor reporter, DocumentId document,
                                   const ReportInput& in) {
  WENKU_TRY(FirstProblem(CheckReport(in, reporter == nullptr),
                         {{&ReportProblems::reason, "reason"},
                          {&ReportProblems::detail, "detail"},
                          {&ReportProblems::work, "work"},
                          {&ReportProblems::rights_holder, "rights_holder"},
                          {&ReportProblems::contact, "contact"}}));
  auto doc = d_.documents.Find(document);
  if (!doc.ok()) return doc.error();
  if (doc->state != DocState::kReady || !library::MayView(reporter, *doc)) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
  }
  int64_t id = 0;
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    Case c;
    c.type = CaseType::kReport;
    c.document = document;
    c.reason = in.reason;
    c.detail = in.detail;
    c.work = in.work;
    c.rights_holder = in.rights_holder;
    c.contact = in.contact;
    c.reporter = reporter ? reporter->id : 0;
    auto opened = d_.cases.Open(tx, c);
    if (!opened.ok()) return opened.error();
    id = *opened;
    WENKU_TRY(d_.cases.Log(tx, Entry(reporter, "report", id, document, in.reason)));
    return d_.cases.Notify(tx, Note(doc->owner_id, "report", document, id, in.reason));
  });
  if (!s.ok()) return s.error();
  return id;
}

Result<int64_t> Moderation::Claim(const storage::User& claimant, DocumentId document,
                                  const ClaimInput& in) {
  WENKU_TRY(FirstProblem(CheckClaim(in), {{&ClaimProblems::work, "work"},
                                          {&ClaimProblems::proof, "proof"},
                                          {&ClaimProblems::contact, "contact"}}));
  if (!in.proof_file.empty()) WENKU_TRY(CheckProofFile(in.proof_file));
  auto doc = d_.documents.Find(document);
  if (!doc.ok()) return doc.error();
  if (doc->state != DocState::kReady || !library::MayView(&claimant, *doc)) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
  }
  if (IsOwnDocument(claimant.id, *doc)) {
    return MakeError(ErrorCode::kForbidden, "you own this document already");
  }
  std::string proof_sha;
  if (!in.proof_file.empty()) {
    auto stored = d_.blobs.PutFile(in.proof_file);  // a private blob: no route serves it
    if (!stored.ok()) return stored.error();
    proof_sha = stored->sha256;
  }
  int64_t id = 0;
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto open = d_.cases.HasOpenClaim(tx, claimant.id, document);
    if (!open.ok()) return open.error();
    if (*open) return MakeError(ErrorCode::kConflict, "you have an open claim on this document");
    Case c;
    c.type = CaseType::kClaim;
    c.document = document;
    c.reason = "copyright";
    c.detail = in.proof;
    c.work = in.work;
    c.contact = in.contact;
    c.proof_sha256 = proof_sha;
    c.reporter = claimant.id;
    auto opened = d_.cases.Open(tx, c);
    if (!opened.ok()) return opened.error();
    id = *opened;
    WENKU_TRY(d_.cases.Log(tx, Entry(&claimant, "claim", id, document, in.work)));
    return d_.cases.Notify(tx, Note(doc->owner_id, "claim", document, id, in.work));
  });
  if (!s.ok()) return s.error();
  return id;
}

Result<int64_t> Moderation::OpenNearDuplicate(Sql& tx, DocumentId document, DocumentId other,
                                              int64_t similarity) {
  Case c;
  c.type = CaseType::kNearDuplicate;
  c.document = document;
  c.other_document = other;
  c.similarity = similarity;
  c.reason = "copyright";
  auto opened = d_.cases.Open(tx, c);
  if (!opened.ok()) return opened.error();
  WENKU_TRY(d_.cases.Log(
      tx, Entry(nullptr, "near_duplicate", *opened, document,
                std::to_string(similarity) + "% like document " + std::to_string(other))));
  return *opened;
}

void Moderation::LeaveSearch(DocumentId document) {
  // Best effort after the commit: searches check the database, `wenku reindex` drops it.
  if (Status r = d_.index.Remove(document); !r.ok()) {
    spdlog::warn("moderation: document {} left in the search index: {}", document,
                 r.error().message);
  }
}

Status Moderation::TakeDownIn(Sql& tx, library::Visitor moderator, const Document& doc,
                              const std::string& reason, int64_t case_id, const std::string& note) {
  WENKU_TRY(d_.documents.TakeDown(tx, doc.id, reason));
  auto refunded = d_.points.Refund(tx, doc.id);
  if (!refunded.ok()) return refunded.error();
  auto reversed = d_.points.ReverseUploadReward(tx, doc.id);
  if (!reversed.ok()) return reversed.error();
  WENKU_TRY(d_.cases.Log(tx, Entry(moderator, "take_down", case_id, doc.id, note)));
  WENKU_TRY(d_.cases.Notify(tx, Note(doc.owner_id, "taken_down", doc.id, case_id, note)));
  // Every other open report and near-duplicate case of the document ends with it.
  storage::CaseFilter mine;
  mine.state = CaseState::kOpen;
  mine.document = doc.id;
  mine.limit = 1000;
  auto open = d_.cases.List(tx, mine);
  if (!open.ok()) return open.error();
  for (const Case& other : *open) {
    if (other.id == case_id || other.type == CaseType::kClaim) continue;
    WENKU_TRY(
        d_.cases.Close(tx, other.id, CaseState::kTakenDown, moderator ? moderator->id : 0, note));
  }
  return {};
}

Status Moderation::AcceptClaimIn(Sql& tx, library::Visitor moderator, const Case& c,
                                 const std::string& note) {
  auto doc = d_.documents.Find(tx, c.document);
  if (!doc.ok()) return doc.error();
  const UserId uploader = doc->owner_id;
  WENKU_TRY(d_.documents.SetOwner(tx, c.document, c.reporter));
  auto moved = d_.points.TransferEarnings(tx, c.document, uploader, c.reporter,
                                          "claim:" + std::to_string(c.id));
  if (!moved.ok()) return moved.error();
  WENKU_TRY(d_.cases.Log(tx, Entry(moderator, "accept_claim", c.id, c.document,
                                   note + " (" + std::to_string(*moved) + " points moved)")));
  WENKU_TRY(d_.cases.Notify(tx, Note(uploader, "claim_lost", c.document, c.id, note)));
  return d_.cases.Notify(tx, Note(c.reporter, "claim_accepted", c.document, c.id, note));
}

Result<std::vector<std::string>> Moderation::Screen(
    const std::vector<std::string_view>& texts) const {
  if (!d_.sensitive_words) return std::vector<std::string>{};
  std::string list = d_.sensitive_words();
  std::shared_ptr<const SensitiveWords> words;
  {
    std::lock_guard lock(words_mu_);
    if (!words_ || list != words_text_) {
      auto fold = TextFold::Shared(d_.opencc_config);
      if (!fold.ok()) return fold.error();
      words_ = std::make_shared<const SensitiveWords>(SensitiveWords::Parse(list, **fold));
      words_text_ = list;
    }
    words = words_;
  }
  std::vector<std::string> hits;
  for (std::string_view text : texts) {
    for (std::string& w : words->Hits(text)) {
      if (std::find(hits.begin(), hits.end(), w) == hits.end()) hits.push_back(std::move(w));
    }
  }
  return hits;
}

Result<int64_t> Moderation::HoldDocument(Sql& tx, DocumentId document, UserId owner,
                                         const std::vector<std::string>& words) {
  return Hold(tx, document, 0, owner, words);
}

Result<int64_t> Moderation::HoldComment(Sql& tx, DocumentId document, int64_t comment,
                                        UserId author, const std::vector<std::string>& words) {
  return Hold(tx, document, comment, author, words);
}

Result<int64_t> Moderation::Hold(Sql& tx, DocumentId document, int64_t comment, UserId author,
                                 const std::vector<std::string>& words) {
  Case c;
  c.type = CaseType::kReport;
  c.document = document;
  c.reason = std::string(kSensitiveReason);
  c.comment = comment;
  for (const auto& w : words) c.detail += (c.detail.empty() ? "" : "、") + w;
  auto id = d_.cases.Open(tx, c);
  if (!id.ok()) return id.error();
  WENKU_TRY(
      d_.cases.Log(tx, Entry(nullptr, comment ? "hold_comment" : "hold", *id, document, c.detail)));
  WENKU_TRY(d_.cases.Notify(
      tx, Note(author, comment ? "comment_held" : "held", document, *id, c.detail)));
  return *id;
}

Status Moderation::ReleaseIn(Sql& tx, const Case& c, const std::string& note) {
  if (c.comment != 0) {
    auto comment = d_.comments.Find(tx, c.comment);  // gone: its author deleted it meanwhile
    if (!comment.ok())
      return comment.error().code == ErrorCode::kNotFound ? Status{} : comment.error();
    if (auto released = d_.comments.Release(tx, c.comment); !released.ok()) return released.error();
    return d_.cases.Notify(tx, Note(comment->user_id, "comment_released", c.document, c.id, note));
  }
  auto doc = d_.documents.Find(tx, c.document);
  if (!doc.ok()) return doc.error();
  if (auto released = d_.documents.Release(tx, c.document); !released.ok()) return released.error();
  return d_.cases.Notify(tx, Note(doc->owner_id, "released", c.document, c.id, note));
}

Status Moderation::RemoveCommentIn(Sql& tx, library::Visitor moderator, const Case& c,
                                   const std::string& note) {
  auto comment = d_.comments.Find(tx, c.comment);
  WENKU_TRY(d_.cases.Log(tx, Entry(moderator, "remove_comment", c.id, c.document, note)));
  if (!comment.ok())
    return comment.error().code == ErrorCode::kNotFound ? Status{} : comment.error();
  WENKU_TRY(d_.comments.Delete(tx, c.comment));
  return d_.cases.Notify(tx, Note(comment->user_id, "comment_removed", c.document, c.id, note));
}

Status Moderation::Decide(library::Visitor moderator, int64_t case_id, Action action,
                          const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  WENKU_TRY(CheckNote(note));
  bool removed = false;
  DocumentId document = 0;
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto c = d_.cases.Find(tx, case_id);
    if (!c.ok()) return c.error();
    document = c->document;
    const bool claim = c->type == CaseType::kClaim;
    if ((action == Action::kAcceptClaim || action == Action::kRejectClaim) != claim) {
      return MakeError(ErrorCode::kInvalidInput, "action");
    }
    const UserId by = moderator->id;
    const bool hold = IsReviewHold(*c);
    switch (action) {
      case Action::kDismiss:
        WENKU_TRY(d_.cases.Close(tx, case_id, CaseState::kDismissed, by, note));
        WENKU_TRY(d_.cases.Log(
            tx, Entry(moderator, hold ? "release" : "dismiss", case_id, c->document, note)));
        if (hold) return ReleaseIn(tx, *c, note);
        return {};
      case Action::kTakeDown: {
        WENKU_TRY(d_.cases.Close(tx, case_id, CaseState::kTakenDown, by, note));
        if (hold && c->comment != 0) return RemoveCommentIn(tx, moderator, *c, note);
        auto doc = d_.documents.Find(tx, c->document);
        if (!doc.ok()) return doc.error();
        removed = true;
        return TakeDownIn(tx, moderator, *doc, c->reason, case_id, note);
      }
      case Action::kAcceptClaim:
        WENKU_TRY(d_.cases.Close(tx, case_id, CaseState::kAccepted, by, note));
        return AcceptClaimIn(tx, moderator, *c, note);
      case Action::kRejectClaim:
        WENKU_TRY(d_.cases.Close(tx, case_id, CaseState::kRejected, by, note));
        WENKU_TRY(d_.cases.Log(tx, Entry(moderator, "reject_claim", case_id, c->document, note)));
        return d_.cases.Notify(tx, Note(c->reporter, "claim_rejected", c->document, case_id, note));
    }
    return MakeError(ErrorCode::kInvalidInput, "action");
  });
  if (!s.ok()) return s;
  if (removed) LeaveSearch(document);
  return {};
}

Status Moderation::TakeDown(library::Visitor moderator, DocumentId document,
                            const std::string& reason, const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  if (std::find(kReportReasons.begin(), kReportReasons.end(), reason) == kReportReasons.end()) {
    return MakeError(ErrorCode::kInvalidInput, "reason");
  }
  WENKU_TRY(CheckNote(note));
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto doc = d_.documents.Find(tx, document);
    if (!doc.ok()) return doc.error();
    return TakeDownIn(tx, moderator, *doc, reason, 0, note);
  });
  if (!s.ok()) return s;
  LeaveSearch(document);
  return {};
}

Status Moderation::Restore(library::Visitor moderator, DocumentId document,
                           const std::string& note) {
  if (!IsModerator(moderator)) return MakeError(ErrorCode::kForbidden, "moderators only");
  WENKU_TRY(CheckNote(note));
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto doc = d_.documents.Find(tx, document);
    if (!doc.ok()) return doc.error();
    WENKU_TRY(d_.documents.Restore(tx, document));
    if (auto released = d_.documents.Release(tx, document); !released.ok()) return released.error();
    WENKU_TRY(d_.cases.Log(tx, Entry(moderator, "restore", 0, document, note)));
    return d_.cases.Notify(tx, Note(doc->owner_id, "restored", document, 0, note));
  });
  if (!s.ok()) return s;
  BackInSearch(d_.documents, d_.index, document);
  return {};
}

}  // namespace wenku::moderation
