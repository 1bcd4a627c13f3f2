// `wenku import FOLDER` interrupted with Ctrl-C (SIGINT) part-way, then run again: the second
// run finishes every file, each exactly once, and says which ones it skipped; a third run
// has nothing to do. A file is skipped by its path, size and mtime without being read; when
// those changed, by its bytes; new bytes are a new document.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/files.hpp"
#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFiles = 60;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts `argv` with stdout and stderr into files; returns its pid.
pid_t Start(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

TEST(IntegrationBulkImportTest, AnInterruptedImportFinishesOnTheSecondRunWithEachFileOnce) {
  TempDir dir;
  const fs::path folder = dir / "archive";
  fs::create_directories(folder / "2023");
  std::vector<std::string> files;
  for (int i = 0; i < kFiles; ++i) {
    fs::path p = folder / (i % 3 == 0 ? "2023" : "") / ("note-" + std::to_string(i) + ".txt");
    ASSERT_TRUE(WriteFileAtomic(p, "第" + std::to_string(i) + "份讲义 lecture notes number " +
                                       std::to_string(i) + "\n")
                    .ok());
    files.push_back(p.string());
  }
  const fs::path data = dir / "data";

  // First run, one worker: Ctrl-C once a few documents are ready.
  pid_t pid =
      Start({WenkuBinary(), "import", "--data", data.string(), "--workers", "1", folder.string()},
            dir / "out1.txt", dir / "err1.txt");
  bool some_ready = false;
  for (int i = 0; i < 2400 && !some_ready; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!fs::exists(data / "wenku.db")) continue;
    some_ready = QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'ready'") >= 3;
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(some_ready) << "no document became ready: " << ReadAll(dir / "err1.txt");
  ASSERT_TRUE(WIFEXITED(status)) << "the importer died of its signal instead of stopping";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string out1 = ReadAll(dir / "out1.txt");
  EXPECT_NE(out1.find("interrupted"), std::string::npos) << out1;
  EXPECT_NE(out1.find("run the same import again"), std::string::npos) << out1;
  const int64_t ready_before =
      QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'ready'");
  ASSERT_GE(ready_before, 3);
  ASSERT_LT(ready_before, kFiles) << "the import finished before it was interrupted";
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'processing'"), 0)
      << "the running conversion was let finish";
  std::set<int64_t> ready_ids;
  {
    auto db = storage::OpenSqlite((data / "wenku.db").string());
    ASSERT_TRUE(db.ok());
    auto rows = (*db)->Query("SELECT id FROM documents WHERE state = 'ready'");
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) ready_ids.insert(r.Int(0));
  }

  // Second run: every file once, all ready; the ones already ready were skipped.
  ImportRun second = Import(data, {folder.string()}, {"--workers", "2"});
  ASSERT_EQ(second.status, 0);
  ASSERT_EQ(second.rows.size(), static_cast<size_t>(kFiles));
  std::set<int64_t> ids;
  std::set<int64_t> skipped;
  for (const auto& row : second.rows) {
    EXPECT_EQ(row["state"], "ready") << row.dump();
    ids.insert(row["id"].get<int64_t>());
    if (row["skipped"] == true) skipped.insert(row["id"].get<int64_t>());
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kFiles));
  EXPECT_EQ(skipped, ready_ids) << "skipped: exactly the files ready before";
  for (const auto& f : files) EXPECT_NE(second.Find(f), nullptr) << f;
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(DISTINCT filename) FROM documents"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents WHERE state = 'ready'"), kFiles);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM import_files"), kFiles);

  // Third run, as a person reads it: nothing to do, and fast.
  auto start = std::chrono::steady_clock::now();
  CommandResult third =
      RunCommand({WenkuBinary(), "import", "--data", data.string(), folder.string()});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(third.status, 0);
  EXPECT_NE(third.out.find("imported 0, failed 0, skipped " + std::to_string(kFiles)),
            std::string::npos)
      << third.out;
  EXPECT_EQ(third.out.find("REASON"), std::string::npos) << "more than 50 files: no full table";
  EXPECT_LT(seconds, 10) << "skipping " << kFiles << " files took too long";

  // Changed files: new bytes make a new document; the same bytes touched are found by hash.
  const int64_t old_id = (*second.Find(files[1]))["id"];
  const int64_t touched_id = (*second.Find(files[2]))["id"];
  ASSERT_TRUE(WriteFileAtomic(files[1], "改过的讲义 edited notes\n").ok());
  fs::last_write_time(files[2], fs::last_write_time(files[2]) + std::chrono::seconds(5));
  // Path, size and mtime as recorded are trusted without reading the file (as rsync does):
  // other bytes of the same length, the mtime put back, still count as imported.
  const int64_t same_id = (*second.Find(files[3]))["id"];
  const auto mtime = fs::last_write_time(files[3]);
  std::string bytes = ReadAll(files[3]);
  std::reverse(bytes.begin(), bytes.end());
  ASSERT_TRUE(WriteFileAtomic(files[3], bytes).ok());
  fs::last_write_time(files[3], mtime);
  ImportRun changed = Import(data, {files[1], files[2], files[3]});
  ASSERT_EQ(changed.status, 0);
  ASSERT_EQ(changed.rows.size(), 3u);
  EXPECT_EQ((*changed.Find(files[3]))["id"], same_id);
  EXPECT_EQ((*changed.Find(files[3]))["skipped"], true);
  const auto& edited = *changed.Find(files[1]);
  EXPECT_NE(edited["id"], old_id);
  EXPECT_EQ(edited["skipped"], false);
  EXPECT_EQ(edited["state"], "ready");
  const auto& touched = *changed.Find(files[2]);
  EXPECT_EQ(touched["id"], touched_id);
  EXPECT_EQ(touched["skipped"], true);
  EXPECT_EQ(QueryInt(data, "SELECT COUNT(*) FROM documents"), kFiles + 1);
}

}  // namespace
}  // namespace wenku::testing
