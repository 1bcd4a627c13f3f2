// What an uploader sees on /me: each document's sales (purchases not refunded) and earnings
// (the shares credited by them, less what refunds took back), and the earnings of each
// calendar day in the site's time zone — after purchases, a settlement, a refund and a
// purchase again, across a midnight that is midnight in Shanghai but not in UTC.
#include <numeric>

#include "points/points_fixture.hpp"

namespace wenku::storage {
void PrintTo(const DocumentSales& s, std::ostream* os) {
  *os << "{doc " << s.document << ", " << s.sales << " sales, " << s.earnings << " earned}";
}
}  // namespace wenku::storage

namespace wenku::points {
namespace {

using storage::DocumentSales;
constexpr int64_t kMinute = 60LL * 1000;
constexpr int64_t kDay = 24LL * 60 * kMinute;

class EarningsTest : public PointsTest {
 protected:
  std::vector<DocumentSales> Sales(UserId owner, const std::vector<DocumentId>& docs) {
    auto s = ledger_->SalesOf(owner, docs);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? *s : std::vector<DocumentSales>{};
  }
  std::vector<DayEarnings> Days(UserId user, int n = 30) {
    auto d = points_->EarningsByDay(user, n);
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? *d : std::vector<DayEarnings>{};
  }
  static int64_t Total(const std::vector<DayEarnings>& days) {
    return std::accumulate(days.begin(), days.end(), int64_t{0},
                           [](int64_t sum, const DayEarnings& d) { return sum + d.amount; });
  }
};

TEST_F(EarningsTest, SalesCountOpenPurchasesAndEarningsAreTheShareLessRefunds) {
  Give(bob_, 100);
  Give(carol_, 100);
  Give(alice_, 20);
  Document a = ReadyDoc("a", 10);       // alice earns 8 a sale (20 % commission)
  Document b = ReadyDoc("b", 5);        // 4 a sale
  Document c = ReadyDoc("c", 3);        // never bought
  Document d = ReadyDoc("d", 7, bob_);  // bob's: 6 a sale
  ASSERT_TRUE(points_->Purchase(bob_, a, "1").ok());
  ASSERT_TRUE(points_->Purchase(carol_, a, "1").ok());
  ASSERT_TRUE(points_->Purchase(bob_, b, "2").ok());
  ASSERT_TRUE(points_->Purchase(alice_, d, "1").ok());  // alice buying is not alice earning

  EXPECT_EQ(Sales(alice_, {a.id, b.id, c.id}),
            (std::vector<DocumentSales>{{a.id, 2, 16}, {b.id, 1, 4}}));
  EXPECT_EQ(Sales(bob_, {d.id}), (std::vector<DocumentSales>{{d.id, 1, 6}}));
  EXPECT_TRUE(Sales(alice_, {}).empty());

  // Settling moves the earnings to the wallet; they stay earned.
  clock_.Advance(7 * kDay);
  ASSERT_EQ(points_->Settle()->points, 16 + 4 + 6);
  EXPECT_EQ(Sales(alice_, {a.id, b.id}), (std::vector<DocumentSales>{{a.id, 2, 16}, {b.id, 1, 4}}));

  // The refund of a's two sales takes 16 back (from alice's wallet, pending being empty).
  ASSERT_EQ(points_->Refund(a.id)->purchases, 2);
  EXPECT_EQ(Pending(alice_), 0);
  EXPECT_EQ(Sales(alice_, {a.id, b.id}), (std::vector<DocumentSales>{{a.id, 0, 0}, {b.id, 1, 4}}));
  // Bought again: one sale, 8 earned.
  ASSERT_TRUE(points_->Purchase(bob_, a, "3").ok());
  EXPECT_EQ(Sales(alice_, {a.id, b.id, c.id}),
            (std::vector<DocumentSales>{{a.id, 1, 8}, {b.id, 1, 4}}));
  ExpectLedgerHolds();
}

TEST_F(EarningsTest, EachDayIsACalendarDayInTheSiteTimeZone) {
  clock_.Advance(1704124740000 - clock_.NowMs());  // 2024-01-01 15:59 UTC = 23:59 in Shanghai
  Give(bob_, 100);
  Give(carol_, 100);
  Give(alice_, 20);
  Document a = ReadyDoc("a", 10);
  Document b = ReadyDoc("b", 5);
  Document d = ReadyDoc("d", 7, bob_);
  ASSERT_TRUE(points_->Purchase(bob_, a, "1").ok());  // 1 January: 8

  clock_.Advance(2 * kMinute);  // 00:01 on 2 January in Shanghai, still 1 January in UTC
  ASSERT_TRUE(points_->Purchase(carol_, a, "1").ok());  // 2 January: 8
  ASSERT_TRUE(points_->Purchase(bob_, b, "2").ok());    //            + 4
  ASSERT_TRUE(points_->Purchase(alice_, d, "1").ok());  // alice's purchase: bob's 6

  auto days = Days(alice_);
  ASSERT_EQ(days.size(), 30u);
  EXPECT_EQ(days.front().date, "2023-12-04");
  EXPECT_EQ(days[28].date, "2024-01-01");
  EXPECT_EQ(days[28].amount, 8);
  EXPECT_EQ(days.back().date, "2024-01-02");
  EXPECT_EQ(days.back().amount, 12);
  for (size_t i = 0; i < 28; ++i) EXPECT_EQ(days[i].amount, 0) << days[i].date;

  // A refund counts on the day it happens: 2 January loses b's 4.
  clock_.Advance(60 * kMinute);
  ASSERT_EQ(points_->Refund(b.id)->purchases, 1);
  days = Days(alice_);
  EXPECT_EQ(days[28].amount, 8);
  EXPECT_EQ(days.back().amount, 8);
  // The days add up to what the documents earned.
  int64_t by_document = 0;
  for (const auto& s : Sales(alice_, {a.id, b.id})) by_document += s.earnings;
  EXPECT_EQ(Total(days), by_document);
  EXPECT_EQ(by_document, 16);

  // Bob earned 6 (alice's purchase); getting his 5 back from the refund is not earning.
  auto bobs = Days(bob_);
  EXPECT_EQ(bobs.back().amount, 6);
  EXPECT_EQ(Total(bobs), 6);

  // 29 days later 1 January has left the window; 2 January is the oldest day.
  clock_.Advance(29 * kDay);
  days = Days(alice_);
  EXPECT_EQ(days.front().date, "2024-01-02");
  EXPECT_EQ(days.front().amount, 8);
  EXPECT_EQ(days.back().date, "2024-01-31");
  EXPECT_EQ(Total(days), 8);

  EXPECT_EQ(points_->EarningsByDay(alice_, 0).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(points_->EarningsByDay(alice_, 367).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(ledger_->EarningsBetween(alice_, {2, 1}).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(ledger_->EarningsBetween(alice_, {1}).error().code, ErrorCode::kInvalidInput);
}

TEST_F(EarningsTest, NoSalesNoEarnings) {
  ReadyDoc("a", 10);
  auto days = Days(alice_, 7);
  ASSERT_EQ(days.size(), 7u);
  EXPECT_EQ(days.back().date, points_->Today());
  EXPECT_EQ(Total(days), 0);
  EXPECT_EQ(Days(alice_, 1).size(), 1u);
}

}  // namespace
}  // namespace wenku::points
