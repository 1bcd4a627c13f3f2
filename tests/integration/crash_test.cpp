// kill -9 the importer in the middle of a run; a second run must finish every document
// exactly once, with no orphan blob, row, temp file or work folder.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFiles = 12;
constexpr int kPages = 30;

TEST(IntegrationCrashTest, ASecondRunFinishesEveryDocumentExactlyOnce) {
  TempDir dir;
  std::vector<std::string> paths;
  for (int f = 0; f < kFiles; ++f) {
    std::vector<std::vector<std::string>> pages;
    for (int n = 1; n <= kPages; ++n) {
      pages.push_back({"文件 " + std::to_string(f) + " 第 " + std::to_string(n) + " 页",
                       "document " + std::to_string(f)});
    }
    paths.push_back((dir / ("doc-" + std::to_string(f) + ".pdf")).string());
    ASSERT_TRUE(MakePdf(paths.back(), pages));
  }
  fs::path data = dir / "data";
  // Every page drawn at ingest makes each document take a while; short leases let the
  // second run take over the killed run's jobs quickly.
  std::vector<std::string> flags = {"--set",     "preview.pages=" + std::to_string(kPages),
                                    "--set",     "ingest.lease_seconds=2",
                                    "--workers", "2"};

  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<std::string> argv = {WenkuBinary(), "import", "--data", data.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), paths.begin(), paths.end());
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  // Kill it once at least one document is ready and another is being converted.
  bool mid_run = false;
  for (int i = 0; i < 1200 && !mid_run; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!fs::exists(data / "wenku.db")) continue;
    mid_run = QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'ready'") >= 1 &&
              QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'processing'") >= 1;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(mid_run) << "the importer never reached the middle of its run";
  ASSERT_TRUE(WIFSIGNALED(status));
  int64_t ready_before = QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'ready'");
  EXPECT_LT(ready_before, kFiles);

  ImportRun second = Import(data, paths, flags);
  ASSERT_EQ(second.status, 0);
  ASSERT_EQ(second.rows.size(), static_cast<size_t>(kFiles));
  std::set<int64_t> ids;
  for (const auto& row : second.rows) {
    EXPECT_EQ(row["state"], "ready") << row.dump();
    EXPECT_EQ(row["pages"], kPages);
    ids.insert(row["id"].get<int64_t>());
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kFiles));
  // Exactly once: one document, one finished job, one set of pages per file.
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM jobs"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM jobs WHERE state = 'done'"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM pages"), kFiles * kPages);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM blobs"), kFiles);
  // No orphans: one blob file per row, no temp files, no work folders, one image per page.
  EXPECT_EQ(CountFiles(data / "blobs"), static_cast<size_t>(kFiles));
  EXPECT_EQ(CountFiles(data / "tmp"), 0u);
  EXPECT_EQ(CountFiles(data / "work"), 0u) << RunCommand({"find", (data / "work").string()}).out
                                           << QueryInt(data, "SELECT COUNT(*) FROM jobs");
  EXPECT_EQ(CountFiles(data / "derived"),
            static_cast<size_t>(kFiles * (kPages + 1)));  // pages + cover
  CommandResult check = RunCommand({WenkuBinary(), "check", "--data", data.string()});
  EXPECT_EQ(check.status, 0) << check.out;
  // The killed run's jobs were taken over after their leases ran out.
  EXPECT_GE(QueryInt(data, "SELECT MAX(attempts) FROM jobs"), 2);
  for (int64_t id : ids) {
    nlohmann::json doc = Show(data, id);
    std::string last = WithoutSpace(doc["pages"][static_cast<size_t>(kPages - 1)]["text"]);
    EXPECT_NE(last.find("第" + std::to_string(kPages) + "页"), std::string::npos) << last;
  }
}

}  // namespace
}  // namespace wenku::testing
