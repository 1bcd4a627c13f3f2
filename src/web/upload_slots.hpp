// UploadSlots: how many uploads each account and each address (SubscriberAddress: an IPv6
// /64) are sending right now, so that one account or one place cannot hold every upload
// the server takes at once (ServerOptions::max_concurrent_uploads, upload.max_concurrent).
// Dispatcher::Plan takes a place before an upload's body is read and the server holds it
// (BodyPlan::hold) until the answer is sent; dropping the handle gives the place back.
// Threading: safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace wenku::web {

class UploadSlots {
 public:
  enum class Refusal { kNone, kAccount, kAddress };

  // A place for one more upload of `account` from `address`, or nullptr when the account
  // already sends `per_account` uploads or the address `per_address` (`*why` says which).
  std::shared_ptr<void> Take(int64_t account, const std::string& address, int per_account,
                             int per_address, Refusal* why);

  // Uploads in flight now (tests, logs).
  int OfAccount(int64_t account) const;
  int OfAddress(const std::string& address) const;

 private:
  void Release(int64_t account, const std::string& address);

  mutable std::mutex mu_;
  std::unordered_map<int64_t, int> accounts_;
  std::unordered_map<std::string, int> addresses_;
};

}  // namespace wenku::web
