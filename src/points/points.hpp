// Points: the economy's use cases, one function per rule, over the ledger
// (storage/ledger_store.hpp) and the entitlements (storage/entitlement_store.hpp). Every
// rule that changes several rows (a purchase: its transaction and the entitlement; a refund:
// every purchase of a document) runs them in ONE unit of work (Database::Transaction), so
// it happens wholly or not at all.
//
// Who pays whom (each a ledger transaction whose entries sum to zero):
//   SignupBonus    platform grants → wallet            once per user
//   Checkin        platform grants → wallet            once per calendar day in site.time_zone
//   UploadReward   platform grants → wallet            once per document (when it is ready)
//   ReverseUploadReward  wallet → platform grants      the reward back (takedown); may leave debt
//   Grant          platform grants ↔ wallet            an operator's or admin's adjustment
//                  (`wenku points grant`, /admin/users): n ≠ 0 within ±kMaxGrant; a negative
//                  one takes points back and is refused (kInsufficientPoints) when the wallet
//                  has fewer — a grant never makes a debt
//   Purchase       buyer's wallet → platform revenue (floor(price × commission% / 100))
//                                 + uploader's pending earnings (the rest); the uploader is
//                  notified (kind "sold", note: their share) in the purchase's unit of work
//   Settle         pending earnings older than settle_days → the same user's wallet, except
//                  a document's earnings while someone's claim on it is open
//   TransferEarnings  a claim accepted: the uploader's earnings from the document → the
//                  rights holder (kind reversal)
//   Refund         every purchase of a document back to its buyer: platform revenue returns
//                  its commission; the uploader's share comes from their pending earnings
//                  first, then their wallet, which may go negative (a debt)
//
// Idempotency: every rule derives its ledger key from what makes it unique
// ("checkin:<user>:<date>", "upload_reward:<document>", "refund:<purchase tx>", …); a
// purchase's key is the caller's (the form's token, the API's Idempotency-Key), scoped to the
// buyer ("purchase:<buyer>:<key>"), so a double click, a retried request or a second tab
// write once, and one user's key never answers for another's.
//
// Entitlements: a buyer is entitled to a document while an entitlement row exists (made by
// Purchase in the purchase's unit of work, removed by Refund). Its primary key (user,
// document) is what makes "charged at most once per document" hold even for two purchases
// with different keys at the same moment.
//
// Errors: kInvalidInput (bad amounts, empty keys, a free document), kNotFound (the document
// is not ready to be sold), kForbidden (buying one's own document), kInsufficientPoints
// (nothing written), kConflict (a purchase key reused for another document), kIo.
// Threading: safe for concurrent use (the ledger's isolation: see ledger_store.hpp).
#pragma once

#include <atomic>

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "storage/case_store.hpp"
#include "storage/database.hpp"
#include "storage/entitlement_store.hpp"
#include "storage/ledger_store.hpp"

namespace wenku::points {

// The economy.* settings and the site's calendar.
struct Economy {
  int64_t signup_bonus = 20;
  int64_t checkin_bonus = 5;
  int64_t upload_reward = 10;
  int64_t commission_percent = 20;  // 0..100
  int64_t settle_days = 7;
  std::string time_zone = "Asia/Shanghai";

  // The values `settings` holds now (their ranges were checked when they were set:
  // ValidateSetting). Errors: kInvalidInput (an unknown site.time_zone).
  static Result<Economy> FromConfig(const Settings& settings);
};

// A bonus: `awarded` is false when it had been given before (or is 0), then nothing changed.
struct Award {
  bool awarded = false;
  int64_t amount = 0;
  int64_t tx_id = 0;    // the (original) transaction; 0 when none
  int64_t balance = 0;  // the user's wallet now
};

struct PurchaseResult {
  enum class Outcome {
    kPurchased,        // charged now
    kReplayed,         // this key had bought it before: nothing charged again
    kAlreadyEntitled,  // bought before under another key: nothing charged
  };
  Outcome outcome = Outcome::kPurchased;
  int64_t tx_id = 0;  // the purchase (0 for kAlreadyEntitled)
  int64_t price = 0;
  int64_t commission = 0;
  int64_t balance = 0;  // the buyer's wallet now
};

struct RefundResult {
  int64_t purchases = 0;  // refunded now
  int64_t points = 0;     // returned to buyers
};

struct SettleResult {
  int64_t users = 0;
  int64_t points = 0;
};

// One calendar day's earnings (see "Earnings" in storage/ledger_store.hpp).
struct DayEarnings {
  std::string date;    // "YYYY-MM-DD" in site.time_zone
  int64_t amount = 0;  // shares of that day's purchases less that day's refunds; may be < 0
};

// The bound on one grant, either way.
inline constexpr int64_t kMaxGrant = 100000;

struct Balances {
  int64_t wallet = 0;   // below zero: a debt (only a refund or reversal makes one)
  int64_t pending = 0;  // earnings waiting for settlement
};

class Points {
 public:
  // `notices` receives the notifications a rule sends (a sale's, to its uploader).
  Points(storage::Database& db, storage::LedgerStore& ledger,
         storage::EntitlementStore& entitlements, storage::CaseStore& notices, const Clock& clock,
         Economy economy, TimeZone zone, const Settings* live = nullptr);

  // The economy now: read from `live` at every call when given (economy.* are runtime
  // settings, changed on /admin/settings), else the one given at construction.
  Economy economy() const;
  // The site's calendar (site.time_zone): what day a time falls on for the check-in, the
  // earnings per day, and the dates /me shows.
  const TimeZone& zone() const { return zone_; }

  Result<Award> SignupBonus(UserId user);
  // The same inside the caller's unit of work (a new account and its bonus: accounts.hpp).
  Result<Award> SignupBonus(storage::Sql& tx, UserId user);
  // Today's check-in (the date in site.time_zone now); awarded = false when already done.
  Result<Award> Checkin(UserId user);
  Result<bool> CheckedInToday(UserId user);
  // Today's date in the site's time zone, "YYYY-MM-DD".
  std::string Today() const;
  Result<Award> UploadReward(DocumentId document, UserId owner);
  // The same inside the caller's unit of work (the document's publication, publish_stage).
  Result<Award> UploadReward(storage::Sql& tx, DocumentId document, UserId owner);
  // Takes an upload reward back (the document was taken down); awarded = true when one was
  // taken. The owner's wallet may go below zero.
  Result<Award> ReverseUploadReward(DocumentId document);
  Result<Award> ReverseUploadReward(storage::Sql& tx, DocumentId document);
  // Gives `user` n points from the platform's grants (n < 0: takes -n back to them). `key`
  // makes a retry safe (scoped to the user: "grant:<user>:<key>"); empty: a fresh one (every
  // call grants). awarded = false: the key had granted before (nothing moved again).
  // Errors: kInvalidInput (n = 0 or |n| > kMaxGrant), kInsufficientPoints (a negative grant
  // larger than the wallet: nothing written).
  Result<Award> Grant(UserId user, int64_t n, const std::string& memo, const std::string& key = "");
  // The same inside the caller's unit of work (with its audit entry: accounts/user_admin.hpp).
  Result<Award> Grant(storage::Sql& tx, UserId user, int64_t n, const std::string& memo,
                      const std::string& key);

  // `buyer` buys `document` (REQUIRES: its id, owner_id, price and state are current) at its
  // price with economy.commission_percent. `key` is the caller's idempotency key. Errors:
  // kInvalidInput (price 0, empty key), kNotFound (not ready), kForbidden (own document),
  // kInsufficientPoints (the wallet has less than the price, or is in debt: nothing
  // written), kConflict (key used for another document).
  Result<PurchaseResult> Purchase(UserId buyer, const Document& document, std::string_view key);
  // Purchases charged (kPurchased) through this object since the process started: the
  // wenku_purchases_total counter of /metrics (per process; the ledger holds every one).
  int64_t purchases() const { return purchases_.load(std::memory_order_relaxed); }
  Result<bool> Entitled(UserId user, DocumentId document);

  // Moves every user's pending earnings older than economy.settle_days to their wallet.
  Result<SettleResult> Settle();
  // Returns every purchase of `document` not yet refunded to its buyer (one unit of work);
  // the refunded buyers are no longer entitled.
  Result<RefundResult> Refund(DocumentId document);
  // The same inside the caller's unit of work (a takedown: moderation.hpp).
  Result<RefundResult> Refund(storage::Sql& tx, DocumentId document);
  // A claim accepted: what `from` earned from `document`'s purchases that were not refunded
  // (their uploader's shares) moves to `to` as one `reversal` — from `from`'s pending
  // earnings first (into `to`'s pending), the rest from `from`'s wallet (into `to`'s
  // wallet; it may leave `from` in debt). Returns the points moved (0: nothing posted).
  // `key` makes it happen once (e.g. "claim:<case>").
  Result<int64_t> TransferEarnings(storage::Sql& tx, DocumentId document, UserId from, UserId to,
                                   const std::string& key);

  Result<Balances> BalancesOf(UserId user);
  // `user`'s earnings on each of the last `days` calendar days in site.time_zone, today
  // last: days.size() == days, each day from its local midnight to the next (a transaction
  // belongs to the day its time falls in, there). One query. REQUIRES: 1 <= days <= 366.
  Result<std::vector<DayEarnings>> EarningsByDay(UserId user, int days);

 private:
  Result<Award> Bonus(storage::TxKind kind, const std::string& key, UserId user,
                      DocumentId document, int64_t amount, const std::string& memo);
  Result<Award> Bonus(storage::Sql& tx, storage::TxKind kind, const std::string& key, UserId user,
                      DocumentId document, int64_t amount, const std::string& memo);

  storage::Database& db_;
  storage::LedgerStore& ledger_;
  storage::EntitlementStore& entitlements_;
  storage::CaseStore& notices_;
  const Clock& clock_;
  Economy economy_;
  const Settings* live_;
  std::atomic<int64_t> purchases_{0};
  TimeZone zone_;
};

}  // namespace wenku::points
