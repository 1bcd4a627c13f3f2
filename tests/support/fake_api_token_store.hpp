// FakeApiTokenStore: storage::ApiTokenStore in memory, for the rules' tests
// (tests/accounts/api_tokens_test.cpp). Users are registered with AddUser; Disable marks one
// disabled, as users.disabled_at does. Keeps the secret-free rows only, like the real store.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "storage/api_token_store.hpp"

namespace wenku::testing {

class FakeApiTokenStore final : public storage::ApiTokenStore {
 public:
  void AddUser(const storage::User& user) { users_[user.id] = user; }
  void Disable(UserId id, int64_t at) { users_[id].disabled_at = at; }
  void Enable(UserId id) { users_[id].disabled_at = 0; }
  // Every row, revoked ones too, with its hash (what the table holds).
  std::vector<std::pair<std::string, storage::ApiTokenRow>> rows() const {
    std::lock_guard lock(mu_);
    return rows_;
  }
  int touches = 0;

  Result<storage::ApiTokenRow> Create(
      UserId user, const std::string& name, const std::string& token_hash, int64_t now,
      int64_t since, const std::function<Status(const storage::ApiTokenCounts&)>& check) override {
    std::lock_guard lock(mu_);
    storage::ApiTokenCounts counts;
    for (const auto& [hash, row] : rows_) {
      if (row.user_id != user) continue;
      if (row.revoked_at == 0) ++counts.active;
      if (row.created_at >= since) ++counts.created_since;
      if (hash == token_hash) return MakeError(ErrorCode::kConflict, "hash exists");
    }
    WENKU_TRY(check(counts));
    storage::ApiTokenRow row{static_cast<int64_t>(rows_.size()) + 1, user, name, now, 0, 0};
    rows_.emplace_back(token_hash, row);
    return row;
  }
  Result<storage::ApiTokenUse> FindActive(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    for (const auto& [hash, row] : rows_) {
      if (hash != token_hash || row.revoked_at != 0) continue;
      auto u = users_.find(row.user_id);
      if (u == users_.end() || u->second.Disabled()) break;
      return storage::ApiTokenUse{row, u->second};
    }
    return MakeError(ErrorCode::kNotFound, "no such token");
  }
  Result<std::vector<storage::ApiTokenRow>> ListActive(UserId user) override {
    std::lock_guard lock(mu_);
    std::vector<storage::ApiTokenRow> out;
    for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
      if (it->second.user_id == user && it->second.revoked_at == 0) out.push_back(it->second);
    }
    return out;
  }
  Status Touch(int64_t id, int64_t now) override {
    std::lock_guard lock(mu_);
    ++touches;
    for (auto& [hash, row] : rows_) {
      if (row.id == id) row.last_used_at = now;
    }
    return {};
  }
  Status Revoke(UserId user, int64_t id, int64_t now) override {
    std::lock_guard lock(mu_);
    for (auto& [hash, row] : rows_) {
      if (row.id == id && row.user_id == user && row.revoked_at == 0) {
        row.revoked_at = now;
        return {};
      }
    }
    return MakeError(ErrorCode::kNotFound, "no such token");
  }
  Result<int64_t> RevokeAll(UserId user, int64_t now) override {
    std::lock_guard lock(mu_);
    int64_t n = 0;
    for (auto& [hash, row] : rows_) {
      if (row.user_id == user && row.revoked_at == 0) {
        row.revoked_at = now;
        ++n;
      }
    }
    return n;
  }

 private:
  mutable std::mutex mu_;
  std::map<UserId, storage::User> users_;
  std::vector<std::pair<std::string, storage::ApiTokenRow>> rows_;
};

}  // namespace wenku::testing
