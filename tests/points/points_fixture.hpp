// A migrated SQLite file with the ledger, the entitlements, the case store (notifications) and
// the Points use cases over it, a fake clock, an uploader (alice) and two readers (bob, carol).
#pragma once

#include <memory>

#include "points/points.hpp"
#include "storage/case_store.hpp"
#include "storage/entitlement_store.hpp"
#include "storage/ledger_store.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::points {

class PointsTest : public storage::StorageTest {
 protected:
  void SetUp() override {
    storage::StorageTest::SetUp();
    ledger_ = std::make_unique<storage::LedgerStore>(*db_, clock_);
    entitlements_ = std::make_unique<storage::EntitlementStore>(*db_, clock_);
    cases_ = std::make_unique<storage::CaseStore>(*db_, clock_);
    MakePoints(Economy{});
    alice_ = owner_;
    bob_ = users_->Ensure("bob", "user", "bob")->id;
    carol_ = users_->Ensure("carol", "user", "carol")->id;
  }

  // `live`: read economy.* from it at use time, as `wenku serve` does.
  void MakePoints(Economy economy, const Settings* live = nullptr) {
    points_ = std::make_unique<Points>(*db_, *ledger_, *entitlements_, *cases_, clock_, economy,
                                       TimeZone::Find(economy.time_zone).value(), live);
  }

  // A ready document of `owner` at `price`, as the caller of Purchase holds it.
  Document ReadyDoc(const std::string& sha, int64_t price, UserId owner = 0) {
    storage::NewDocument d;
    d.owner_id = owner ? owner : owner_;
    d.blob_sha256 = sha;
    d.size = 10;
    d.filename = sha + ".pdf";
    d.title = sha;
    d.price = price;
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    auto doc = documents_->Find(created->id);
    EXPECT_TRUE(doc.ok());
    Document out = doc.ok() ? *doc : Document{};
    out.state = DocState::kReady;
    return out;
  }

  void Give(UserId user, int64_t n) { ASSERT_TRUE(points_->Grant(user, n, "test").ok()); }

  int64_t Wallet(UserId user) { return points_->BalancesOf(user)->wallet; }
  int64_t Pending(UserId user) { return points_->BalancesOf(user)->pending; }
  int64_t Revenue() { return *ledger_->Balance(storage::Account::PlatformRevenue()); }

  int64_t Count(const std::string& sql) {
    auto row = db_->QueryOne(sql);
    EXPECT_TRUE(row.ok()) << sql;
    return row.ok() ? row->Int(0) : -1;
  }

  void ExpectLedgerHolds() {
    auto check = ledger_->Check();
    ASSERT_TRUE(check.ok());
    for (const auto& p : check->problems) ADD_FAILURE() << p;
  }

  std::unique_ptr<storage::LedgerStore> ledger_;
  std::unique_ptr<storage::EntitlementStore> entitlements_;
  std::unique_ptr<storage::CaseStore> cases_;  // notifications (a sale's), the audit log
  std::unique_ptr<Points> points_;
  UserId alice_ = 0, bob_ = 0, carol_ = 0;
};

}  // namespace wenku::points
