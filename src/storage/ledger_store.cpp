#include "storage/ledger_store.hpp"

#include <algorithm>
#include <array>

namespace wenku::storage {
namespace {

constexpr std::array<std::pair<AccountKind, std::string_view>, 4> kAccountKinds = {{
    {AccountKind::kWallet, "wallet"},
    {AccountKind::kPending, "pending"},
    {AccountKind::kPlatformRevenue, "platform_revenue"},
    {AccountKind::kPlatformGrants, "platform_grants"},
}};

constexpr std::array<std::pair<TxKind, std::string_view>, 8> kTxKinds = {{
    {TxKind::kSignupBonus, "signup_bonus"},
    {TxKind::kCheckin, "checkin"},
    {TxKind::kUploadReward, "upload_reward"},
    {TxKind::kPurchase, "purchase"},
    {TxKind::kSettle, "settle"},
    {TxKind::kRefund, "refund"},
    {TxKind::kGrant, "grant"},
    {TxKind::kReversal, "reversal"},
}};

AccountKind ParseAccountKind(std::string_view name) {
  for (const auto& [kind, n] : kAccountKinds) {
    if (n == name) return kind;
  }
  return AccountKind::kWallet;
}

bool IsUserAccount(AccountKind kind) {
  return kind == AccountKind::kWallet || kind == AccountKind::kPending;
}

std::string Describe(const Account& a) {
  if (!IsUserAccount(a.kind)) return std::string(AccountKindName(a.kind));
  return std::string(AccountKindName(a.kind)) + " of user " + std::to_string(a.user);
}

Value IdOrNull(int64_t id) { return id ? Value(id) : Value(nullptr); }

constexpr const char* kTxColumns =
    "SELECT id, kind, idempotency_key, user_id, document_id, related_tx, memo, created_at "
    "FROM ledger_transactions ";

LedgerTransaction ToTransaction(const Row& r) {
  LedgerTransaction t;
  t.id = r.Int(0);
  t.kind = ParseTxKind(r.Text(1)).value_or(TxKind::kGrant);
  t.idempotency_key = r.Text(2);
  t.user = r.Int(3);
  t.document = r.Int(4);
  t.related_tx = r.Int(5);
  t.memo = r.Text(6);
  t.created_at = r.Int(7);
  return t;
}

Status LoadEntries(Sql& sql, LedgerTransaction* t) {
  auto rows = sql.Query(
      "SELECT e.id, a.kind, a.user_id, e.amount, e.balance_after FROM ledger_entries e "
      "JOIN ledger_accounts a ON a.id = e.account_id WHERE e.tx_id = ? ORDER BY e.id",
      {t->id});
  if (!rows.ok()) return rows.error();
  t->entries.clear();
  for (const auto& r : *rows) {
    t->entries.push_back(
        Entry{r.Int(0), Account{ParseAccountKind(r.Text(1)), r.Int(2)}, r.Int(3), r.Int(4)});
  }
  return {};
}

Result<std::vector<LedgerTransaction>> LoadAll(Sql& sql, const Rows& rows) {
  std::vector<LedgerTransaction> out;
  for (const auto& r : rows) {
    LedgerTransaction t = ToTransaction(r);
    WENKU_TRY(LoadEntries(sql, &t));
    out.push_back(std::move(t));
  }
  return out;
}

Status Validate(const NewTransaction& t) {
  if (t.idempotency_key.empty()) {
    return MakeError(ErrorCode::kInvalidInput, "a ledger transaction needs an idempotency key");
  }
  if (t.entries.empty()) {
    return MakeError(ErrorCode::kInvalidInput, "a ledger transaction needs entries");
  }
  int64_t sum = 0;
  for (const auto& e : t.entries) {
    if (e.amount == 0) {
      return MakeError(ErrorCode::kInvalidInput, "a ledger entry of 0 points means nothing");
    }
    if (IsUserAccount(e.account.kind) != (e.account.user != 0)) {
      return MakeError(ErrorCode::kInvalidInput,
                       "a wallet or pending account belongs to a user, a platform account not");
    }
    if (__builtin_add_overflow(sum, e.amount, &sum)) {
      return MakeError(ErrorCode::kInvalidInput, "ledger amounts out of range");
    }
  }
  if (sum != 0) {
    return MakeError(
        ErrorCode::kInvalidInput,
        "the entries of a ledger transaction must sum to zero, not " + std::to_string(sum));
  }
  return {};
}

}  // namespace

std::string_view AccountKindName(AccountKind kind) {
  for (const auto& [k, name] : kAccountKinds) {
    if (k == kind) return name;
  }
  return "wallet";
}

std::string_view TxKindName(TxKind kind) {
  for (const auto& [k, name] : kTxKinds) {
    if (k == kind) return name;
  }
  return "grant";
}

std::optional<TxKind> ParseTxKind(std::string_view name) {
  for (const auto& [kind, n] : kTxKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

Result<int64_t> LedgerStore::AccountId(Sql& tx, const Account& account, bool create) {
  const std::string kind(AccountKindName(account.kind));
  auto find = [&]() -> Result<Rows> {
    if (IsUserAccount(account.kind)) {
      return tx.Query("SELECT id FROM ledger_accounts WHERE kind = ? AND user_id = ?",
                      {kind, account.user});
    }
    return tx.Query("SELECT id FROM ledger_accounts WHERE kind = ? AND user_id IS NULL", {kind});
  };
  auto rows = find();
  if (!rows.ok()) return rows.error();
  if (!rows->empty()) return (*rows)[0].Int(0);
  if (!create) return int64_t{0};
  WENKU_TRY(tx.Exec(
      "INSERT INTO ledger_accounts (kind, user_id, balance, created_at) VALUES (?, ?, 0, ?) "
      "ON CONFLICT DO NOTHING",
      {kind, IdOrNull(account.user), clock_.NowMs()}));
  rows = find();
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "no ledger account: " + Describe(account));
  }
  return (*rows)[0].Int(0);
}

Result<Posted> LedgerStore::Post(const NewTransaction& t) {
  WENKU_TRY(Validate(t));
  Posted posted;
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto r = Post(tx, t);
    if (!r.ok()) return r.error();
    posted = std::move(r).value();
    return {};
  });
  if (!s.ok()) return s.error();
  return posted;
}

Result<Posted> LedgerStore::Post(Sql& tx, const NewTransaction& t) {
  WENKU_TRY(Validate(t));
  const int64_t now = clock_.NowMs();
  auto inserted = tx.Query(
      "INSERT INTO ledger_transactions (kind, idempotency_key, user_id, document_id, related_tx, "
      "memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
      {std::string(TxKindName(t.kind)), t.idempotency_key, IdOrNull(t.user), IdOrNull(t.document),
       IdOrNull(t.related_tx), t.memo, now});
  if (!inserted.ok()) {
    if (inserted.error().code == ErrorCode::kConflict && t.related_tx) {
      return MakeError(ErrorCode::kConflict, "ledger transaction " + std::to_string(t.related_tx) +
                                                 " was already undone");
    }
    return inserted.error();
  }
  if (inserted->empty()) {  // the key was posted before: replay
    auto original = FindByKey(tx, t.idempotency_key);
    if (!original.ok()) return original.error();
    if (!*original) return MakeError(ErrorCode::kIo, "a ledger key vanished during a replay");
    LedgerTransaction& o = **original;
    if (o.kind != t.kind || o.user != t.user || o.document != t.document) {
      return MakeError(ErrorCode::kConflict, "idempotency key \"" + t.idempotency_key +
                                                 "\" was used for another transaction");
    }
    return Posted{std::move(o), true};
  }
  LedgerTransaction out;
  out.id = (*inserted)[0].Int(0);
  out.kind = t.kind;
  out.idempotency_key = t.idempotency_key;
  out.user = t.user;
  out.document = t.document;
  out.related_tx = t.related_tx;
  out.memo = t.memo;
  out.created_at = now;

  // Accounts in ascending id order, so that concurrent posts lock them in one order.
  struct Resolved {
    int64_t account_id;
    const NewEntry* entry;
  };
  std::vector<Resolved> resolved;
  for (const auto& e : t.entries) {
    auto id = AccountId(tx, e.account, /*create=*/true);
    if (!id.ok()) return id.error();
    resolved.push_back({*id, &e});
  }
  std::stable_sort(resolved.begin(), resolved.end(), [](const Resolved& a, const Resolved& b) {
    return a.account_id < b.account_id;
  });
  for (const auto& [account_id, e] : resolved) {
    const bool guarded =
        e->amount < 0 && (e->account.kind == AccountKind::kPending ||
                          (e->account.kind == AccountKind::kWallet && !t.allow_debt));
    auto balance = tx.Query(
        "UPDATE ledger_accounts SET balance = balance + ? "
        "WHERE id = ? AND (? = 0 OR balance + ? >= 0) RETURNING balance",
        {e->amount, account_id, int64_t{guarded ? 1 : 0}, e->amount});
    if (!balance.ok()) return balance.error();
    if (balance->empty()) {
      return MakeError(ErrorCode::kInsufficientPoints, "not enough points: the " +
                                                           Describe(e->account) + " cannot pay " +
                                                           std::to_string(-e->amount));
    }
    const int64_t after = (*balance)[0].Int(0);
    auto entry = tx.Query(
        "INSERT INTO ledger_entries (tx_id, account_id, amount, balance_after) "
        "VALUES (?, ?, ?, ?) RETURNING id",
        {out.id, account_id, e->amount, after});
    if (!entry.ok()) return entry.error();
    out.entries.push_back(Entry{(*entry)[0].Int(0), e->account, e->amount, after});
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
  return Posted{std::move(out), false};
}

Result<int64_t> LedgerStore::Balance(const Account& account) { return Balance(db_, account); }

Result<int64_t> LedgerStore::Balance(Sql& tx, const Account& account) {
  const std::string kind(AccountKindName(account.kind));
  auto rows =
      IsUserAccount(account.kind)
          ? tx.Query("SELECT balance FROM ledger_accounts WHERE kind = ? AND user_id = ?",
                     {kind, account.user})
          : tx.Query("SELECT balance FROM ledger_accounts WHERE kind = ? AND user_id IS NULL",
                     {kind});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? int64_t{0} : (*rows)[0].Int(0);
}

Result<std::optional<LedgerTransaction>> LedgerStore::FindByKey(std::string_view key) {
  return FindByKey(db_, key);
}

Result<std::optional<LedgerTransaction>> LedgerStore::FindByKey(Sql& tx, std::string_view key) {
  auto rows = tx.Query(std::string(kTxColumns) + "WHERE idempotency_key = ?", {std::string(key)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<LedgerTransaction>();
  LedgerTransaction t = ToTransaction((*rows)[0]);
  WENKU_TRY(LoadEntries(tx, &t));
  return std::optional<LedgerTransaction>(std::move(t));
}

Result<LedgerTransaction> LedgerStore::Find(Sql& tx, int64_t id) {
  auto rows = tx.Query(std::string(kTxColumns) + "WHERE id = ?", {id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "no ledger transaction " + std::to_string(id));
  }
  LedgerTransaction t = ToTransaction((*rows)[0]);
  WENKU_TRY(LoadEntries(tx, &t));
  return t;
}

Result<std::vector<LedgerTransaction>> LedgerStore::OpenPurchases(Sql& tx, DocumentId document) {
  auto rows = tx.Query(std::string(kTxColumns) +
                           "WHERE document_id = ? AND kind = 'purchase' AND NOT EXISTS "
                           "(SELECT 1 FROM ledger_transactions r WHERE r.related_tx = "
                           "ledger_transactions.id) ORDER BY id",
                       {document});
  if (!rows.ok()) return rows.error();
  return LoadAll(tx, *rows);
}

Result<std::optional<LedgerTransaction>> LedgerStore::OpenTransaction(Sql& tx, TxKind kind,
                                                                      DocumentId document) {
  auto rows = tx.Query(std::string(kTxColumns) +
                           "WHERE document_id = ? AND kind = ? AND NOT EXISTS "
                           "(SELECT 1 FROM ledger_transactions r WHERE r.related_tx = "
                           "ledger_transactions.id) ORDER BY id LIMIT 1",
                       {document, std::string(TxKindName(kind))});
  if (!rows.ok()) return rows.error();
  auto all = LoadAll(tx, *rows);
  if (!all.ok()) return all.error();
  if (all->empty()) return std::optional<LedgerTransaction>();
  return std::optional<LedgerTransaction>(std::move(all->front()));
}

Result<std::vector<UserId>> LedgerStore::UsersWithPending() {
  auto rows = db_.Query(
      "SELECT user_id FROM ledger_accounts WHERE kind = 'pending' AND balance > 0 "
      "ORDER BY user_id");
  if (!rows.ok()) return rows.error();
  std::vector<UserId> out;
  for (const auto& r : *rows) out.push_back(r.Int(0));
  return out;
}

Result<int64_t> LedgerStore::CreditsSince(Sql& tx, const Account& account, int64_t since_ms) {
  auto id = AccountId(tx, account, /*create=*/false);
  if (!id.ok()) return id.error();
  if (*id == 0) return int64_t{0};
  auto row = tx.QueryOne(
      "SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e "
      "JOIN ledger_transactions t ON t.id = e.tx_id "
      "WHERE e.account_id = ? AND e.amount > 0 AND t.created_at >= ?",
      {*id, since_ms});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<int64_t> LedgerStore::HeldForClaims(Sql& tx, const Account& account, int64_t until_ms) {
  auto id = AccountId(tx, account, /*create=*/false);
  if (!id.ok()) return id.error();
  if (*id == 0) return int64_t{0};
  auto row = tx.QueryOne(
      "SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e "
      "JOIN ledger_transactions t ON t.id = e.tx_id "
      "WHERE e.account_id = ? AND e.amount > 0 AND t.kind = 'purchase' AND t.created_at <= ? "
      "AND NOT EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.related_tx = t.id) "
      "AND EXISTS (SELECT 1 FROM cases c WHERE c.document_id = t.document_id "
      "AND c.type = 'claim' AND c.state = 'open' AND c.created_at <= t.created_at)",
      {*id, until_ms});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<std::vector<HistoryEntry>> LedgerStore::History(UserId user, int64_t page,
                                                       int64_t per_page) {
  page = std::max<int64_t>(page, 1);
  per_page = std::clamp<int64_t>(per_page, 1, 1000);
  auto rows = db_.Query(
      "SELECT e.tx_id, t.kind, a.kind, e.amount, e.balance_after, t.document_id, t.memo, "
      "t.created_at FROM ledger_entries e "
      "JOIN ledger_accounts a ON a.id = e.account_id "
      "JOIN ledger_transactions t ON t.id = e.tx_id "
      "WHERE a.user_id = ? ORDER BY e.id DESC LIMIT ? OFFSET ?",
      {user, per_page, (page - 1) * per_page});
  if (!rows.ok()) return rows.error();
  std::vector<HistoryEntry> out;
  for (const auto& r : *rows) {
    out.push_back(HistoryEntry{r.Int(0), ParseTxKind(r.Text(1)).value_or(TxKind::kGrant),
                               ParseAccountKind(r.Text(2)), r.Int(3), r.Int(4), r.Int(5), r.Text(6),
                               r.Int(7)});
  }
  return out;
}

Result<std::vector<DocumentSales>> LedgerStore::SalesOf(UserId owner,
                                                        const std::vector<DocumentId>& documents) {
  if (documents.empty()) return std::vector<DocumentSales>{};
  if (documents.size() > 500) {
    return MakeError(ErrorCode::kInvalidInput, "at most 500 documents at once");
  }
  // A refund undoes exactly one purchase of the same document (related_tx is UNIQUE), so
  // purchases less refunds are the purchases still standing.
  std::string in;
  Params params{owner, owner};
  for (DocumentId id : documents) {
    in += in.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  auto rows = db_.Query(
      "SELECT t.document_id, "
      "COUNT(DISTINCT CASE WHEN t.kind = 'purchase' THEN t.id END) - "
      "COUNT(DISTINCT CASE WHEN t.kind = 'refund' THEN t.id END), "
      "COALESCE(SUM(e.amount), 0) FROM ledger_transactions t "
      "LEFT JOIN ledger_entries e ON e.tx_id = t.id AND t.user_id <> ? AND e.account_id IN "
      "(SELECT id FROM ledger_accounts WHERE user_id = ? AND kind IN ('wallet', 'pending')) "
      "WHERE t.kind IN ('purchase', 'refund') AND t.document_id IN (" +
          in + ") GROUP BY t.document_id ORDER BY t.document_id",
      params);
  if (!rows.ok()) return rows.error();
  std::vector<DocumentSales> out;
  for (const auto& r : *rows) out.push_back(DocumentSales{r.Int(0), r.Int(1), r.Int(2)});
  return out;
}

Result<std::vector<int64_t>> LedgerStore::EarningsBetween(UserId user,
                                                          const std::vector<int64_t>& edges) {
  if (edges.size() < 2 || edges.size() > 367 || !std::is_sorted(edges.begin(), edges.end())) {
    return MakeError(ErrorCode::kInvalidInput, "2 to 367 ascending times bound the intervals");
  }
  // The intervals as a table (i, lo, hi); the user's earning entries in the whole span, put
  // into them and summed. CROSS JOIN keeps SQLite reading the user's entries once (by their
  // account's index) and matching each against the few intervals, not the other way round.
  std::string spans;
  Params params;
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    spans += (i ? ", (" : "(") + std::to_string(i) + ", CAST(? AS BIGINT), CAST(? AS BIGINT))";
    params.push_back(edges[i]);
    params.push_back(edges[i + 1]);
  }
  params.push_back(user);
  params.push_back(user);
  params.push_back(edges.front());
  params.push_back(edges.back());
  auto rows = db_.Query("WITH spans (i, lo, hi) AS (VALUES " + spans +
                            ") SELECT s.i, SUM(x.amount) FROM ("
                            // the user's earning entries (see the header) in the whole span
                            "SELECT t.created_at AS at, e.amount AS amount FROM ledger_accounts a "
                            "JOIN ledger_entries e ON e.account_id = a.id "
                            "JOIN ledger_transactions t ON t.id = e.tx_id "
                            "WHERE a.user_id = ? AND a.kind IN ('wallet', 'pending') "
                            "AND t.kind IN ('purchase', 'refund') AND t.user_id <> ? "
                            "AND t.created_at >= ? AND t.created_at < ?) x "
                            "CROSS JOIN spans s WHERE x.at >= s.lo AND x.at < s.hi GROUP BY s.i",
                        params);
  if (!rows.ok()) return rows.error();
  std::vector<int64_t> out(edges.size() - 1, 0);
  for (const auto& r : *rows) {
    const int64_t i = r.Int(0);
    if (i >= 0 && i < static_cast<int64_t>(out.size())) out[i] = r.Int(1);
  }
  return out;
}

Result<LedgerCheck> LedgerStore::Check() {
  LedgerCheck check;
  auto counts = db_.QueryOne(
      "SELECT (SELECT COUNT(*) FROM ledger_transactions), (SELECT COUNT(*) FROM "
      "ledger_accounts), (SELECT COUNT(*) FROM ledger_entries)");
  if (!counts.ok()) return counts.error();
  check.transactions = counts->Int(0);
  check.accounts = counts->Int(1);
  check.entries = counts->Int(2);
  auto& problems = check.problems;
  auto account_name = [](const Row& r, size_t kind, size_t user) {
    return Describe(Account{ParseAccountKind(r.Text(kind)), r.Int(user)});
  };

  // Every transaction has entries, and they sum to zero.
  auto sums = db_.Query(
      "SELECT t.id, t.kind, COALESCE(SUM(e.amount), 0), COUNT(e.id) FROM ledger_transactions t "
      "LEFT JOIN ledger_entries e ON e.tx_id = t.id GROUP BY t.id, t.kind "
      "HAVING COALESCE(SUM(e.amount), 0) <> 0 OR COUNT(e.id) = 0 ORDER BY t.id");
  if (!sums.ok()) return sums.error();
  for (const auto& r : *sums) {
    problems.push_back(r.Int(3) == 0
                           ? "transaction " + r.Text(0) + " (" + r.Text(1) + ") has no entries"
                           : "transaction " + r.Text(0) + " (" + r.Text(1) + ") sums to " +
                                 r.Text(2) + ", not 0");
  }
  // Every cached balance is the sum of its account's entries.
  auto balances = db_.Query(
      "SELECT a.id, a.kind, a.user_id, a.balance, COALESCE(SUM(e.amount), 0) "
      "FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id "
      "GROUP BY a.id, a.kind, a.user_id, a.balance "
      "HAVING a.balance <> COALESCE(SUM(e.amount), 0) ORDER BY a.id");
  if (!balances.ok()) return balances.error();
  for (const auto& r : *balances) {
    problems.push_back("account " + r.Text(0) + " (" + account_name(r, 1, 2) +
                       ") has a cached balance of " + r.Text(3) + ", its entries sum to " +
                       r.Text(4));
  }
  // Every entry's balance_after is the running sum of its account.
  auto running = db_.Query(
      "SELECT x.id, x.account_id, x.balance_after, x.running FROM (SELECT id, account_id, "
      "balance_after, SUM(amount) OVER (PARTITION BY account_id ORDER BY id) AS running "
      "FROM ledger_entries) x WHERE x.balance_after <> x.running ORDER BY x.id");
  if (!running.ok()) return running.error();
  for (const auto& r : *running) {
    problems.push_back("entry " + r.Text(0) + " on account " + r.Text(1) +
                       " says the balance was " + r.Text(2) + ", the entries before it sum to " +
                       r.Text(3));
  }
  // Pending earnings never go below zero; a wallet only by a refund or reversal.
  auto negative = db_.Query(
      "SELECT e.id, a.kind, a.user_id, e.balance_after, t.id, t.kind FROM ledger_entries e "
      "JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.tx_id "
      "WHERE e.amount < 0 AND e.balance_after < 0 AND (a.kind = 'pending' OR "
      "(a.kind = 'wallet' AND t.kind NOT IN ('refund', 'reversal'))) ORDER BY e.id");
  if (!negative.ok()) return negative.error();
  for (const auto& r : *negative) {
    problems.push_back("transaction " + r.Text(4) + " (" + r.Text(5) + ") took the " +
                       account_name(r, 1, 2) + " to " + r.Text(3) + ", below zero");
  }
  return check;
}

}  // namespace wenku::storage
