#include "accounts/user_admin.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/text.hpp"
#include "library/search_entry.hpp"

namespace wenku::accounts {

using storage::Sql;

namespace {

bool IsModerator(library::Visitor v) { return v != nullptr && v->IsModerator(); }
bool IsAdmin(library::Visitor v) { return v != nullptr && v->IsAdmin(); }

bool NoteOk(const std::string& note, bool required) {
  if (required && note.find_first_not_of(" \t\r\n") == std::string::npos) return false;
  return IsValidUtf8(note) && CodePointCount(note) <= kMaxAdminNote;
}

storage::AuditEntry Entry(library::Visitor actor, std::string action, UserId user,
                          std::string note) {
  storage::AuditEntry e;
  e.actor = actor ? actor->id : 0;
  e.actor_name = actor ? actor->name : "operator";
  e.action = std::move(action);
  e.user = user;
  e.note = std::move(note);
  return e;
}

storage::Notification Note(UserId user, std::string kind, std::string note) {
  storage::Notification n;
  n.user = user;
  n.kind = std::move(kind);
  n.note = std::move(note);
  return n;
}

std::string Signed(int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

}  // namespace

bool MayListUsers(library::Visitor actor) { return IsModerator(actor); }
bool MayChangeRoles(library::Visitor actor) { return IsAdmin(actor); }
bool MayGrant(library::Visitor actor) { return IsAdmin(actor); }
bool MayDisable(library::Visitor actor, const storage::User& target) {
  return IsModerator(actor) && actor->id != target.id && (!target.IsAdmin() || IsAdmin(actor));
}

Result<std::vector<storage::UserSummary>> UserAdmin::List(library::Visitor actor,
                                                          const storage::UserQuery& query) {
  if (!MayListUsers(actor)) return MakeError(ErrorCode::kForbidden, "moderators_only");
  return d_.users.List(query);
}

Status UserAdmin::SetRole(library::Visitor actor, UserId user, const std::string& role,
                          const std::string& note) {
  if (!MayChangeRoles(actor)) return MakeError(ErrorCode::kForbidden, "admins_only");
  if (role != "user" && role != "moderator" && role != "admin") {
    return MakeError(ErrorCode::kInvalidInput, "role");
  }
  if (!NoteOk(note, false)) return MakeError(ErrorCode::kInvalidInput, "note");
  return d_.db.Transaction([&](Sql& tx) -> Status {
    auto target = d_.users.FindById(tx, user);
    if (!target.ok()) return target.error();
    if (target->role == role) return {};  // nothing changes, nothing to record
    if (target->IsAdmin() && !target->Disabled()) {
      auto admins = d_.users.CountActiveAdmins(tx);
      if (!admins.ok()) return admins.error();
      if (*admins <= 1) return MakeError(ErrorCode::kConflict, "last_admin");
    }
    WENKU_TRY(d_.users.SetRole(tx, user, role));
    std::string what = target->role + " → " + role;
    if (!note.empty()) what += ": " + note;
    WENKU_TRY(d_.cases.Log(tx, Entry(actor, "role", user, what)));
    return d_.cases.Notify(tx, Note(user, "role_changed", role));
  });
}

Status UserAdmin::Disable(library::Visitor actor, UserId user, const std::string& note) {
  return SetDisabled(actor, user, true, note);
}

Status UserAdmin::Enable(library::Visitor actor, UserId user, const std::string& note) {
  return SetDisabled(actor, user, false, note);
}

Status UserAdmin::SetDisabled(library::Visitor actor, UserId user, bool disabled,
                              const std::string& note) {
  if (!IsModerator(actor)) return MakeError(ErrorCode::kForbidden, "moderators_only");
  if (!NoteOk(note, true)) return MakeError(ErrorCode::kInvalidInput, "note");
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto target = d_.users.FindById(tx, user);
    if (!target.ok()) return target.error();
    if (actor->id == target->id) return MakeError(ErrorCode::kForbidden, "not_yourself");
    if (!MayDisable(actor, *target)) return MakeError(ErrorCode::kForbidden, "admin_by_admin");
    if (target->Disabled() == disabled) {
      return MakeError(ErrorCode::kConflict, disabled ? "already_disabled" : "not_disabled");
    }
    if (disabled) {
      WENKU_TRY(d_.users.SetDisabled(tx, user, std::max<int64_t>(1, d_.clock.NowMs()), note));
    } else {
      WENKU_TRY(d_.users.SetDisabled(tx, user, 0, ""));
    }
    if (disabled) {
      auto ended = d_.sessions.DeleteForUser(tx, user);
      if (!ended.ok()) return ended.error();
    }
    WENKU_TRY(d_.cases.Log(tx, Entry(actor, disabled ? "disable" : "enable", user, note)));
    return d_.cases.Notify(tx, Note(user, disabled ? "disabled" : "enabled", note));
  });
  if (!s.ok()) return s;
  // Search follows the account (best effort: `wenku reindex` repairs a failure).
  auto ids = d_.documents.ReadyIdsOfOwner(user);
  if (!ids.ok()) {
    spdlog::warn("user admin: documents of user {} not listed for search: {}", user,
                 ids.error().message);
    return {};
  }
  for (DocumentId id : *ids) {
    Status r = disabled ? d_.index.Remove(id) : library::ReturnToSearch(d_.documents, d_.index, id);
    if (!r.ok()) {
      spdlog::warn("user admin: document {} {} the search index: {}", id,
                   disabled ? "left in" : "not back in", r.error().message);
    }
  }
  return {};
}

Result<points::Award> UserAdmin::Grant(library::Visitor actor, UserId user, int64_t amount,
                                       const std::string& note, const std::string& key) {
  if (!MayGrant(actor)) return MakeError(ErrorCode::kForbidden, "admins_only");
  if (amount == 0 || amount > points::kMaxGrant || amount < -points::kMaxGrant) {
    return MakeError(ErrorCode::kInvalidInput, "amount");
  }
  if (!NoteOk(note, true)) return MakeError(ErrorCode::kInvalidInput, "note");
  if (key.empty() || key.size() > kMaxGrantKey) return MakeError(ErrorCode::kInvalidInput, "key");
  Result<points::Award> award = points::Award{};
  Status s = d_.db.Transaction([&](Sql& tx) -> Status {
    auto target = d_.users.FindById(tx, user);
    if (!target.ok()) return target.error();
    award = d_.points.Grant(tx, user, amount, note, key);
    if (!award.ok()) return award.error();
    if (!award->awarded) return {};  // this form granted before: once is all
    const std::string what = Signed(amount) + ": " + note;
    WENKU_TRY(d_.cases.Log(tx, Entry(actor, "grant", user, what)));
    return d_.cases.Notify(tx, Note(user, "grant", what));
  });
  if (!s.ok()) return s.error();
  return award;
}

}  // namespace wenku::accounts
