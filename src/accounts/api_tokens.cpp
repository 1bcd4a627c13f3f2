// ApiTokens: see api_tokens.hpp for the rules.
#include "accounts/api_tokens.hpp"

#include "accounts/password.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace wenku::accounts {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// ASCII whitespace and the ideographic space U+3000 off both ends.
std::string Trim(std::string s) {
  static const std::string kIdeographicSpace = "\u3000";
  for (bool changed = true; changed;) {
    changed = false;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.erase(0, 1);
      changed = true;
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.pop_back();
      changed = true;
    }
    if (s.starts_with(kIdeographicSpace)) {
      s.erase(0, kIdeographicSpace.size());
      changed = true;
    }
    if (s.ends_with(kIdeographicSpace)) {
      s.resize(s.size() - kIdeographicSpace.size());
      changed = true;
    }
  }
  return s;
}

}  // namespace

bool LooksLikeApiToken(std::string_view token) {
  if (token.size() != kApiTokenPrefix.size() + 64 || !token.starts_with(kApiTokenPrefix)) {
    return false;
  }
  for (char c : token.substr(kApiTokenPrefix.size())) {
    if (!IsHexDigit(c)) return false;
  }
  return true;
}

std::optional<std::string> CleanApiTokenName(std::string_view raw) {
  // Bounded before any work: a name of more than 4 bytes a character cannot pass.
  if (raw.size() > kApiTokenNameMaxChars * 4 + 64 || !IsValidUtf8(raw)) return std::nullopt;
  std::string name = Trim(NormalizeNfc(raw));
  if (name.empty() || CodePointCount(name) > kApiTokenNameMaxChars) return std::nullopt;
  if (DropControls(name) != name) return std::nullopt;  // controls, bidi controls
  return name;
}

Result<CreatedApiToken> ApiTokens::Create(const storage::User& user, std::string_view raw_name,
                                          Proof proof) {
  if (proof != Proof::kSession) return MakeError(ErrorCode::kForbidden, "token_needs_session");
  auto name = CleanApiTokenName(raw_name);
  if (!name) return MakeError(ErrorCode::kInvalidInput, "token_name_invalid");
  CreatedApiToken out;
  out.secret = std::string(kApiTokenPrefix) + NewToken();
  const int64_t now = clock_.NowMs();
  auto row = store_.Create(user.id, *name, Sha256Hex(out.secret), now, now - kDayMs,
                           [](const storage::ApiTokenCounts& c) -> Status {
                             if (c.active >= kMaxActiveApiTokens) {
                               return MakeError(ErrorCode::kConflict, "too_many_tokens");
                             }
                             if (c.created_since >= kMaxApiTokensPerDay) {
                               return MakeError(ErrorCode::kRateLimited, "too_many_tokens_today");
                             }
                             return {};
                           });
  if (!row.ok()) return row.error();
  out.row = std::move(row).value();
  return out;
}

Result<std::vector<storage::ApiTokenRow>> ApiTokens::List(const storage::User& user) {
  return store_.ListActive(user.id);
}

Status ApiTokens::Revoke(const storage::User& user, int64_t id) {
  Status s = store_.Revoke(user.id, id, clock_.NowMs());
  if (!s.ok() && s.error().code == ErrorCode::kNotFound) {
    return MakeError(ErrorCode::kNotFound, "token_not_found");
  }
  return s;
}

std::optional<storage::ApiTokenUse> ApiTokens::UserForToken(std::string_view token) {
  if (!LooksLikeApiToken(token)) return std::nullopt;
  auto use = store_.FindActive(Sha256Hex(token));
  if (!use.ok()) return std::nullopt;
  const int64_t now = clock_.NowMs();
  if (now - use->token.last_used_at >= kApiTokenTouchEveryMs) {
    if (store_.Touch(use->token.id, now).ok()) use->token.last_used_at = now;
  }
  return std::move(use).value();
}

Result<int64_t> ApiTokens::RevokeAll(UserId user) { return store_.RevokeAll(user, clock_.NowMs()); }

}  // namespace wenku::accounts
