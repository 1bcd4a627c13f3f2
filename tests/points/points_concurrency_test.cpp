// Many threads buying at once on a real SQLite file, through two Database handles (two
// writers, as two processes would be): afterwards every (buyer, document) was charged at
// most once, no wallet is negative, every uploader's pending earnings equal their sales less
// commission, and the ledger check passes.
#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "points/points_fixture.hpp"

namespace wenku::points {
namespace {

struct Side {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::LedgerStore> ledger;
  std::unique_ptr<storage::EntitlementStore> entitlements;
  std::unique_ptr<storage::CaseStore> cases;
  std::unique_ptr<Points> points;
};

class PointsConcurrencyTest : public PointsTest {
 protected:
  // A second handle on the same database file, with its own stores and Points.
  Side SecondWriter() {
    Side s;
    auto db = storage::OpenSqlite((dir_ / "wenku.db").string());
    EXPECT_TRUE(db.ok());
    s.db = std::move(db).value();
    s.ledger = std::make_unique<storage::LedgerStore>(*s.db, clock_);
    s.entitlements = std::make_unique<storage::EntitlementStore>(*s.db, clock_);
    s.cases = std::make_unique<storage::CaseStore>(*s.db, clock_);
    s.points = std::make_unique<Points>(*s.db, *s.ledger, *s.entitlements, *s.cases, clock_,
                                        Economy{}, TimeZone::Find("Asia/Shanghai").value());
    return s;
  }
};

TEST_F(PointsConcurrencyTest, ManyPurchasesAtOnceChargeEachBuyerAtMostOncePerDocument) {
  constexpr int kBuyers = 12;
  constexpr int kDocuments = 6;
  constexpr int64_t kPrice = 10;
  constexpr int64_t kStart = 25;  // enough for two documents, not three
  constexpr int kThreads = 8;

  UserId dave = users_->Ensure("dave", "user", "dave")->id;
  std::vector<Document> docs;
  for (int d = 0; d < kDocuments; ++d) {
    docs.push_back(ReadyDoc("doc" + std::to_string(d), kPrice, d % 2 ? dave : alice_));
  }
  std::vector<UserId> buyers;
  for (int b = 0; b < kBuyers; ++b) {
    UserId id =
        users_->Ensure("buyer" + std::to_string(b), "user", "buyer" + std::to_string(b))->id;
    Give(id, kStart);
    buyers.push_back(id);
  }

  // Every (buyer, document) three times: key "a", key "b" (a second tab), "a" again (a retry).
  struct Attempt {
    UserId buyer;
    size_t doc;
    std::string key;
  };
  std::vector<Attempt> attempts;
  for (UserId b : buyers) {
    for (size_t d = 0; d < docs.size(); ++d) {
      for (const char* key : {"a", "b", "a"}) {
        attempts.push_back({b, d, key + std::to_string(d)});  // a form's token: per document
      }
    }
  }
  std::shuffle(attempts.begin(), attempts.end(), std::mt19937(42));

  Side second = SecondWriter();
  std::atomic<size_t> next{0};
  std::atomic<int> purchased{0}, replayed{0}, already{0}, insufficient{0}, other{0};
  std::mutex mu;
  std::vector<std::string> other_errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Points& points = t % 2 ? *second.points : *points_;
      for (size_t i; (i = next.fetch_add(1)) < attempts.size();) {
        const Attempt& a = attempts[i];
        auto r = points.Purchase(a.buyer, docs[a.doc], a.key);
        if (!r.ok()) {
          if (r.error().code == ErrorCode::kInsufficientPoints) {
            ++insufficient;
          } else {
            ++other;
            std::lock_guard lock(mu);
            other_errors.push_back(r.error().message);
          }
        } else if (r->outcome == PurchaseResult::Outcome::kPurchased) {
          ++purchased;
        } else if (r->outcome == PurchaseResult::Outcome::kReplayed) {
          ++replayed;
        } else {
          ++already;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(other, 0) << (other_errors.empty()
                              ? ""
                              : other_errors.front() + " / " + other_errors.back());
  // Each buyer could afford exactly two documents, and bought exactly two.
  EXPECT_EQ(purchased, kBuyers * 2);
  EXPECT_GT(insufficient, 0);
  EXPECT_GT(replayed + already, 0);
  EXPECT_EQ(purchased + replayed + already + insufficient, static_cast<int>(attempts.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT user_id, document_id FROM ledger_transactions "
                  "WHERE kind = 'purchase' GROUP BY user_id, document_id HAVING COUNT(*) > 1) x"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'purchase'"), kBuyers * 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM entitlements e JOIN ledger_transactions t ON t.id = "
                  "e.tx_id AND t.user_id = e.user_id AND t.document_id = e.document_id"),
            kBuyers * 2);
  for (UserId b : buyers) {
    EXPECT_EQ(Wallet(b), kStart - 2 * kPrice) << "buyer " << b;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_accounts WHERE kind IN ('wallet', 'pending') "
                  "AND balance < 0"),
            0);
  // Each uploader's pending earnings are their sales less the 20% commission.
  std::map<UserId, int64_t> sales;
  for (const auto& d : docs) {
    sales[d.owner_id] +=
        Count("SELECT COUNT(*) FROM entitlements WHERE document_id = " + std::to_string(d.id));
  }
  EXPECT_EQ(Pending(alice_), sales[alice_] * (kPrice - kPrice * 20 / 100));
  EXPECT_EQ(Pending(dave), sales[dave] * (kPrice - kPrice * 20 / 100));
  EXPECT_EQ(Revenue(), kBuyers * 2 * (kPrice * 20 / 100));
  ExpectLedgerHolds();
}

TEST_F(PointsConcurrencyTest, ABonusClaimedFromManyThreadsAtOnceIsGivenOnce) {
  Side second = SecondWriter();
  std::atomic<int> awarded{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Points& points = t % 2 ? *second.points : *points_;
      for (int i = 0; i < 5; ++i) {
        for (auto r : {points.SignupBonus(bob_), points.Checkin(bob_)}) {
          if (!r.ok()) {
            ++failed;
          } else if (r->awarded) {
            ++awarded;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(awarded, 2);
  EXPECT_EQ(Wallet(bob_), 20 + 5);
  ExpectLedgerHolds();
}

}  // namespace
}  // namespace wenku::points
