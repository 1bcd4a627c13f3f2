// Scans publish first: a scanned PDF is ready as soon as its page images exist, its pages
// marked as being recognised, and its text becomes readable and searchable once an ocr
// worker (here a separate `wenku worker`) has run the follow-up job. Uses the corpus's
// one-page English scan; skips with a message when the corpus is absent.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {
namespace fs = std::filesystem;

// Whether `wenku search` finds document `id` for `words` (its output kept for messages).
bool Finds(const fs::path& data, const std::string& words, int64_t id, std::string* out) {
  CommandResult r = RunCommand({WenkuBinary(), "search", "--data", data.string(), "--json", words});
  *out = r.out;
  EXPECT_EQ(r.status, 0) << r.out;
  if (r.status != 0) return false;
  const nlohmann::json found = nlohmann::json::parse(r.out);
  for (const auto& h : found["hits"]) {
    if (h["id"] == id) return true;
  }
  return false;
}

TEST(IntegrationScanFollowUpTest, AScanIsReadyBeforeItsTextAndSearchableAfter) {
  const std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent: scan follow-up test skipped";
  TempDir dir;
  const fs::path data = dir / "data";
  const std::string scan = corpus + "/en-scan-ocr-tika.pdf";

  // An importer without ocr workers: the scan is published, its text not yet recognised.
  ImportRun run = Import(data, {scan}, {"--set", "ocr.workers=0"});
  ASSERT_EQ(run.status, 0);
  const nlohmann::json* row = run.Find(scan);
  ASSERT_NE(row, nullptr);
  ASSERT_EQ((*row)["state"], "ready") << row->dump();
  const int64_t id = (*row)["id"];
  nlohmann::json doc = Show(data, id);
  EXPECT_EQ(doc["state"], "ready");
  EXPECT_EQ(doc["text_pending"], true);
  ASSERT_EQ(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["text_source"], "none");
  std::string out;
  EXPECT_FALSE(Finds(data, "Happy New Year", id, &out)) << out;
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM jobs WHERE kind = 'ocr' AND state = 'queued'"), 1);

  // A worker process picks the follow-up job up; stopped by its pid once the text is there.
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<std::string> argv = {WenkuBinary(), "worker", "--data", data.string()};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  bool recognised = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!recognised && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    recognised =
        QueryInt(data, "SELECT text_pending FROM documents WHERE id = " + std::to_string(id)) == 0;
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(recognised) << "the ocr job did not finish in 120 s";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  doc = Show(data, id);
  EXPECT_EQ(doc["state"], "ready");
  EXPECT_EQ(doc["text_pending"], false);
  EXPECT_EQ(doc["pages"][0]["text_source"], "ocr");
  EXPECT_NE(doc["pages"][0]["text"].get<std::string>().find("Happy New Year"), std::string::npos)
      << doc["pages"][0]["text"];
  EXPECT_TRUE(Finds(data, "Happy New Year", id, &out)) << out;
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM jobs WHERE kind = 'ocr' AND state = 'done'"), 1);
  EXPECT_EQ(RunCommand({WenkuBinary(), "check", "--data", data.string()}).status, 0);
}

}  // namespace
}  // namespace wenku::testing
