// Several nodes' search through one xapian-tcpsrv (`search.remote`), with the real `wenku`
// binary: `wenku import` (the ingest pipeline's index stage) writes into the service, not
// the data folder; `wenku search` finds the page there; `wenku reindex` rebuilds the
// service's index from the database and `wenku check` agrees; a bad setting is refused at
// start, an unreachable service fails the command with the reason.
#include <gtest/gtest.h>

#include "core/data_layout.hpp"
#include "integration/integration_support.hpp"
#include "support/xapian_server.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

// RunCommand with stderr in `out` too (where the commands say what went wrong).
CommandResult RunWithStderr(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"/bin/bash", "-c", "\"$@\" 2>&1", "run"});
  return RunCommand(argv);
}

TEST(IntegrationRemoteSearchApp, ImportSearchReindexAndCheckGoThroughTheService) {
  auto& server = XapianServer::Get();
  ASSERT_TRUE(server.ok()) << server.reason();
  // One argument (--set=KEY=VALUE): a following path or query word is never taken for a
  // second setting.
  const std::string remote = "--set=search.remote=" + server.url();
  TempDir dir;
  const fs::path data = dir / "data";
  const fs::path file =
      fs::path(WENKU_SOURCE_DIR) / "tests/search/made/made-成华区教育宣传周通知.txt";
  ImportRun run = Import(data, {file.string()}, {remote});
  ASSERT_EQ(run.status, 0);
  ASSERT_EQ(run.rows.size(), 1u);
  ASSERT_EQ(run.rows[0].value("state", ""), "ready") << run.rows[0].dump();
  const int64_t id = run.rows[0]["id"];
  EXPECT_FALSE(fs::exists(DataLayout(data).index() / "iamglass"));  // nothing written locally

  auto search = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {WenkuBinary(), "search", "--data", data.string(), "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("成华区");
    return RunCommand(argv);
  };
  CommandResult found = search({remote});
  ASSERT_EQ(found.status, 0) << found.out;
  auto j = nlohmann::json::parse(found.out);
  ASSERT_EQ(j["total"], 1) << found.out;
  EXPECT_EQ(j["hits"][0]["id"], id);
  EXPECT_EQ(j["hits"][0]["pages"], nlohmann::json::array({1}));
  // The same data folder without the setting reads its own (empty) folder.
  CommandResult local = search({});
  ASSERT_EQ(local.status, 0) << local.out;
  EXPECT_EQ(nlohmann::json::parse(local.out)["total"], 0);

  CommandResult reindex =
      RunCommand({WenkuBinary(), "reindex", "--restart", "--data", data.string(), remote});
  ASSERT_EQ(reindex.status, 0) << reindex.out;
  EXPECT_NE(reindex.out.find("reindexed 1 documents"), std::string::npos) << reindex.out;
  CommandResult check = RunCommand({WenkuBinary(), "check", "--data", data.string(), remote});
  EXPECT_EQ(check.status, 0) << check.out;
  found = search({remote});
  ASSERT_EQ(found.status, 0) << found.out;
  EXPECT_EQ(nlohmann::json::parse(found.out)["total"], 1) << found.out;  // never doubled

  CommandResult bad =
      RunWithStderr({WenkuBinary(), "search", "--data", data.string(),
                     "--set=search.remote=http://" + server.url().substr(6), "成华区"});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("search.remote: expected"), std::string::npos) << bad.out;
  const std::string unreachable = UnreachableSearchUrl();
  CommandResult down = RunWithStderr({WenkuBinary(), "search", "--data", data.string(),
                                      "--set=search.remote=" + unreachable, "成华区"});
  EXPECT_NE(down.status, 0);
  EXPECT_NE(down.out.find("search service " + unreachable + " unreachable"), std::string::npos)
      << down.out;
}

}  // namespace
}  // namespace wenku::testing
