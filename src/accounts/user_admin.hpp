// UserAdmin: what moderators and admins do to accounts (/admin/users, the admin API) — the
// one place these rules live; the website and the API call these, each decision one unit of
// work with its audit-log row (storage::CaseStore::Log, `user` = the account) and a
// notification to the user.
//
// Rules:
//   List       moderators and admins.
//   SetRole    admins only: user ↔ moderator ↔ admin. No demotion may leave the site
//              without an enabled admin (an admin cannot demote themself when they are the
//              last one: kConflict "last_admin").
//   Disable    moderators and admins, with a required note; an admin account only by an
//              admin; never one's own. In one unit of work: the account is marked disabled
//              (users.disabled_at, disabled_reason = the note), every session of it ends
//              (logged out everywhere at once), the audit row, the notification. Then (best
//              effort, after commit) its ready documents leave the search index. From then
//              on: log-in is refused (Accounts::Authenticate, "account_disabled"), and its
//              documents are hidden from everyone but moderators (library::CheckView: 404;
//              listings, home, sitemap and uploader pages leave them out: DocumentStore).
//   Enable     the same people, a required note: everything back, its ready documents
//              re-indexed (library::ReturnToSearch).
//   Grant      admins only (points are the site's money: who may mint them is kept to the
//              fewest people, as `wenku points grant` is the operator's): an amount n ≠ 0
//              within ±points::kMaxGrant and a required note, under the idempotency key of
//              the form that asked (a double submit grants once: awarded = false, and no
//              second audit row or notification). A negative grant needs the points in the
//              wallet (kInsufficientPoints).
//
// Errors: kForbidden (message: "moderators_only", "admins_only", "not_yourself",
// "admin_by_admin"), kInvalidInput (message: the field — "note", "role", "amount", "key"),
// kConflict ("last_admin", "already_disabled", "not_disabled"), kNotFound (no such user),
// kInsufficientPoints, kIo.
// Threading: safe for concurrent use (the stores are).
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "library/access.hpp"
#include "points/points.hpp"
#include "search/search_index.hpp"
#include "storage/case_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/session_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::accounts {

inline constexpr size_t kMaxAdminNote = 1000;  // characters
inline constexpr size_t kMaxGrantKey = 128;    // bytes

struct UserAdminDeps {
  storage::Database& db;
  storage::UserStore& users;
  storage::SessionStore& sessions;
  storage::CaseStore& cases;
  storage::DocumentStore& documents;
  points::Points& points;
  search::DocumentIndexer& index;
  const Clock& clock;
};

// The rules as pure functions of (actor, target), for pages to offer only what applies.
bool MayListUsers(library::Visitor actor);
bool MayChangeRoles(library::Visitor actor);
bool MayDisable(library::Visitor actor, const storage::User& target);
bool MayGrant(library::Visitor actor);

class UserAdmin {
 public:
  explicit UserAdmin(UserAdminDeps deps) : d_(deps) {}

  Result<std::vector<storage::UserSummary>> List(library::Visitor actor,
                                                 const storage::UserQuery& query);
  // `note` may be empty here (the new role says what changed).
  Status SetRole(library::Visitor actor, UserId user, const std::string& role,
                 const std::string& note);
  Status Disable(library::Visitor actor, UserId user, const std::string& note);
  Status Enable(library::Visitor actor, UserId user, const std::string& note);
  Result<points::Award> Grant(library::Visitor actor, UserId user, int64_t amount,
                              const std::string& note, const std::string& key);

 private:
  // Both directions of Disable / Enable.
  Status SetDisabled(library::Visitor actor, UserId user, bool disabled, const std::string& note);
  UserAdminDeps d_;
};

}  // namespace wenku::accounts
