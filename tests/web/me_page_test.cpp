// The /me template as a user reads it: a wallet below zero reads as a debt with the rule that
// it cannot buy; my uploads' rows are escaped; the chart goes in as the SVG we drew.
#include <gtest/gtest.h>

#include "web/earnings_chart.hpp"
#include "web/templates.hpp"

namespace wenku::web {
namespace {

class MePageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Templates::Load(std::filesystem::path(WENKU_SOURCE_DIR) / "templates");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    templates_ = std::move(loaded).value();
  }
  View Base() {
    View v;
    v.set("balance", "12");
    v.set("pending", "0");
    v.set("has_uploads", View::type::bool_false);
    v.set("uploads", ViewList{});
    return v;
  }
  std::unique_ptr<Templates> templates_;
};

TEST_F(MePageTest, AWalletBelowZeroShowsTheDebtAndThatItCannotBuy) {
  View v = Base();
  v.set("balance", "-7");
  v.set("debt", "7");
  const std::string zh = templates_->Render("me", Lang::kZh, v);
  EXPECT_NE(zh.find(R"(<li class="debt">欠款: <span id="me-debt">7</span></li>)"),
            std::string::npos);
  EXPECT_NE(zh.find(R"(<p id="debt-notice" class="debt">积分余额低于零：还清欠款前不能购买文档。)"),
            std::string::npos);
  const std::string en = templates_->Render("me", Lang::kEn, v);
  EXPECT_NE(en.find("you cannot buy documents until the debt is paid"), std::string::npos);

  const std::string fine = templates_->Render("me", Lang::kZh, Base());
  EXPECT_EQ(fine.find("debt"), std::string::npos);
  EXPECT_EQ(fine.find("欠款"), std::string::npos);
}

TEST_F(MePageTest, MyUploadsAreEscapedAndTheChartIsTheDrawnSvg) {
  View v = Base();
  View row;
  row.set("id", "42");
  row.set("title", "<img src=x onerror=alert(1)>");
  row.set("state", "已完成");
  row.set("price", "5 积分");
  row.set("sales", "1");
  row.set("earnings", "4");
  v.set("has_uploads", View::type::bool_true);
  v.set("uploads", ViewList{row});
  v.set("earnings_chart", EarningsChartSvg({{"2024-06-01", 4}}, "近 30 天"));
  v.set("earnings_total", "近 30 天收益合计 4 积分");
  const std::string html = templates_->Render("me", Lang::kZh, v);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<tr class="upload-row"><td><a href="/d/42">&lt;img src=x onerror=alert(1)&gt;</a></td>)"
          R"(<td>已完成</td><td>5 积分</td><td class="upload-sales num">1</td><td class="upload-earnings num">4</td></tr>)"),
      std::string::npos);
  EXPECT_NE(html.find("<figure class=\"earnings\">\n<svg xmlns="), std::string::npos);
  EXPECT_NE(html.find(R"(<figcaption id="earnings-total">近 30 天收益合计 4 积分</figcaption>)"),
            std::string::npos);

  View none = Base();
  const std::string empty = templates_->Render("me", Lang::kZh, none);
  EXPECT_EQ(empty.find("<svg"), std::string::npos);
  EXPECT_NE(empty.find("你还没有上传文档"), std::string::npos);
}

}  // namespace
}  // namespace wenku::web
