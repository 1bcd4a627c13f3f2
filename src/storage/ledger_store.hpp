// LedgerStore: the points ledger, double-entry and append-only (see docs/architecture.md,
// "Points ledger").
//
//   account      a user's wallet, a user's pending earnings, the platform's revenue, the
//                platform's grants (the source of every bonus; its balance goes negative as
//                bonuses are handed out). Made on first use; never deleted.
//   transaction  a kind (signup_bonus, checkin, …), a unique idempotency key, the user and
//                document it is about, the transaction it undoes (refund, reversal: at most
//                once, the schema refuses a second), a memo and a time.
//   entry        (transaction, account, signed amount ≠ 0, the account's balance after it).
//
// Invariants: a transaction's entries sum to zero; entries and transactions are never updated
// or deleted (the schema's triggers refuse it); an account's cached `balance` is the sum of
// its entries, changed by the same SQL transaction that writes them, and each entry's
// `balance_after` is the running sum of its account. Check() proves all three.
//
// Overdraft: a user's pending earnings never go below zero, and a wallet not below zero
// unless the transaction allows debt (refunds and reversals, which take back what was
// already spent). The check and the write are one conditional UPDATE
// (`… SET balance = balance + ? WHERE id = ? AND balance + ? >= 0`), which fails the post
// with kInsufficientPoints and writes nothing.
//
// Units of work: every method that writes has a form taking `Sql& tx`, to be called inside
// Database::Transaction by a use case that changes several rows together (a purchase posts
// its transaction and records the entitlement in one unit of work); the forms without `tx`
// open their own transaction.
//
// Isolation relied on: the whole post (idempotency look-up, balance checks, inserts, cached
// balances) runs in ONE database transaction, and concurrent posts are serialised:
//   - SQLite: Database::Transaction is BEGIN IMMEDIATE, which takes the single write lock at
//     BEGIN (across processes too), so no two posts interleave: serialisable.
//   - PostgreSQL: READ COMMITTED with row locks, no SERIALIZABLE retries needed: the overdraft test
//   is the UPDATE's own
//     WHERE, re-evaluated on the newest row version after a row lock; the idempotency key and
//     the entitlement are inserted with ON CONFLICT DO NOTHING, which waits for a concurrent
//     insert of the same key and then sees it; accounts are updated in ascending id order,
//     so two posts cannot deadlock. Why not SERIALIZABLE with retries: a post touches a
//     few known rows, so row locks make exactly the conflicting posts wait for each other,
//     where serialisable transactions would abort and redo whole purchases under load.
//
// Errors: kInvalidInput (no entries, entries not summing to zero, an amount of 0, an empty
// key, a platform account for a user or a user account without one), kInsufficientPoints
// (an account would go below zero), kConflict (the key was used for a different kind, user
// or document; a transaction undone twice), kIo.
// Threading: safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

enum class AccountKind { kWallet, kPending, kPlatformRevenue, kPlatformGrants };
std::string_view AccountKindName(AccountKind kind);  // "wallet", "pending", …

// Names an account: a user's wallet or pending earnings, or one of the two platform accounts.
struct Account {
  AccountKind kind = AccountKind::kWallet;
  UserId user = 0;  // 0 for the platform's accounts

  static Account Wallet(UserId user) { return {AccountKind::kWallet, user}; }
  static Account Pending(UserId user) { return {AccountKind::kPending, user}; }
  static Account PlatformRevenue() { return {AccountKind::kPlatformRevenue, 0}; }
  static Account PlatformGrants() { return {AccountKind::kPlatformGrants, 0}; }
  bool operator==(const Account&) const = default;
};

enum class TxKind {
  kSignupBonus,
  kCheckin,
  kUploadReward,
  kPurchase,
  kSettle,
  kRefund,
  kGrant,
  kReversal,
};
std::string_view TxKindName(TxKind kind);  // "signup_bonus", "checkin", …
std::optional<TxKind> ParseTxKind(std::string_view name);

struct NewEntry {
  Account account;
  int64_t amount = 0;  // signed, never 0
};

struct NewTransaction {
  TxKind kind = TxKind::kGrant;
  std::string idempotency_key;  // unique over the whole ledger
  UserId user = 0;              // who it is about (the buyer of a purchase); 0 for none
  DocumentId document = 0;      // 0 for none; kept after the document is deleted
  int64_t related_tx = 0;       // the transaction a refund or reversal undoes; 0 for none
  std::string memo;
  bool allow_debt = false;  // a wallet may go below zero (refunds, reversals)
  std::vector<NewEntry> entries;
};

struct Entry {
  int64_t id = 0;
  Account account;
  int64_t amount = 0;
  int64_t balance_after = 0;
};

struct LedgerTransaction {
  int64_t id = 0;
  TxKind kind = TxKind::kGrant;
  std::string idempotency_key;
  UserId user = 0;
  DocumentId document = 0;
  int64_t related_tx = 0;
  std::string memo;
  int64_t created_at = 0;
  std::vector<Entry> entries;  // in the order they were written
};

// What Post did: `replayed` is false when this call wrote the transaction, true when the key
// had been posted before (then nothing was written and `tx` is the original).
struct Posted {
  LedgerTransaction tx;
  bool replayed = false;
};

// One line of a user's history: an entry on their wallet or pending earnings.
struct HistoryEntry {
  int64_t tx_id = 0;
  TxKind kind = TxKind::kGrant;
  AccountKind account = AccountKind::kWallet;
  int64_t amount = 0;
  int64_t balance_after = 0;
  DocumentId document = 0;
  std::string memo;
  int64_t created_at = 0;
};

// What a user's document has sold (see "Earnings" on LedgerStore).
struct DocumentSales {
  DocumentId document = 0;
  int64_t sales = 0;     // purchases not refunded
  int64_t earnings = 0;  // the owner's shares of those purchases, less what refunds took back
  bool operator==(const DocumentSales&) const = default;
};

// What `wenku ledger check` found: one sentence per difference (empty when all holds).
struct LedgerCheck {
  int64_t transactions = 0;
  int64_t accounts = 0;
  int64_t entries = 0;
  std::vector<std::string> problems;
};

class LedgerStore {
 public:
  LedgerStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Writes `t` and its entries and moves the cached balances, or, when its idempotency key
  // was posted before, writes nothing and returns the original (replayed = true; kConflict
  // when that one differs in kind, user or document). Errors: see the file comment; on any
  // error nothing of `t` is written.
  Result<Posted> Post(const NewTransaction& t);
  // The same inside the caller's unit of work (an error leaves it to the caller to roll
  // back, which Database::Transaction does when the error is returned).
  Result<Posted> Post(Sql& tx, const NewTransaction& t);

  // The cached balance (0 for an account never used).
  Result<int64_t> Balance(const Account& account);
  Result<int64_t> Balance(Sql& tx, const Account& account);

  // The transaction posted under `key`, if any.
  Result<std::optional<LedgerTransaction>> FindByKey(Sql& tx, std::string_view key);
  Result<std::optional<LedgerTransaction>> FindByKey(std::string_view key);
  // Errors: kNotFound.
  Result<LedgerTransaction> Find(Sql& tx, int64_t id);

  // Purchases of `document` not yet undone by a refund, oldest first.
  Result<std::vector<LedgerTransaction>> OpenPurchases(Sql& tx, DocumentId document);
  // The transaction of `kind` about `document` not yet undone (e.g. its upload reward).
  Result<std::optional<LedgerTransaction>> OpenTransaction(Sql& tx, TxKind kind,
                                                           DocumentId document);

  // Users whose pending earnings are above zero, by id.
  Result<std::vector<UserId>> UsersWithPending();
  // The sum of the positive entries on `account` written at or after `since_ms`.
  Result<int64_t> CreditsSince(Sql& tx, const Account& account, int64_t since_ms);
  // Purchase credits to `account` made at or before `until_ms` for documents with an open
  // claim opened before the purchase (not refunded): earnings held back from settlement
  // while a rights holder's claim is decided.
  Result<int64_t> HeldForClaims(Sql& tx, const Account& account, int64_t until_ms);

  // Entries on `user`'s wallet and pending earnings, newest first; `page` from 1.
  Result<std::vector<HistoryEntry>> History(UserId user, int64_t page, int64_t per_page);

  // Earnings. A user's earnings from a transaction are the sum of its entries on their wallet
  // and pending accounts, counted only for purchases and refunds of which they are not the
  // buyer: a purchase credits the uploader's share (price less commission) to pending; its
  // refund takes that share back (from pending, then the wallet). So a sold-then-refunded
  // document has earned 0, and the earnings of a user's documents summed equal their
  // earnings summed over time. Settlements (pending → wallet) are not earnings.

  // For each of `documents` that had a purchase: its open sales and the earnings of `owner`
  // from it (documents never bought are left out). One grouped query.
  // REQUIRES: documents.size() <= 500.
  Result<std::vector<DocumentSales>> SalesOf(UserId owner,
                                             const std::vector<DocumentId>& documents);
  // `user`'s earnings in each half-open interval [edges[i], edges[i+1]) of transaction time
  // (epoch ms): edges.size() - 1 sums, in order, 0 for an interval without any; a day that
  // refunded more than it sold is negative. One grouped query.
  // REQUIRES: edges ascending, 2 <= edges.size() <= 367.
  Result<std::vector<int64_t>> EarningsBetween(UserId user, const std::vector<int64_t>& edges);

  // Recomputes every transaction's sum, every cached balance and every running balance.
  Result<LedgerCheck> Check();

 private:
  Result<int64_t> AccountId(Sql& tx, const Account& account, bool create);
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
