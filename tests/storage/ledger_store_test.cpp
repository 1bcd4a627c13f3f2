// The ledger's own guarantees, on a real SQLite file: entries sum to zero, the schema refuses
// to change or delete what was written, a replayed key changes nothing, an account cannot be
// overdrawn, and Check() notices when any of it is broken behind the store's back.
#include "storage/ledger_store.hpp"

#include <atomic>
#include <thread>

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class LedgerStoreTest : public BothBackendsTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    ledger_ = std::make_unique<LedgerStore>(*db_, clock_);
    auto bob = users_->Ensure("bob", "user", "bob");
    ASSERT_TRUE(bob.ok());
    bob_ = bob->id;
  }

  NewTransaction Gift(UserId user, int64_t n, const std::string& key) {
    NewTransaction t;
    t.kind = TxKind::kGrant;
    t.idempotency_key = key;
    t.user = user;
    t.entries = {{Account::PlatformGrants(), -n}, {Account::Wallet(user), n}};
    return t;
  }

  int64_t Count(const std::string& table) {
    auto row = db_->QueryOne("SELECT COUNT(*) FROM " + table);
    return row.ok() ? row->Int(0) : -1;
  }

  int64_t Balance(const Account& a) {
    auto b = ledger_->Balance(a);
    EXPECT_TRUE(b.ok());
    return b.ok() ? *b : -999;
  }

  std::unique_ptr<LedgerStore> ledger_;
  UserId bob_ = 0;
};
WENKU_ON_BOTH_BACKENDS(LedgerStoreTest);

TEST_P(LedgerStoreTest, PostWritesEntriesThatSumToZeroAndMovesBalances) {
  auto posted = ledger_->Post(Gift(owner_, 30, "g1"));
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_FALSE(posted->replayed);
  EXPECT_EQ(posted->tx.kind, TxKind::kGrant);
  ASSERT_EQ(posted->tx.entries.size(), 2u);
  int64_t sum = 0;
  for (const auto& e : posted->tx.entries) sum += e.amount;
  EXPECT_EQ(sum, 0);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 30);
  EXPECT_EQ(Balance(Account::PlatformGrants()), -30);
  EXPECT_EQ(Balance(Account::Wallet(bob_)), 0);  // never used: 0, no row needed

  NewTransaction pay;
  pay.kind = TxKind::kPurchase;
  pay.idempotency_key = "p1";
  pay.user = owner_;
  pay.entries = {{Account::Wallet(owner_), -12},
                 {Account::PlatformRevenue(), 2},
                 {Account::Pending(bob_), 10}};
  auto paid = ledger_->Post(pay);
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 18);
  EXPECT_EQ(Balance(Account::PlatformRevenue()), 2);
  EXPECT_EQ(Balance(Account::Pending(bob_)), 10);
  for (const auto& e : paid->tx.entries) {
    if (e.account == Account::Wallet(owner_)) {
      EXPECT_EQ(e.balance_after, 18);
    }
  }

  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  EXPECT_EQ(check->transactions, 2);
  EXPECT_EQ(check->entries, 5);
}

TEST_P(LedgerStoreTest, RefusesEmptyUnbalancedAndMalformedTransactionsWritingNothing) {
  struct Case {
    const char* name;
    NewTransaction t;
  };
  NewTransaction empty = Gift(owner_, 5, "empty");
  empty.entries.clear();
  NewTransaction unbalanced = Gift(owner_, 5, "unbalanced");
  unbalanced.entries[1].amount = 6;
  NewTransaction zero = Gift(owner_, 5, "zero");
  zero.entries.push_back({Account::Wallet(bob_), 0});
  NewTransaction no_key = Gift(owner_, 5, "");
  NewTransaction platform_for_user = Gift(owner_, 5, "platform-user");
  platform_for_user.entries[0].account = Account{AccountKind::kPlatformGrants, bob_};
  NewTransaction wallet_without_user = Gift(owner_, 5, "wallet-nobody");
  wallet_without_user.entries[1].account = Account::Wallet(0);
  for (const auto& c : std::vector<Case>{{"empty", empty},
                                         {"unbalanced", unbalanced},
                                         {"zero amount", zero},
                                         {"no key", no_key},
                                         {"platform account of a user", platform_for_user},
                                         {"wallet of no one", wallet_without_user}}) {
    auto r = ledger_->Post(c.t);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.name;
  }
  EXPECT_EQ(Count("ledger_transactions"), 0);
  EXPECT_EQ(Count("ledger_entries"), 0);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 0);
}

TEST_P(LedgerStoreTest, ReplayingAKeyChangesNothingAndReturnsTheOriginal) {
  auto first = ledger_->Post(Gift(owner_, 30, "same"));
  ASSERT_TRUE(first.ok());
  clock_.Advance(1000);
  auto again = ledger_->Post(Gift(owner_, 30, "same"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->tx.id, first->tx.id);
  EXPECT_EQ(again->tx.created_at, first->tx.created_at);
  EXPECT_EQ(again->tx.entries.size(), 2u);
  // Even a replay with other amounts changes nothing: the key decides.
  auto different_amount = ledger_->Post(Gift(owner_, 99, "same"));
  ASSERT_TRUE(different_amount.ok());
  EXPECT_TRUE(different_amount->replayed);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 30);
  EXPECT_EQ(Count("ledger_transactions"), 1);
  EXPECT_EQ(Count("ledger_entries"), 2);
  // The same key for another user or kind is a mistake, not a replay.
  auto other_user = ledger_->Post(Gift(bob_, 30, "same"));
  ASSERT_FALSE(other_user.ok());
  EXPECT_EQ(other_user.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Balance(Account::Wallet(bob_)), 0);
}

TEST_P(LedgerStoreTest, TheSchemaRefusesToUpdateOrDeleteEntriesAndTransactions) {
  ASSERT_TRUE(ledger_->Post(Gift(owner_, 30, "g1")).ok());
  for (const char* sql : {
           "UPDATE ledger_entries SET amount = amount + 1",
           "UPDATE ledger_entries SET balance_after = 0",
           "DELETE FROM ledger_entries",
           "UPDATE ledger_transactions SET memo = 'changed'",
           "UPDATE ledger_transactions SET idempotency_key = 'other'",
           "DELETE FROM ledger_transactions",
       }) {
    Status s = db_->Exec(sql);
    ASSERT_FALSE(s.ok()) << sql;
    EXPECT_NE(s.error().message.find("append-only"), std::string::npos) << s.error().message;
    // Not even inside a transaction that would commit otherwise.
    Status in_tx = db_->Transaction([&](Sql& tx) { return tx.Exec(sql); });
    EXPECT_FALSE(in_tx.ok()) << sql;
  }
  EXPECT_EQ(Count("ledger_transactions"), 1);
  EXPECT_EQ(Count("ledger_entries"), 2);
  auto sum = db_->QueryOne("SELECT SUM(amount), MAX(balance_after) FROM ledger_entries");
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->Int(0), 0);
  EXPECT_EQ(sum->Int(1), 30);
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty());
}

TEST_P(LedgerStoreTest, AWalletCannotGoBelowZeroUnlessTheTransactionAllowsDebt) {
  ASSERT_TRUE(ledger_->Post(Gift(owner_, 10, "g1")).ok());
  NewTransaction pay;
  pay.kind = TxKind::kPurchase;
  pay.idempotency_key = "too-much";
  pay.user = owner_;
  pay.entries = {{Account::Wallet(owner_), -11}, {Account::Pending(bob_), 11}};
  auto r = ledger_->Post(pay);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 10);
  EXPECT_EQ(Balance(Account::Pending(bob_)), 0);
  EXPECT_EQ(Count("ledger_transactions"), 1);  // the refused one left nothing, not even its key
  EXPECT_FALSE(ledger_->FindByKey("too-much")->has_value());

  // Exactly the balance is fine.
  pay.idempotency_key = "exact";
  pay.entries = {{Account::Wallet(owner_), -10}, {Account::Pending(bob_), 10}};
  ASSERT_TRUE(ledger_->Post(pay).ok());
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 0);

  // Pending earnings never go below zero, even when debt is allowed.
  NewTransaction take;
  take.kind = TxKind::kRefund;
  take.idempotency_key = "take";
  take.user = owner_;
  take.allow_debt = true;
  take.entries = {{Account::Pending(bob_), -11}, {Account::Wallet(owner_), 11}};
  auto refused = ledger_->Post(take);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientPoints);

  // A refund may take a wallet below zero.
  take.entries = {{Account::Wallet(bob_), -3}, {Account::Wallet(owner_), 3}};
  ASSERT_TRUE(ledger_->Post(take).ok());
  EXPECT_EQ(Balance(Account::Wallet(bob_)), -3);
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty());
}

TEST_P(LedgerStoreTest, ATransactionIsUndoneAtMostOnce) {
  auto gift = ledger_->Post(Gift(owner_, 10, "g1"));
  ASSERT_TRUE(gift.ok());
  NewTransaction undo;
  undo.kind = TxKind::kReversal;
  undo.idempotency_key = "undo-1";
  undo.user = owner_;
  undo.related_tx = gift->tx.id;
  undo.entries = {{Account::Wallet(owner_), -10}, {Account::PlatformGrants(), 10}};
  ASSERT_TRUE(ledger_->Post(undo).ok());
  undo.idempotency_key = "undo-2";
  auto twice = ledger_->Post(undo);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 0);
}

TEST_P(LedgerStoreTest, HistoryListsAUsersEntriesNewestFirstByPage) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(ledger_->Post(Gift(owner_, i, "g" + std::to_string(i))).ok());
    clock_.Advance(1000);
  }
  ASSERT_TRUE(ledger_->Post(Gift(bob_, 7, "bob")).ok());
  auto page1 = ledger_->History(owner_, 1, 2);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].amount, 5);
  EXPECT_EQ((*page1)[0].balance_after, 15);
  EXPECT_EQ((*page1)[0].kind, TxKind::kGrant);
  EXPECT_EQ((*page1)[0].account, AccountKind::kWallet);
  EXPECT_EQ((*page1)[1].amount, 4);
  EXPECT_EQ((*page1)[1].balance_after, 10);
  auto page3 = ledger_->History(owner_, 3, 2);
  ASSERT_TRUE(page3.ok());
  ASSERT_EQ(page3->size(), 1u);
  EXPECT_EQ((*page3)[0].amount, 1);
  EXPECT_TRUE(ledger_->History(owner_, 4, 2)->empty());
}

TEST_P(LedgerStoreTest, CheckReportsEveryKindOfTampering) {
  ASSERT_TRUE(ledger_->Post(Gift(owner_, 10, "g1")).ok());
  ASSERT_TRUE(ledger_->Post(Gift(bob_, 4, "g2")).ok());
  // A cached balance changed behind the ledger's back.
  ASSERT_TRUE(
      db_->Exec("UPDATE ledger_accounts SET balance = balance + 5 WHERE kind = 'wallet' AND "
                "user_id = ?",
                {owner_})
          .ok());
  // An entry changed after the triggers are dropped (what a hand-edited file could hold).
  ASSERT_TRUE(db_->ExecScript(db_->dialect() == Dialect::kSqlite
                                  ? "DROP TRIGGER ledger_entries_no_UPDATE"
                                  : "DROP TRIGGER ledger_entries_append_only ON ledger_entries")
                  .ok());
  ASSERT_TRUE(
      db_->Exec("UPDATE ledger_entries SET amount = 3, balance_after = 3 WHERE amount = 4").ok());
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  std::string all;
  for (const auto& p : check->problems) all += p + "\n";
  EXPECT_NE(all.find("wallet of user " + std::to_string(owner_) +
                     ") has a cached balance of 15, its entries sum to 10"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("sums to -1, not 0"), std::string::npos) << all;
  EXPECT_NE(all.find("wallet of user " + std::to_string(bob_) +
                     ") has a cached balance of 4, its entries sum to 3"),
            std::string::npos)
      << all;
}

TEST_P(LedgerStoreTest, ConcurrentPostsWithOneKeyWriteOneTransaction) {
  // Two Database handles on the same database: two writers, as two processes would be.
  auto second = OpenAnother();
  ASSERT_TRUE(second.ok());
  LedgerStore other(**second, clock_);
  constexpr int kThreads = 8;
  std::atomic<int> fresh{0}, replayed{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) {
        LedgerStore& store = i % 2 ? other : *ledger_;
        auto r = store.Post(Gift(owner_, 10, "key-" + std::to_string(round)));
        if (!r.ok()) {
          ++failed;
        } else if (r->replayed) {
          ++replayed;
        } else {
          ++fresh;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(fresh, 20);
  EXPECT_EQ(replayed, 20 * (kThreads - 1));
  EXPECT_EQ(Count("ledger_transactions"), 20);
  EXPECT_EQ(Balance(Account::Wallet(owner_)), 200);
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty());
}

TEST_P(LedgerStoreTest, ConcurrentSpendsFromTwoHandlesNeverOverdrawAWallet) {
  // 100 points; 8 threads on two handles (two nodes) each try to spend 10, five times: exactly
  // ten spends succeed, the rest are refused as too few points, and the wallet ends at 0.
  ASSERT_TRUE(ledger_->Post(Gift(bob_, 100, "start")).ok());
  auto second = OpenAnother();
  ASSERT_TRUE(second.ok());
  LedgerStore other(**second, clock_);
  std::atomic<int> spent{0}, refused{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        NewTransaction t;
        t.kind = TxKind::kPurchase;
        t.idempotency_key = "spend-" + std::to_string(i) + "-" + std::to_string(round);
        t.user = bob_;
        t.entries = {{Account::Wallet(bob_), -10},
                     {Account::Pending(owner_), 7},
                     {Account::PlatformRevenue(), 3}};
        auto r = (i % 2 ? other : *ledger_).Post(t);
        if (r.ok()) {
          ++spent;
        } else if (r.error().code == ErrorCode::kInsufficientPoints) {
          ++refused;
        } else {
          ++failed;
          ADD_FAILURE() << r.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(spent, 10);
  EXPECT_EQ(refused, 30);
  EXPECT_EQ(Balance(Account::Wallet(bob_)), 0);
  EXPECT_EQ(Balance(Account::Pending(owner_)), 70);
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty());
}

}  // namespace
}  // namespace wenku::storage
