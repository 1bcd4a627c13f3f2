#include "accounts/accounts.hpp"

#include <spdlog/spdlog.h>
#include "accounts/password.hpp"
#include "accounts/user_names.hpp"

#include "core/files.hpp"

namespace wenku::accounts {
namespace {

// A hash of a password nobody has, checked when the account does not exist so that a
// wrong name and a wrong password take the same time.
const std::string& DummyHash() {
  static const std::string hash = HashPassword("not a real password, only for timing");
  return hash;
}

}  // namespace

SessionPolicy SessionPolicy::FromConfig(const Config& config) {
  SessionPolicy p;
  p.idle_ms = config.GetInt("session.idle_minutes") * 60LL * 1000;
  p.max_ms = config.GetInt("session.max_days") * 24LL * 3600 * 1000;
  return p;
}

Result<storage::User> Accounts::Register(const std::string& raw_name, const std::string& password) {
  const std::string name = NormalizeUserName(raw_name);
  if (auto bad = CheckUserName(name)) return MakeError(ErrorCode::kInvalidInput, *bad);
  if (auto bad = CheckPassword(password)) return MakeError(ErrorCode::kInvalidInput, *bad);
  const std::string hash = HashPassword(password);  // ~70 ms: not inside the write lock
  Result<storage::User> user = storage::User{};
  Status s = db_.Transaction([&](storage::Sql& tx) -> Status {
    user = users_.Create(tx, name, "user", hash, NameSkeleton(name));
    if (!user.ok()) return user.error();
    auto bonus = points_.SignupBonus(tx, user->id);
    if (!bonus.ok()) return bonus.error();
    return {};
  });
  if (!s.ok()) {
    if (s.error().code == ErrorCode::kConflict) return NameConflict(name);
    return s.error();
  }
  return user;
}

Error Accounts::NameConflict(const std::string& name) {
  if (users_.FindByName(name).ok()) return MakeError(ErrorCode::kConflict, "name_taken");
  return MakeError(ErrorCode::kConflict, "name_confusable");
}

Result<storage::User> Accounts::EnsureUser(const std::string& raw_name, const std::string& role) {
  const std::string name = NormalizeUserName(raw_name);
  if (auto existing = users_.FindByName(name); existing.ok()) return existing;
  if (CheckUserName(name)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "a user name has 2–32 letters, digits, _ or -, in one script");
  }
  return users_.Ensure(name, role, NameSkeleton(name));
}

Result<int64_t> Accounts::FillNameSkeletons() {
  int64_t filled = 0;
  UserId after = 0;
  for (;;) {
    auto batch = users_.WithoutSkeleton(after, 500);
    if (!batch.ok()) return batch.error();
    if (batch->empty()) return filled;
    for (const storage::User& u : *batch) {
      after = u.id;
      const std::string skeleton = NameSkeleton(u.name);
      auto set = users_.SetSkeleton(u.id, skeleton);
      if (!set.ok()) return set.error();
      if (*set) {
        ++filled;
        continue;
      }
      auto holder = users_.FindBySkeleton(skeleton);
      spdlog::warn("accounts: user {} ({}) looks like user {} ({}); both predate the rule", u.name,
                   u.id, holder.ok() ? holder->name : "?", holder.ok() ? holder->id : 0);
    }
  }
}

Result<storage::User> Accounts::Authenticate(const std::string& name, const std::string& password) {
  auto user = users_.FindByName(NormalizeUserName(name));
  bool ok = false;
  if (user.ok()) {
    auto hash = users_.PasswordHash(user->id);
    if (!hash.ok()) return hash.error();
    // An account without a password (made by `wenku import`) costs a verification too.
    ok = VerifyPassword(hash->empty() ? DummyHash() : *hash, password) && !hash->empty();
  } else if (user.error().code == ErrorCode::kNotFound) {
    VerifyPassword(DummyHash(), password);
  } else {
    return user.error();
  }
  if (!ok) return MakeError(ErrorCode::kUnauthenticated, "bad_login");
  // Told only to whoever knows the password: a stranger learns nothing about the account.
  if (user->Disabled()) return MakeError(ErrorCode::kForbidden, "account_disabled");
  return user;
}

Result<bool> Accounts::AddOrUpdate(const std::string& raw_name, const std::string& role,
                                   const std::string& password, std::string* generated) {
  const std::string name = NormalizeUserName(raw_name);
  if (CheckUserName(name)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "a user name has 2–32 letters, digits, _ or -, in one script");
  }
  std::string p = password;
  if (p.empty()) {
    p = NewToken().substr(0, 16);
    if (generated != nullptr) *generated = p;
  }
  if (CheckPassword(p)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "a password has " + std::to_string(kPasswordMinChars) + "–" +
                         std::to_string(kPasswordMaxChars) + " characters");
  }
  const std::string hash = HashPassword(p);
  auto created = users_.Create(name, role, hash, NameSkeleton(name));
  if (created.ok()) return true;
  if (created.error().code != ErrorCode::kConflict) return created.error();
  if (!users_.FindByName(name).ok()) {
    auto holder = users_.FindBySkeleton(NameSkeleton(name));
    return MakeError(ErrorCode::kConflict, "the name " + name + " looks like the existing user " +
                                               (holder.ok() ? holder->name : std::string("?")) +
                                               "'s");
  }
  // A reset: the new password and the end of every session that knew the old one, together.
  WENKU_TRY(db_.Transaction([&](storage::Sql& tx) -> Status {
    auto id = users_.SetPassword(tx, name, hash, role);
    if (!id.ok()) return id.error();
    auto ended = sessions_.DeleteForUser(tx, *id);
    if (!ended.ok()) return ended.error();
    return {};
  }));
  return false;
}

Result<int64_t> Accounts::ChangePassword(const storage::User& user, const std::string& current,
                                         const std::string& new_password,
                                         const std::string& keep_token_hash) {
  if (auto bad = CheckPassword(new_password)) return MakeError(ErrorCode::kInvalidInput, *bad);
  auto old_hash = users_.PasswordHash(user.id);
  if (!old_hash.ok()) return old_hash.error();
  if (!VerifyPassword(*old_hash, current)) {
    return MakeError(ErrorCode::kUnauthenticated, "current_password_wrong");
  }
  const std::string hash = HashPassword(new_password);  // ~70 ms: not inside the write lock
  int64_t ended = 0;
  WENKU_TRY(db_.Transaction([&](storage::Sql& tx) -> Status {
    WENKU_TRY(users_.SetPasswordById(tx, user.id, hash));
    auto n = sessions_.DeleteOthers(tx, user.id, keep_token_hash);
    if (!n.ok()) return n.error();
    ended = *n;
    return {};
  }));
  return ended;
}

Result<Session> Accounts::OpenSession(const storage::User& user) {
  Session s{user, NewToken()};
  WENKU_TRY(sessions_.Create(Sha256Hex(s.token), user.id, policy_.max_ms));
  return s;
}

std::optional<storage::User> Accounts::UserForToken(const std::string& token,
                                                    std::string* token_hash) {
  if (token.size() != 64) return std::nullopt;
  std::string hash = Sha256Hex(token);
  auto row = sessions_.Find(hash);
  if (!row.ok()) return std::nullopt;
  const int64_t now = clock_.NowMs();
  if (now - row->last_seen_at >= policy_.idle_ms || now - row->created_at >= policy_.max_ms) {
    (void)sessions_.Delete(hash);
    return std::nullopt;
  }
  if (now - row->last_seen_at >= kSessionRenewEveryMs) (void)sessions_.Touch(hash, now);
  if (token_hash != nullptr) *token_hash = hash;
  return row->user;
}

Status Accounts::EndSession(const std::string& token_hash) {
  if (token_hash.empty()) return {};
  return sessions_.Delete(token_hash);
}

Result<int64_t> Accounts::DeleteExpiredSessions() {
  const int64_t now = clock_.NowMs();
  return sessions_.DeleteExpired(now - policy_.max_ms, now - policy_.idle_ms);
}

}  // namespace wenku::accounts
