// ApiTokenStore: the API tokens of users (migration 14) — separate, revocable credentials for
// API clients (`Authorization: Bearer wk_…`), apart from log-in sessions. A token is known
// only by the SHA-256 of its secret; the secret itself is never stored. Who may make or revoke
// one, how many a user may hold and what a name may be are accounts/api_tokens.hpp's rules;
// this keeps rows only. An interface, so the rules are tested on a fake
// (tests/support/fake_api_token_store.hpp); SqlApiTokenStore is the database's.
// Threading: safe for concurrent use; each method is one statement or one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/user_store.hpp"

namespace wenku::storage {

struct ApiTokenRow {
  int64_t id = 0;
  UserId user_id = 0;
  std::string name;
  int64_t created_at = 0;
  int64_t last_used_at = 0;  // 0: never used
  int64_t revoked_at = 0;    // 0: in force
};

// What a token proves: its row and its user.
struct ApiTokenUse {
  ApiTokenRow token;
  User user;
};

// How many tokens a user holds now, for the rules' check before a new one.
struct ApiTokenCounts {
  int64_t active = 0;         // not revoked
  int64_t created_since = 0;  // made at or after the `since` asked for, revoked ones too
};

class ApiTokenStore {
 public:
  virtual ~ApiTokenStore() = default;
  // Adds a token of `user` made at `now`, unless `check` (given the user's counts, with
  // created_since counted from `since`) returns an error, which Create then returns. Count,
  // check and insert are one transaction, so two requests at once cannot both pass a limit.
  // Errors: check's, kConflict (the hash exists), kIo.
  virtual Result<ApiTokenRow> Create(UserId user, const std::string& name,
                                     const std::string& token_hash, int64_t now, int64_t since,
                                     const std::function<Status(const ApiTokenCounts&)>& check) = 0;
  // The token with this hash while it is in force and its user is enabled.
  // Errors: kNotFound (unknown, revoked, or the account disabled), kIo.
  virtual Result<ApiTokenUse> FindActive(const std::string& token_hash) = 0;
  // `user`'s tokens in force, newest first.
  virtual Result<std::vector<ApiTokenRow>> ListActive(UserId user) = 0;
  // Records a use at `now`.
  virtual Status Touch(int64_t id, int64_t now) = 0;
  // Revokes token `id` if it is `user`'s and in force. Errors: kNotFound (no such token of
  // this user in force), kIo.
  virtual Status Revoke(UserId user, int64_t id, int64_t now) = 0;
  // Revokes every token of `user` in force; returns how many.
  virtual Result<int64_t> RevokeAll(UserId user, int64_t now) = 0;
};

class SqlApiTokenStore final : public ApiTokenStore {
 public:
  explicit SqlApiTokenStore(Database& db) : db_(db) {}
  Result<ApiTokenRow> Create(UserId user, const std::string& name, const std::string& token_hash,
                             int64_t now, int64_t since,
                             const std::function<Status(const ApiTokenCounts&)>& check) override;
  Result<ApiTokenUse> FindActive(const std::string& token_hash) override;
  Result<std::vector<ApiTokenRow>> ListActive(UserId user) override;
  Status Touch(int64_t id, int64_t now) override;
  Status Revoke(UserId user, int64_t id, int64_t now) override;
  Result<int64_t> RevokeAll(UserId user, int64_t now) override;

 private:
  Database& db_;
};

}  // namespace wenku::storage
