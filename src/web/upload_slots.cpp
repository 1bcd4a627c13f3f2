#include "web/upload_slots.hpp"

namespace wenku::web {

std::shared_ptr<void> UploadSlots::Take(int64_t account, const std::string& address,
                                        int per_account, int per_address, Refusal* why) {
  std::lock_guard lock(mu_);
  auto a = accounts_.find(account);
  auto p = addresses_.find(address);
  if (a != accounts_.end() && a->second >= per_account) {
    *why = Refusal::kAccount;
    return nullptr;
  }
  if (p != addresses_.end() && p->second >= per_address) {
    *why = Refusal::kAddress;
    return nullptr;
  }
  ++accounts_[account];
  ++addresses_[address];
  *why = Refusal::kNone;
  // The handle owns nothing; its deleter gives the place back.
  return std::shared_ptr<void>(static_cast<void*>(this),
                               [this, account, address](void*) { Release(account, address); });
}

void UploadSlots::Release(int64_t account, const std::string& address) {
  std::lock_guard lock(mu_);
  if (auto a = accounts_.find(account); a != accounts_.end() && --a->second <= 0) {
    accounts_.erase(a);
  }
  if (auto p = addresses_.find(address); p != addresses_.end() && --p->second <= 0) {
    addresses_.erase(p);
  }
}

int UploadSlots::OfAccount(int64_t account) const {
  std::lock_guard lock(mu_);
  auto a = accounts_.find(account);
  return a == accounts_.end() ? 0 : a->second;
}

int UploadSlots::OfAddress(const std::string& address) const {
  std::lock_guard lock(mu_);
  auto p = addresses_.find(address);
  return p == addresses_.end() ? 0 : p->second;
}

}  // namespace wenku::web
