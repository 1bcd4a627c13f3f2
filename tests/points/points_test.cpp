// The economy's rules as users meet them: bonuses once, check-in once a day in the site's
// time zone, purchases (commission, not enough points, own document, bought once),
// settlement after N days, refunds from pending earnings first and then the wallet.
#include "points/points_fixture.hpp"

namespace wenku::points {
namespace {

using storage::TxKind;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

TEST_F(PointsTest, EveryKindOfTransactionSumsToZero) {
  ASSERT_TRUE(points_->SignupBonus(bob_).ok());
  ASSERT_TRUE(points_->Checkin(bob_).ok());
  Document doc = ReadyDoc("a", 10);
  ASSERT_TRUE(points_->UploadReward(doc.id, alice_).ok());
  ASSERT_TRUE(points_->Grant(bob_, 50, "gift").ok());
  ASSERT_TRUE(points_->Purchase(bob_, doc, "k1").ok());
  clock_.Advance(8 * kDay);
  ASSERT_TRUE(points_->Settle().ok());
  ASSERT_TRUE(points_->Refund(doc.id).ok());
  ASSERT_TRUE(points_->ReverseUploadReward(doc.id).ok());

  auto kinds = db_->Query(
      "SELECT t.kind, COUNT(DISTINCT t.id), SUM(e.amount) FROM ledger_transactions t "
      "JOIN ledger_entries e ON e.tx_id = t.id GROUP BY t.kind ORDER BY t.kind");
  ASSERT_TRUE(kinds.ok());
  std::vector<std::string> seen;
  for (const auto& r : *kinds) {
    seen.push_back(r.Text(0));
    EXPECT_EQ(r.Int(2), 0) << r.Text(0);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"checkin", "grant", "purchase", "refund", "reversal",
                                            "settle", "signup_bonus", "upload_reward"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT tx_id FROM ledger_entries GROUP BY tx_id "
                  "HAVING SUM(amount) <> 0) x"),
            0);
  // The whole ledger sums to zero too: every point given came from the grants account.
  EXPECT_EQ(Count("SELECT SUM(balance) FROM ledger_accounts"), 0);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, SignupBonusAndUploadRewardAreGivenOnce) {
  auto first = points_->SignupBonus(bob_);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->awarded);
  EXPECT_EQ(first->amount, 20);
  EXPECT_EQ(first->balance, 20);
  auto again = points_->SignupBonus(bob_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->awarded);
  EXPECT_EQ(again->tx_id, first->tx_id);
  EXPECT_EQ(Wallet(bob_), 20);

  Document doc = ReadyDoc("a", 0);
  EXPECT_TRUE(points_->UploadReward(doc.id, alice_)->awarded);
  EXPECT_FALSE(points_->UploadReward(doc.id, alice_)->awarded);
  EXPECT_EQ(Wallet(alice_), 10);
  EXPECT_EQ(*ledger_->Balance(storage::Account::PlatformGrants()), -30);
}

TEST_F(PointsTest, ABonusSetToZeroWritesNothing) {
  Economy e;
  e.signup_bonus = 0;
  MakePoints(e);
  auto award = points_->SignupBonus(bob_);
  ASSERT_TRUE(award.ok());
  EXPECT_FALSE(award->awarded);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions"), 0);
}

TEST_F(PointsTest, CheckinIsOncePerCalendarDayInShanghai) {
  FakeClock clock(1704124740000);  // 2024-01-01 15:59:00 UTC = 23:59:00 in Shanghai
  points_ = std::make_unique<Points>(*db_, *ledger_, *entitlements_, *cases_, clock, Economy{},
                                     TimeZone::Find("Asia/Shanghai").value());
  EXPECT_EQ(points_->Today(), "2024-01-01");
  EXPECT_FALSE(*points_->CheckedInToday(bob_));
  auto first = points_->Checkin(bob_);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->awarded);
  EXPECT_EQ(first->amount, 5);
  EXPECT_TRUE(*points_->CheckedInToday(bob_));

  clock.Advance(30'000);  // 23:59:30, the same day
  auto same_day = points_->Checkin(bob_);
  ASSERT_TRUE(same_day.ok());
  EXPECT_FALSE(same_day->awarded);
  EXPECT_EQ(same_day->balance, 5);

  clock.Advance(60'000);  // 00:00:30 on 2 January in Shanghai, still 1 January in UTC
  EXPECT_EQ(points_->Today(), "2024-01-02");
  EXPECT_FALSE(*points_->CheckedInToday(bob_));
  auto next_day = points_->Checkin(bob_);
  ASSERT_TRUE(next_day.ok());
  EXPECT_TRUE(next_day->awarded);
  EXPECT_EQ(next_day->balance, 10);

  clock.Advance(12 * 60 * 60 * 1000);  // noon, and past midnight UTC: still 2 January here
  EXPECT_FALSE(points_->Checkin(bob_)->awarded);
  // Another user's check-in is their own.
  EXPECT_TRUE(points_->Checkin(carol_)->awarded);
  EXPECT_EQ(Wallet(bob_), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'checkin'"), 3);
}

TEST_F(PointsTest, AnUnknownTimeZoneIsRefusedAtStart) {
  auto c = Config::Defaults({{"site.time_zone", "Mars/Olympus"}});
  auto e = Economy::FromConfig(c);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("site.time_zone"), std::string::npos);
  EXPECT_FALSE(Config::Load("", {{"economy.commission_percent", "101"}}).ok());
  auto defaults = Economy::FromConfig(Config::Defaults());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->signup_bonus, 20);
  EXPECT_EQ(defaults->checkin_bonus, 5);
  EXPECT_EQ(defaults->upload_reward, 10);
  EXPECT_EQ(defaults->commission_percent, 20);
  EXPECT_EQ(defaults->settle_days, 7);
  EXPECT_EQ(defaults->time_zone, "Asia/Shanghai");
}

TEST_F(PointsTest, PurchaseSplitsThePriceWithTheCommissionRoundedDown) {
  struct Case {
    int64_t price, percent, commission, share;
  };
  const Case cases[] = {
      {10, 20, 2, 8},   {7, 20, 1, 6}, {4, 20, 0, 4},  {1, 20, 0, 1},
      {99, 33, 32, 67}, {5, 0, 0, 5},  {5, 100, 5, 0},
  };
  int n = 0;
  for (const auto& c : cases) {
    Economy e;
    e.commission_percent = c.percent;
    MakePoints(e);
    Give(bob_, c.price);
    Document doc = ReadyDoc("doc" + std::to_string(n), c.price);
    int64_t revenue = Revenue(), pending = Pending(alice_), wallet = Wallet(bob_);
    auto bought = points_->Purchase(bob_, doc, "k" + std::to_string(n++));
    ASSERT_TRUE(bought.ok()) << bought.error().message;
    EXPECT_EQ(bought->outcome, PurchaseResult::Outcome::kPurchased);
    EXPECT_EQ(bought->price, c.price);
    EXPECT_EQ(bought->commission, c.commission) << c.price << " at " << c.percent << "%";
    EXPECT_EQ(bought->balance, wallet - c.price);
    EXPECT_EQ(Wallet(bob_), wallet - c.price);
    EXPECT_EQ(Revenue() - revenue, c.commission);
    EXPECT_EQ(Pending(alice_) - pending, c.share);
    EXPECT_TRUE(*points_->Entitled(bob_, doc.id));
  }
  ExpectLedgerHolds();
}

TEST_F(PointsTest, NotEnoughPointsWritesNothing) {
  Give(bob_, 9);
  Document doc = ReadyDoc("a", 10);
  int64_t txs = Count("SELECT COUNT(*) FROM ledger_transactions");
  int64_t entries = Count("SELECT COUNT(*) FROM ledger_entries");
  auto r = points_->Purchase(bob_, doc, "k1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(Wallet(bob_), 9);
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Revenue(), 0);
  EXPECT_FALSE(*points_->Entitled(bob_, doc.id));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions"), txs);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_entries"), entries);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM entitlements"), 0);
  // With one point more the same key buys it: the refused attempt did not use it up.
  Give(bob_, 1);
  auto later = points_->Purchase(bob_, doc, "k1");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->outcome, PurchaseResult::Outcome::kPurchased);
  EXPECT_EQ(Wallet(bob_), 0);
}

TEST_F(PointsTest, NoOneBuysTheirOwnDocumentAFreeOneOrAnUnreadyOne) {
  Give(alice_, 100);
  Give(bob_, 100);
  Document mine = ReadyDoc("a", 10);
  auto own = points_->Purchase(alice_, mine, "k");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, ErrorCode::kForbidden);
  Document free_doc = ReadyDoc("b", 0);
  auto free_buy = points_->Purchase(bob_, free_doc, "k");
  ASSERT_FALSE(free_buy.ok());
  EXPECT_EQ(free_buy.error().code, ErrorCode::kInvalidInput);
  Document queued = ReadyDoc("c", 10);
  queued.state = DocState::kQueued;
  EXPECT_EQ(points_->Purchase(bob_, queued, "k").error().code, ErrorCode::kNotFound);
  Document taken_down = ReadyDoc("d", 10);
  taken_down.state = DocState::kTakenDown;
  EXPECT_EQ(points_->Purchase(bob_, taken_down, "k").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(points_->Purchase(bob_, mine, "").error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(Wallet(alice_), 100);
  EXPECT_EQ(Wallet(bob_), 100);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'purchase'"), 0);
}

TEST_F(PointsTest, ABuyerIsChargedOnceWhateverTheKeys) {
  Give(bob_, 100);
  Document doc = ReadyDoc("a", 10);
  auto first = points_->Purchase(bob_, doc, "click-1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->outcome, PurchaseResult::Outcome::kPurchased);
  EXPECT_EQ(first->balance, 90);

  auto retried = points_->Purchase(bob_, doc, "click-1");  // the same request again
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->outcome, PurchaseResult::Outcome::kReplayed);
  EXPECT_EQ(retried->tx_id, first->tx_id);
  EXPECT_EQ(retried->price, 10);
  EXPECT_EQ(retried->balance, 90);

  auto second_tab = points_->Purchase(bob_, doc, "click-2");  // another key: already bought
  ASSERT_TRUE(second_tab.ok());
  EXPECT_EQ(second_tab->outcome, PurchaseResult::Outcome::kAlreadyEntitled);
  EXPECT_EQ(second_tab->balance, 90);
  EXPECT_EQ(Wallet(bob_), 90);
  EXPECT_EQ(Pending(alice_), 8);

  // The same key for another document is a mistake, not a purchase.
  Document other = ReadyDoc("b", 10);
  auto reused = points_->Purchase(bob_, other, "click-1");
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(*points_->Entitled(bob_, other.id));
  // One user's key is theirs alone: carol's "click-1" is her own purchase.
  Give(carol_, 10);
  auto carol = points_->Purchase(carol_, doc, "click-1");
  ASSERT_TRUE(carol.ok());
  EXPECT_EQ(carol->outcome, PurchaseResult::Outcome::kPurchased);
  EXPECT_EQ(Wallet(carol_), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'purchase'"), 2);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, SettlementMovesEarningsOlderThanSettleDays) {
  Give(bob_, 100);
  Document a = ReadyDoc("a", 10);
  Document b = ReadyDoc("b", 20);
  ASSERT_TRUE(points_->Purchase(bob_, a, "k1").ok());  // day 0: alice pending +8
  clock_.Advance(3 * kDay);
  ASSERT_TRUE(points_->Purchase(bob_, b, "k2").ok());  // day 3: alice pending +16
  EXPECT_EQ(Pending(alice_), 24);

  clock_.Advance(4 * kDay - 1);  // a millisecond short of 7 days after the first sale
  auto early = points_->Settle();
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->points, 0);
  EXPECT_EQ(Pending(alice_), 24);
  EXPECT_EQ(Wallet(alice_), 0);

  clock_.Advance(1);  // day 7: the first sale has matured, the second not
  auto first = points_->Settle();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->users, 1);
  EXPECT_EQ(first->points, 8);
  EXPECT_EQ(Pending(alice_), 16);
  EXPECT_EQ(Wallet(alice_), 8);
  EXPECT_EQ(points_->Settle()->points, 0);  // running it again moves nothing

  clock_.Advance(3 * kDay);  // day 10: the second has matured
  EXPECT_EQ(points_->Settle()->points, 16);
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Wallet(alice_), 24);
  EXPECT_EQ(Wallet(bob_), 70);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, RefundTakesFromPendingFirstThenTheWalletWhichMayGoNegative) {
  Give(bob_, 10);
  Give(carol_, 10);
  Document doc = ReadyDoc("a", 10);                     // alice's, price 10: she earns 8
  Document bobs = ReadyDoc("b", 8, bob_);               // bob's, price 8
  ASSERT_TRUE(points_->Purchase(bob_, doc, "k").ok());  // alice pending 8
  clock_.Advance(7 * kDay);
  ASSERT_EQ(points_->Settle()->points, 8);                 // alice wallet 8, pending 0
  ASSERT_TRUE(points_->Purchase(carol_, doc, "k").ok());   // alice pending 8
  ASSERT_TRUE(points_->Purchase(alice_, bobs, "k").ok());  // alice spends her wallet: 0
  EXPECT_EQ(Wallet(alice_), 0);
  EXPECT_EQ(Pending(alice_), 8);
  EXPECT_EQ(Revenue(), 2 + 2 + 1);

  auto refund = points_->Refund(doc.id);
  ASSERT_TRUE(refund.ok()) << refund.error().message;
  EXPECT_EQ(refund->purchases, 2);
  EXPECT_EQ(refund->points, 20);
  EXPECT_EQ(Wallet(bob_), 10 - 10 + 10 + 0);  // bob's own sale of `bobs` is still pending
  EXPECT_EQ(Pending(bob_), 7);
  EXPECT_EQ(Wallet(carol_), 10);
  EXPECT_EQ(Pending(alice_), 0);  // 8 of the 16 came from pending…
  EXPECT_EQ(Wallet(alice_), -8);  // …the rest from the wallet: a debt
  EXPECT_EQ(Revenue(), 1);        // the commission went back too
  EXPECT_FALSE(*points_->Entitled(bob_, doc.id));
  EXPECT_FALSE(*points_->Entitled(carol_, doc.id));
  EXPECT_TRUE(*points_->Entitled(alice_, bobs.id));

  // Refunding again returns nothing more.
  auto again = points_->Refund(doc.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->purchases, 0);
  EXPECT_EQ(Wallet(bob_), 10);

  // A wallet in debt cannot buy, and nothing but a refund or reversal made it negative.
  Document cheap = ReadyDoc("c", 1, carol_);
  auto in_debt = points_->Purchase(alice_, cheap, "k2");
  ASSERT_FALSE(in_debt.ok());
  EXPECT_EQ(in_debt.error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_entries e JOIN ledger_transactions t "
                  "ON t.id = e.tx_id WHERE e.balance_after < 0 AND e.amount < 0 "
                  "AND t.kind NOT IN ('refund', 'reversal') AND e.account_id IN "
                  "(SELECT id FROM ledger_accounts WHERE kind IN ('wallet', 'pending'))"),
            0);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, ARefundedBuyerMayBuyAgainAndIsChargedAgain) {
  Give(bob_, 30);
  Document doc = ReadyDoc("a", 10);
  ASSERT_TRUE(points_->Purchase(bob_, doc, "k1").ok());
  ASSERT_EQ(points_->Refund(doc.id)->purchases, 1);
  EXPECT_EQ(Wallet(bob_), 30);
  auto again = points_->Purchase(bob_, doc, "k2");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, PurchaseResult::Outcome::kPurchased);
  EXPECT_EQ(Wallet(bob_), 20);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, ReversingAnUploadRewardTakesItBackOnce) {
  Document doc = ReadyDoc("a", 0);
  ASSERT_TRUE(points_->UploadReward(doc.id, alice_)->awarded);
  Give(bob_, 10);
  Document bobs = ReadyDoc("b", 10, bob_);
  ASSERT_TRUE(points_->Purchase(alice_, bobs, "k").ok());  // alice spent the reward
  auto reversed = points_->ReverseUploadReward(doc.id);
  ASSERT_TRUE(reversed.ok());
  EXPECT_TRUE(reversed->awarded);
  EXPECT_EQ(reversed->amount, 10);
  EXPECT_EQ(Wallet(alice_), -10);
  EXPECT_FALSE(points_->ReverseUploadReward(doc.id)->awarded);
  EXPECT_EQ(Wallet(alice_), -10);
  ExpectLedgerHolds();
}

TEST_F(PointsTest, GrantsAreBoundedAndAKeyMakesThemSafeToRetry) {
  EXPECT_EQ(points_->Grant(bob_, 0, "").error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(points_->Grant(bob_, kMaxGrant + 1, "").error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(points_->Grant(bob_, -kMaxGrant - 1, "").error().code, ErrorCode::kInvalidInput);
  ASSERT_TRUE(points_->Grant(bob_, 5, "a").ok());
  ASSERT_TRUE(points_->Grant(bob_, 5, "b").ok());  // no key: each call grants
  EXPECT_EQ(Wallet(bob_), 10);
  EXPECT_TRUE(points_->Grant(bob_, 7, "c", "ticket-42")->awarded);
  EXPECT_FALSE(points_->Grant(bob_, 7, "c", "ticket-42")->awarded);
  EXPECT_EQ(Wallet(bob_), 17);
  auto history = ledger_->History(bob_, 1, 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].memo, "c");
  EXPECT_EQ((*history)[0].balance_after, 17);
}

TEST_F(PointsTest, ANegativeGrantTakesPointsBackOnlyWhenTheWalletHasThem) {
  Give(bob_, 10);
  auto too_much = points_->Grant(bob_, -11, "too much", "k-1");
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(Wallet(bob_), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE "
                  "'grant:%:k-1'"),
            0);  // nothing written
  auto back = points_->Grant(bob_, -4, "mistake", "k-2");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->awarded);
  EXPECT_EQ(back->amount, -4);
  EXPECT_EQ(back->balance, 6);
  auto again = points_->Grant(bob_, -4, "mistake", "k-2");  // the same form twice
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->awarded);
  EXPECT_EQ(Wallet(bob_), 6);
  EXPECT_EQ(*ledger_->Balance(storage::Account::PlatformGrants()), -6);
  // `wenku ledger check` accepts grants both ways: every sum and balance holds.
  ExpectLedgerHolds();
  auto check = ledger_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->transactions, 2);
}

TEST_F(PointsTest, ASaleNotifiesTheUploaderInThePurchasesUnitOfWork) {
  Document doc = ReadyDoc("sold", 10);
  Give(bob_, 15);
  ASSERT_TRUE(points_->Purchase(bob_, doc, "k1").ok());
  auto inbox = cases_->Inbox(alice_, 10, 0);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].kind, "sold");
  EXPECT_EQ((*inbox)[0].document, doc.id);
  EXPECT_EQ((*inbox)[0].note, "8");  // 10 less the 20% commission
  // A replayed purchase, one refused for want of points, one refused as one's own: no word.
  ASSERT_TRUE(points_->Purchase(bob_, doc, "k1").ok());
  EXPECT_EQ(points_->Purchase(carol_, doc, "k2").error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(points_->Purchase(alice_, doc, "k3").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(cases_->Inbox(alice_, 10, 0)->size(), 1u);
  EXPECT_EQ(cases_->Inbox(bob_, 10, 0)->size(), 0u);
}

}  // namespace
}  // namespace wenku::points
