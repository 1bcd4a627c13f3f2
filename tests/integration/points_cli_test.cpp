// The real `wenku points grant/show/settle` and `wenku ledger check` on a temp data folder.
#include <gtest/gtest.h>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Wenku(const fs::path& data, std::vector<std::string> args) {
  args.insert(args.begin(), {WenkuBinary()});
  args.insert(args.end(), {"--data", data.string()});
  return RunCommand(args);
}

TEST(IntegrationPointsCliTest, GrantShowSettleAndCheckTheLedger) {
  TempDir dir;
  fs::path data = dir / "data";
  ASSERT_EQ(Wenku(data, {"user", "add", "bob", "--password", "correct horse"}).status, 0);

  CommandResult granted = Wenku(data, {"points", "grant", "bob", "30", "--memo", "欢迎 welcome"});
  ASSERT_EQ(granted.status, 0);
  EXPECT_NE(granted.out.find("granted 30 points to bob"), std::string::npos) << granted.out;
  ASSERT_EQ(Wenku(data, {"points", "grant", "bob", "12"}).status, 0);

  CommandResult shown = Wenku(data, {"points", "show", "bob", "--json"});
  ASSERT_EQ(shown.status, 0);
  auto json = nlohmann::json::parse(shown.out);
  EXPECT_EQ(json["user"], "bob");
  EXPECT_EQ(json["points"]["balance"], 42);
  EXPECT_EQ(json["points"]["pending"], 0);
  ASSERT_EQ(json["entries"].size(), 2u);
  EXPECT_EQ(json["entries"][0]["amount"], 12);  // newest first
  EXPECT_EQ(json["entries"][0]["balance_after"], 42);
  EXPECT_EQ(json["entries"][1]["kind"], "grant");
  EXPECT_EQ(json["entries"][1]["account"], "wallet");
  EXPECT_EQ(json["entries"][1]["memo"], "欢迎 welcome");
  EXPECT_TRUE(json["entries"][1]["document_id"].is_null());

  CommandResult text = Wenku(data, {"points", "show", "bob"});
  ASSERT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("bob: balance 42, pending 0"), std::string::npos) << text.out;

  // Refused: an unknown user, a grant of nothing.
  EXPECT_NE(Wenku(data, {"points", "grant", "nobody", "5"}).status, 0);
  EXPECT_NE(Wenku(data, {"points", "grant", "bob", "0"}).status, 0);
  EXPECT_NE(Wenku(data, {"points", "show", "nobody"}).status, 0);

  CommandResult settled = Wenku(data, {"points", "settle"});
  ASSERT_EQ(settled.status, 0);
  EXPECT_NE(settled.out.find("settled 0 points"), std::string::npos) << settled.out;

  CommandResult check = Wenku(data, {"ledger", "check"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("ledger ok: 2 transactions, 4 entries"), std::string::npos) << check.out;
  EXPECT_EQ(QueryInt(data, "SELECT SUM(balance) FROM ledger_accounts"), 0);

  // A balance changed behind the ledger's back is found, with a line saying where.
  {
    auto db = storage::OpenSqlite((data / "wenku.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        (*db)->Exec("UPDATE ledger_accounts SET balance = 1000 WHERE kind = 'wallet'").ok());
    // The entries themselves cannot be changed, not even with a direct connection.
    EXPECT_FALSE((*db)->Exec("UPDATE ledger_entries SET amount = 1000").ok());
    EXPECT_FALSE((*db)->Exec("DELETE FROM ledger_transactions").ok());
  }
  CommandResult broken = Wenku(data, {"ledger", "check"});
  EXPECT_EQ(broken.status, 1);
  EXPECT_NE(broken.out.find("(wallet of user"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("has a cached balance of 1000, its entries sum to 42"),
            std::string::npos)
      << broken.out;
}

TEST(IntegrationPointsCliTest, AnUnknownTimeZoneStopsTheStart) {
  TempDir dir;
  CommandResult r = RunCommand({WenkuBinary(), "ledger", "check", "--data", (dir / "data").string(),
                                "--set", "site.time_zone=Mars/Olympus"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace wenku::testing
