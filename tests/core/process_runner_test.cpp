#include "core/process_runner.hpp"

#include "core/sandbox.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_support.hpp"

namespace wenku {
namespace {

using testing::TempDir;

ProcessSpec Shell(const std::string& script, const TempDir& dir) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.work_dir = dir.path().string();
  spec.limits.timeout_ms = 10'000;
  return spec;
}

TEST(SandboxRunnerTest, RunsInItsWorkFolderAndStreamsLines) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  std::vector<std::string> lines;
  auto r = runner.Run(Shell("echo one; echo two > out.txt; echo three; exit 4", dir),
                      [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, ProcessEnd::kExited);
  EXPECT_EQ(r->exit_code, 4);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "three"}));
  EXPECT_TRUE(std::filesystem::exists(dir / "out.txt"));  // cwd was the work folder
}

TEST(SandboxRunnerTest, StopsAProcessThatRunsPastItsTimeAndItsChildren) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  ProcessSpec spec = Shell("sleep 60 & echo $! > bg.pid; sleep 60", dir);
  spec.limits.timeout_ms = 500;
  auto start = std::chrono::steady_clock::now();
  auto r = runner.Run(spec, nullptr);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, ProcessEnd::kTimedOut);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_NE(r->Describe(spec.limits).find("time limit"), std::string::npos);
  std::ifstream in(dir / "bg.pid");
  pid_t bg = 0;
  in >> bg;
  ASSERT_GT(bg, 0);
  // Dead means gone or a zombie waiting for init to reap it.
  auto alive = [bg] {
    std::ifstream stat("/proc/" + std::to_string(bg) + "/stat");
    std::string pid, comm, state;
    return static_cast<bool>(stat >> pid >> comm >> state) && state != "Z";
  };
  for (int i = 0; i < 50 && alive(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(alive()) << "the background grandchild survived";
}

TEST(SandboxRunnerTest, StopsABusyLoopAtItsCpuLimit) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  ProcessSpec spec = Shell("while :; do :; done", dir);
  spec.limits.cpu_seconds = 1;
  auto r = runner.Run(spec, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, ProcessEnd::kCpuLimit);
  EXPECT_NE(r->Describe(spec.limits).find("CPU limit"), std::string::npos);
}

TEST(SandboxRunnerTest, StopsAHugeFileAtItsFileSizeLimit) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  ProcessSpec spec = Shell("head -c 50000000 /dev/zero > big.bin", dir);
  spec.limits.file_size_mb = 1;
  auto r = runner.Run(spec, nullptr);
  ASSERT_TRUE(r.ok());
  // head gets SIGXFSZ, the shell reports it; either the signal or a failed exit is fine,
  // but the file must never pass the limit.
  EXPECT_TRUE(r->end == ProcessEnd::kFileLimit || r->exit_code != 0);
  EXPECT_LE(std::filesystem::file_size(dir / "big.bin"), 1u << 20);
}

TEST(SandboxRunnerTest, UnboundedAllocationFailsInsideItsMemoryLimit) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  ProcessSpec spec;
  spec.argv = {"/usr/bin/perl", "-e", "my @a; push @a, 'x' x 1048576 while 1;"};
  spec.work_dir = dir.path().string();
  spec.limits.memory_mb = 128;
  spec.limits.timeout_ms = 20'000;
  auto r = runner.Run(spec, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->end == ProcessEnd::kExited && r->exit_code == 0);
  EXPECT_NE(r->end, ProcessEnd::kTimedOut);
  EXPECT_LT(r->max_rss_kb, 200 * 1024);
}

TEST(SandboxRunnerTest, HasNoNetworkWhereTheKernelAllowsANamespace) {
  if (testing::RunCommand({"unshare", "-n", "true"}).status != 0) {
    GTEST_SKIP() << "this machine does not allow new network namespaces";
  }
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  auto r = runner.Run(Shell("cat /proc/net/dev", dir), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->out.find("lo:"), std::string::npos);
  EXPECT_EQ(r->out.find("eth"), std::string::npos) << r->out;
  EXPECT_EQ(r->out.find("ens"), std::string::npos) << r->out;
}

TEST(SandboxRunnerTest, AMissingProgramIsAFailedExitNotACrashOfTheCaller) {
  TempDir dir;
  Sandbox sandbox = Sandbox::Off();  // the runner's own limits, without bubblewrap
  SandboxRunner runner(sandbox);
  ProcessSpec spec;
  spec.argv = {"/nonexistent/converter"};
  spec.work_dir = dir.path().string();
  auto r = runner.Run(spec, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 127);
}

}  // namespace
}  // namespace wenku
