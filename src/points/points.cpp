#include "points/points.hpp"

#include <random>

namespace wenku::points {

using storage::Account;
using storage::LedgerTransaction;
using storage::NewTransaction;
using storage::Sql;
using storage::TxKind;

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::string RandomHex() {
  std::random_device rd;
  std::uniform_int_distribution<uint64_t> dist;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(dist(rd)),
                static_cast<unsigned long long>(dist(rd)));
  return buf;
}

// The amount a transaction moved on `account` (0 when it has no entry there).
int64_t AmountOn(const LedgerTransaction& t, const Account& account) {
  int64_t sum = 0;
  for (const auto& e : t.entries) {
    if (e.account == account) sum += e.amount;
  }
  return sum;
}

// The wallet balance of `user` right after `t` (which has an entry on it).
int64_t WalletAfter(const LedgerTransaction& t, UserId user) {
  int64_t after = 0;
  for (const auto& e : t.entries) {
    if (e.account == Account::Wallet(user)) after = e.balance_after;
  }
  return after;
}

}  // namespace

namespace {
// The runtime economy.* settings (the time zone is read once, at start).
void ReadAmounts(const Settings& c, Economy* e) {
  e->signup_bonus = c.GetInt("economy.signup_bonus");
  e->checkin_bonus = c.GetInt("economy.checkin_bonus");
  e->upload_reward = c.GetInt("economy.upload_reward");
  e->commission_percent = c.GetInt("economy.commission_percent");
  e->settle_days = c.GetInt("economy.settle_days");
}
}  // namespace

Result<Economy> Economy::FromConfig(const Settings& c) {
  Economy e;
  ReadAmounts(c, &e);
  e.time_zone = c.GetString("site.time_zone");
  // The amounts' ranges (not negative, a commission of 0-100) are checked where every
  // value is: ValidateSetting (core/settings.hpp), at load and on every save.
  auto zone = TimeZone::Find(e.time_zone);
  if (!zone.ok())
    return MakeError(ErrorCode::kInvalidInput, "site.time_zone: " + zone.error().message);
  return e;
}

Points::Points(storage::Database& db, storage::LedgerStore& ledger,
               storage::EntitlementStore& entitlements, storage::CaseStore& notices,
               const Clock& clock, Economy economy, TimeZone zone, const Settings* live)
    : db_(db),
      ledger_(ledger),
      entitlements_(entitlements),
      notices_(notices),
      clock_(clock),
      economy_(std::move(economy)),
      live_(live),
      zone_(std::move(zone)) {}

Economy Points::economy() const {
  if (live_ == nullptr) return economy_;
  Economy e = economy_;  // the time zone is a start-time setting
  ReadAmounts(*live_, &e);
  return e;
}

Result<Award> Points::Bonus(TxKind kind, const std::string& key, UserId user, DocumentId document,
                            int64_t amount, const std::string& memo) {
  Result<Award> award = Award{};
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    award = Bonus(tx, kind, key, user, document, amount, memo);
    if (!award.ok()) return award.error();
    return {};
  });
  if (!s.ok()) return s.error();
  return award;
}

Result<Award> Points::Bonus(Sql& tx, TxKind kind, const std::string& key, UserId user,
                            DocumentId document, int64_t amount, const std::string& memo) {
  Award award;
  if (amount <= 0) {  // a bonus switched off
    auto balance = ledger_.Balance(tx, Account::Wallet(user));
    if (!balance.ok()) return balance.error();
    award.balance = *balance;
    return award;
  }
  NewTransaction t;
  t.kind = kind;
  t.idempotency_key = key;
  t.user = user;
  t.document = document;
  t.memo = memo;
  t.entries = {{Account::PlatformGrants(), -amount}, {Account::Wallet(user), amount}};
  auto posted = ledger_.Post(tx, t);
  if (!posted.ok()) return posted.error();
  award.awarded = !posted->replayed;
  award.amount = AmountOn(posted->tx, Account::Wallet(user));
  award.tx_id = posted->tx.id;
  if (posted->replayed) {
    auto balance = ledger_.Balance(tx, Account::Wallet(user));
    if (!balance.ok()) return balance.error();
    award.balance = *balance;
  } else {
    award.balance = WalletAfter(posted->tx, user);
  }
  return award;
}

Result<Award> Points::SignupBonus(UserId user) {
  return Bonus(TxKind::kSignupBonus, "signup_bonus:" + std::to_string(user), user, 0,
               economy().signup_bonus, "");
}

Result<Award> Points::SignupBonus(Sql& tx, UserId user) {
  return Bonus(tx, TxKind::kSignupBonus, "signup_bonus:" + std::to_string(user), user, 0,
               economy().signup_bonus, "");
}

std::string Points::Today() const { return zone_.Date(clock_.NowMs()); }

Result<Award> Points::Checkin(UserId user) {
  const std::string today = Today();
  return Bonus(TxKind::kCheckin, "checkin:" + std::to_string(user) + ":" + today, user, 0,
               economy().checkin_bonus, today);
}

Result<bool> Points::CheckedInToday(UserId user) {
  auto t = ledger_.FindByKey("checkin:" + std::to_string(user) + ":" + Today());
  if (!t.ok()) return t.error();
  return t->has_value();
}

Result<Award> Points::UploadReward(DocumentId document, UserId owner) {
  return Bonus(TxKind::kUploadReward, "upload_reward:" + std::to_string(document), owner, document,
               economy().upload_reward, "");
}

Result<Award> Points::UploadReward(Sql& tx, DocumentId document, UserId owner) {
  return Bonus(tx, TxKind::kUploadReward, "upload_reward:" + std::to_string(document), owner,
               document, economy().upload_reward, "");
}

Result<Award> Points::ReverseUploadReward(DocumentId document) {
  Award award;
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto a = ReverseUploadReward(tx, document);
    if (!a.ok()) return a.error();
    award = *a;
    return {};
  });
  if (!s.ok()) return s.error();
  return award;
}

Result<Award> Points::ReverseUploadReward(Sql& tx, DocumentId document) {
  Award award;
  Status s = [&]() -> Status {
    auto reward = ledger_.OpenTransaction(tx, TxKind::kUploadReward, document);
    if (!reward.ok()) return reward.error();
    if (!*reward) return {};
    const LedgerTransaction& r = **reward;
    const int64_t amount = AmountOn(r, Account::Wallet(r.user));
    NewTransaction t;
    t.kind = TxKind::kReversal;
    t.idempotency_key = "reversal:" + std::to_string(r.id);
    t.user = r.user;
    t.document = document;
    t.related_tx = r.id;
    t.memo = "upload reward taken back";
    t.allow_debt = true;
    t.entries = {{Account::Wallet(r.user), -amount}, {Account::PlatformGrants(), amount}};
    auto posted = ledger_.Post(tx, t);
    if (!posted.ok()) return posted.error();
    award.awarded = true;
    award.amount = amount;
    award.tx_id = posted->tx.id;
    award.balance = WalletAfter(posted->tx, r.user);
    return {};
  }();
  if (!s.ok()) return s.error();
  return award;
}

Result<Award> Points::Grant(UserId user, int64_t n, const std::string& memo,
                            const std::string& key) {
  Result<Award> award = Award{};
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    award = Grant(tx, user, n, memo, key);
    if (!award.ok()) return award.error();
    return {};
  });
  if (!s.ok()) return s.error();
  return award;
}

Result<Award> Points::Grant(Sql& tx, UserId user, int64_t n, const std::string& memo,
                            const std::string& key) {
  if (n == 0 || n > kMaxGrant || n < -kMaxGrant) {
    return MakeError(ErrorCode::kInvalidInput,
                     "a grant is a non-zero number of points within ±" + std::to_string(kMaxGrant));
  }
  const std::string full_key =
      "grant:" + std::to_string(user) + ":" +
      (key.empty() ? std::to_string(clock_.NowMs()) + ":" + RandomHex() : key);
  if (n > 0) return Bonus(tx, TxKind::kGrant, full_key, user, 0, n, memo);
  // Taking points back: the wallet must hold them (allow_debt stays false, so the ledger's
  // conditional UPDATE refuses it with kInsufficientPoints and writes nothing).
  NewTransaction t;
  t.kind = TxKind::kGrant;
  t.idempotency_key = full_key;
  t.user = user;
  t.memo = memo;
  t.entries = {{Account::Wallet(user), n}, {Account::PlatformGrants(), -n}};
  auto posted = ledger_.Post(tx, t);
  if (!posted.ok()) return posted.error();
  Award award;
  award.awarded = !posted->replayed;
  award.amount = AmountOn(posted->tx, Account::Wallet(user));
  award.tx_id = posted->tx.id;
  auto balance = ledger_.Balance(tx, Account::Wallet(user));
  if (!balance.ok()) return balance.error();
  award.balance = *balance;
  return award;
}

Result<PurchaseResult> Points::Purchase(UserId buyer, const Document& document,
                                        std::string_view key) {
  // Whether it is for sale at all comes first: what is not for sale is refused whatever
  // the request carries.
  if (document.state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound,
                     "document " + std::to_string(document.id) + " is not for sale");
  }
  if (key.empty())
    return MakeError(ErrorCode::kInvalidInput, "a purchase needs an idempotency key");
  if (document.price <= 0) {
    return MakeError(ErrorCode::kInvalidInput, "a free document is not bought");
  }
  if (document.owner_id == buyer) {
    return MakeError(ErrorCode::kForbidden, "no one buys their own document");
  }
  const int64_t price = document.price;
  const int64_t commission = price * economy().commission_percent / 100;  // floor: both ≥ 0
  const int64_t share = price - commission;
  const std::string full_key = "purchase:" + std::to_string(buyer) + ":" + std::string(key);

  PurchaseResult result;
  bool raced = false;  // another purchase of (buyer, document) committed first
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto earlier = ledger_.FindByKey(tx, full_key);
    if (!earlier.ok()) return earlier.error();
    if (*earlier) {
      const LedgerTransaction& e = **earlier;
      if (e.kind != TxKind::kPurchase || e.document != document.id) {
        return MakeError(ErrorCode::kConflict,
                         "this idempotency key was used for another purchase");
      }
      result.outcome = PurchaseResult::Outcome::kReplayed;
      result.tx_id = e.id;
      result.price = -AmountOn(e, Account::Wallet(buyer));
      result.commission = AmountOn(e, Account::PlatformRevenue());
      return {};
    }
    auto entitled = entitlements_.Has(tx, buyer, document.id);
    if (!entitled.ok()) return entitled.error();
    if (*entitled) {
      result.outcome = PurchaseResult::Outcome::kAlreadyEntitled;
      return {};
    }
    NewTransaction t;
    t.kind = TxKind::kPurchase;
    t.idempotency_key = full_key;
    t.user = buyer;
    t.document = document.id;
    t.entries.push_back({Account::Wallet(buyer), -price});
    if (commission > 0) t.entries.push_back({Account::PlatformRevenue(), commission});
    if (share > 0) t.entries.push_back({Account::Pending(document.owner_id), share});
    auto posted = ledger_.Post(tx, t);
    if (!posted.ok()) return posted.error();
    auto added = entitlements_.Add(tx, buyer, document.id, posted->tx.id);
    if (!added.ok()) return added.error();
    if (!*added) {
      raced = true;
      return MakeError(ErrorCode::kConflict, "bought meanwhile");  // rolls the purchase back
    }
    // The uploader hears of the sale with it (rolled back with it, too).
    storage::Notification sold;
    sold.user = document.owner_id;
    sold.kind = "sold";
    sold.document = document.id;
    sold.note = std::to_string(share);
    WENKU_TRY(notices_.Notify(tx, sold));
    result.outcome = PurchaseResult::Outcome::kPurchased;
    result.tx_id = posted->tx.id;
    result.price = price;
    result.commission = commission;
    result.balance = WalletAfter(posted->tx, buyer);
    return {};
  });
  if (raced) {
    result = PurchaseResult{PurchaseResult::Outcome::kAlreadyEntitled};
  } else if (!s.ok()) {
    return s.error();
  }
  if (result.outcome == PurchaseResult::Outcome::kPurchased) {
    purchases_.fetch_add(1, std::memory_order_relaxed);
  }
  if (result.outcome != PurchaseResult::Outcome::kPurchased) {
    auto balance = ledger_.Balance(Account::Wallet(buyer));
    if (!balance.ok()) return balance.error();
    result.balance = *balance;
  }
  return result;
}

Result<bool> Points::Entitled(UserId user, DocumentId document) {
  return entitlements_.Has(user, document);
}

Result<SettleResult> Points::Settle() {
  const int64_t now = clock_.NowMs();
  const int64_t matured_before = now - economy().settle_days * kDayMs;  // credits at or before
  auto users = ledger_.UsersWithPending();
  if (!users.ok()) return users.error();
  SettleResult result;
  for (UserId user : *users) {
    Status s = db_.Transaction([&](Sql& tx) -> Status {
      auto pending = ledger_.Balance(tx, Account::Pending(user));
      if (!pending.ok()) return pending.error();
      // Pending earnings are first in, first out: what came in within the last settle_days
      // waits; refunds already taken from pending shorten what has matured.
      auto recent = ledger_.CreditsSince(tx, Account::Pending(user), matured_before + 1);
      if (!recent.ok()) return recent.error();
      // Matured earnings of a document someone has claimed wait for the claim's decision.
      auto held = ledger_.HeldForClaims(tx, Account::Pending(user), matured_before);
      if (!held.ok()) return held.error();
      const int64_t amount = *pending - *recent - *held;
      if (amount <= 0) return {};
      NewTransaction t;
      t.kind = TxKind::kSettle;
      t.idempotency_key = "settle:" + std::to_string(user) + ":" + std::to_string(now);
      t.user = user;
      t.entries = {{Account::Pending(user), -amount}, {Account::Wallet(user), amount}};
      auto posted = ledger_.Post(tx, t);
      if (!posted.ok()) return posted.error();
      if (!posted->replayed) {
        ++result.users;
        result.points += amount;
      }
      return {};
    });
    if (!s.ok()) return s.error();
  }
  return result;
}

Result<RefundResult> Points::Refund(DocumentId document) {
  RefundResult result;
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto r = Refund(tx, document);
    if (!r.ok()) return r.error();
    result = *r;
    return {};
  });
  if (!s.ok()) return s.error();
  return result;
}

Result<RefundResult> Points::Refund(Sql& tx, DocumentId document) {
  RefundResult result;
  {
    auto purchases = ledger_.OpenPurchases(tx, document);
    if (!purchases.ok()) return purchases.error();
    for (const LedgerTransaction& p : *purchases) {
      const UserId buyer = p.user;
      const int64_t price = -AmountOn(p, Account::Wallet(buyer));
      const int64_t commission = AmountOn(p, Account::PlatformRevenue());
      UserId owner = 0;
      int64_t share = 0;
      for (const auto& e : p.entries) {
        if (e.account.kind == storage::AccountKind::kPending) {
          owner = e.account.user;
          share += e.amount;
        }
      }
      NewTransaction t;
      t.kind = TxKind::kRefund;
      t.idempotency_key = "refund:" + std::to_string(p.id);
      t.user = buyer;
      t.document = document;
      t.related_tx = p.id;
      t.allow_debt = true;
      t.entries.push_back({Account::Wallet(buyer), price});
      if (commission != 0) t.entries.push_back({Account::PlatformRevenue(), -commission});
      if (share > 0) {
        auto pending = ledger_.Balance(tx, Account::Pending(owner));
        if (!pending.ok()) return pending.error();
        const int64_t from_pending = std::min(std::max<int64_t>(*pending, 0), share);
        if (from_pending > 0) t.entries.push_back({Account::Pending(owner), -from_pending});
        if (share > from_pending) {
          t.entries.push_back({Account::Wallet(owner), -(share - from_pending)});
        }
      }
      auto posted = ledger_.Post(tx, t);
      if (!posted.ok()) return posted.error();
      WENKU_TRY(entitlements_.Remove(tx, buyer, document));
      ++result.purchases;
      result.points += price;
    }
  }
  return result;
}

Result<int64_t> Points::TransferEarnings(Sql& tx, DocumentId document, UserId from, UserId to,
                                         const std::string& key) {
  auto purchases = ledger_.OpenPurchases(tx, document);
  if (!purchases.ok()) return purchases.error();
  int64_t share = 0;
  for (const LedgerTransaction& p : *purchases) share += AmountOn(p, Account::Pending(from));
  if (share <= 0 || from == to) return int64_t{0};
  auto pending = ledger_.Balance(tx, Account::Pending(from));
  if (!pending.ok()) return pending.error();
  const int64_t from_pending = std::min(std::max<int64_t>(*pending, 0), share);
  const int64_t from_wallet = share - from_pending;
  NewTransaction t;
  t.kind = TxKind::kReversal;
  t.idempotency_key = key;
  t.user = from;
  t.document = document;
  t.memo = "earnings moved to the rights holder (user " + std::to_string(to) + ")";
  t.allow_debt = true;
  if (from_pending > 0) {
    t.entries.push_back({Account::Pending(from), -from_pending});
    t.entries.push_back({Account::Pending(to), from_pending});
  }
  if (from_wallet > 0) {
    t.entries.push_back({Account::Wallet(from), -from_wallet});
    t.entries.push_back({Account::Wallet(to), from_wallet});
  }
  auto posted = ledger_.Post(tx, t);
  if (!posted.ok()) return posted.error();
  return share;
}

Result<Balances> Points::BalancesOf(UserId user) {
  auto wallet = ledger_.Balance(Account::Wallet(user));
  if (!wallet.ok()) return wallet.error();
  auto pending = ledger_.Balance(Account::Pending(user));
  if (!pending.ok()) return pending.error();
  return Balances{*wallet, *pending};
}

Result<std::vector<DayEarnings>> Points::EarningsByDay(UserId user, int days) {
  if (days < 1 || days > 366) {
    return MakeError(ErrorCode::kInvalidInput, "earnings by day: 1 to 366 days");
  }
  const int64_t now = clock_.NowMs();
  const std::vector<int64_t> edges = zone_.LastDays(now, days);  // … tomorrow's midnight
  auto sums = ledger_.EarningsBetween(user, edges);
  if (!sums.ok()) return sums.error();
  std::vector<DayEarnings> out;
  for (int i = 0; i < days; ++i) out.push_back(DayEarnings{zone_.Date(edges[i]), (*sums)[i]});
  return out;
}

}  // namespace wenku::points
