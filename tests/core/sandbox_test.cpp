// The real sandbox (bubblewrap + seccomp) against a converter that attacks it
// (tools/sandbox_probe.cpp). A fake data folder is laid out as the service's is: the probe
// runs with one job folder writable and one input readable, and tries the rest.
//
// Everything here also runs as an ordinary user, as the service should be deployed: run
// as root, SandboxTest.AlsoHoldsForAnOrdinaryUser re-runs this suite (and the PDF
// converter's and the office's sandboxed tests) as `nobody` through runuser.
#include "core/sandbox.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/files.hpp"
#include "core/process_runner.hpp"
#include "support/test_support.hpp"

namespace wenku {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string Probe() {
  const char* env = std::getenv("WENKU_SANDBOX_PROBE_PATH");
  return env != nullptr ? env : WENKU_SANDBOX_PROBE;
}

void Touch(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string Slurp(const fs::path& p) {
  auto r = ReadFile(p);
  return r.ok() ? *r : std::string();
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status ready = sandbox_.Ready();
    ASSERT_TRUE(ready.ok()) << ready.error().message;
    data_ = dir_ / "data";
    Touch(data_ / "wenku.db", "SQLite format 3 — every account");
    Touch(data_ / "blobs/11/22/other-original", "a priced original of someone else");
    Touch(data_ / "derived/119/pages/0012.webp", "a locked page image");
    Touch(data_ / "blobs/aa/bb/input", "this job's original");
    job_ = data_ / "work/job-1";
    fs::create_directories(job_);
  }

  ProcessSpec Spec(std::vector<std::string> args) {
    ProcessSpec spec;
    spec.argv = {Probe()};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.work_dir = job_.string();
    spec.read_only = {(data_ / "blobs/aa/bb/input").string()};
    spec.limits.timeout_ms = 30'000;
    return spec;
  }

  ProcessOutcome Run(std::vector<std::string> args) {
    auto r = runner_.Run(Spec(std::move(args)), nullptr);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ProcessOutcome{};
  }

  TempDir dir_;
  fs::path data_;
  fs::path job_;
  Sandbox sandbox_;
  SandboxRunner runner_{sandbox_};
};

TEST_F(SandboxTest, AConverterSeesItsInputButNothingElseOfTheDataFolder) {
  auto o = Run({"read", (data_ / "blobs/aa/bb/input").string(), (data_ / "wenku.db").string(),
                (data_ / "blobs/11/22/other-original").string(),
                (data_ / "derived/119/pages/0012.webp").string(), "/etc/shadow", "/root"});
  EXPECT_NE(o.out.find("allowed read " + (data_ / "blobs/aa/bb/input").string()), std::string::npos)
      << o.out << o.err;
  EXPECT_NE(o.out.find("denied read " + (data_ / "wenku.db").string() + " ENOENT"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("denied read " + (data_ / "blobs/11/22/other-original").string()),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("denied read " + (data_ / "derived/119/pages/0012.webp").string()),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("denied read /etc/shadow"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("allowed read /root"), std::string::npos) << o.out;
  auto listing = Run({"list", data_.string()});
  EXPECT_EQ(listing.out.find("wenku.db"), std::string::npos) << listing.out;
  EXPECT_EQ(listing.out.find("derived"), std::string::npos) << listing.out;
}

TEST_F(SandboxTest, AConverterWritesOnlyItsOutputFolder) {
  const std::string tmp_name = "/tmp/wenku-sandbox-escape-" + std::to_string(getpid());
  auto o = Run({"write", (job_ / "result.txt").string(), (data_ / "blobs/aa/bb/input").string(),
                (data_ / "wenku.db").string(), (data_ / "derived/119/pages/0012.webp").string(),
                (data_ / "work/job-2").string(), "/usr/escape", "/escape", tmp_name});
  EXPECT_NE(o.out.find("allowed write " + (job_ / "result.txt").string()), std::string::npos)
      << o.out << o.err;
  for (const auto& p :
       {data_ / "blobs/aa/bb/input", data_ / "wenku.db", data_ / "derived/119/pages/0012.webp",
        data_ / "work/job-2", fs::path("/usr/escape"), fs::path("/escape"), fs::path(tmp_name)}) {
    EXPECT_NE(o.out.find("denied write " + p.string()), std::string::npos) << p << "\n" << o.out;
  }
  EXPECT_FALSE(fs::exists(tmp_name));
  EXPECT_EQ(Slurp(data_ / "wenku.db"), "SQLite format 3 — every account");
  EXPECT_EQ(Slurp(data_ / "blobs/aa/bb/input"), "this job's original");
  EXPECT_FALSE(fs::exists(data_ / "work/job-2"));
  EXPECT_TRUE(fs::exists(job_ / "result.txt"));
}

TEST_F(SandboxTest, AConverterHasNoNetworkNotEvenLoopback) {
  testing::LoopbackListener listener;
  auto o = Run({"connect", std::to_string(listener.port())});
  EXPECT_NE(o.out.find("denied socket inet "), std::string::npos) << o.out << o.err;
  EXPECT_NE(o.out.find("denied socket inet6 "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("denied socket netlink "), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("allowed connect"), std::string::npos) << o.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // one accept round and more
  EXPECT_EQ(listener.connections(), 0) << "the loopback listener saw a connection";
}

TEST_F(SandboxTest, DangerousSystemCallsAreRefused) {
  auto o = Run({"syscalls"});
  for (const char* call :
       {"ptrace", "mount", "unshare", "bpf", "keyctl", "init_module", "perf_event_open"}) {
    EXPECT_NE(o.out.find(std::string("denied ") + call + " "), std::string::npos) << call << "\n"
                                                                                  << o.out << o.err;
  }
  EXPECT_EQ(o.out.find("allowed"), std::string::npos) << o.out;
}

// Counts the live processes whose program (argv[0]) is `program`.
int LiveProcesses(const std::string& program) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), {});
    std::ifstream stat(e.path() / "stat");
    std::string pid, comm, state;
    if (!(stat >> pid >> comm >> state) || state == "Z") continue;
    if (cmd.rfind(program + '\0', 0) == 0) ++n;
  }
  return n;
}

TEST_F(SandboxTest, AConverterCannotStartProcessesAndNothingOutlivesItsJob) {
  auto o = Run({"fork", "40"});
  EXPECT_NE(o.out.find("denied fork 0 EPERM"), std::string::npos) << o.out << o.err;
  EXPECT_EQ(o.out.find("allowed fork"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("denied setsid grandchild"), std::string::npos) << o.out;
  // Whatever it made (nothing), nothing of the job is left running.
  EXPECT_EQ(LiveProcesses(Probe()), 0);
}

TEST_F(SandboxTest, ThreadsAreBoundedForAnOrdinaryUser) {
  if (geteuid() == 0) {
    GTEST_SKIP() << "RLIMIT_NPROC does not bind root; the ordinary-user run checks it";
  }
  auto o = Run({"threads", "1000"});
  int made = 0;
  std::sscanf(o.out.c_str(), "threads %d", &made);
  EXPECT_GT(made, 0) << o.out << o.err;
  EXPECT_LT(made, sandbox_.options().max_tasks) << o.out;
}

TEST_F(SandboxTest, ALinkReturnedAsOutputIsRefused) {
  auto r = runner_.Run(Spec({"symlink", (data_ / "wenku.db").string(), "pages.jsonl"}), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConversionFailed);
  EXPECT_NE(r.error().message.find("link"), std::string::npos) << r.error().message;
  // And reading it the way results are read never follows it.
  auto read = ReadUntrusted(job_ / "pages.jsonl", 1 << 20);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kConversionFailed);
}

TEST_F(SandboxTest, TheCpuLimitStillHoldsInsideTheSandbox) {
  ProcessSpec spec = Spec({"cpu"});
  spec.limits.cpu_seconds = 1;
  auto r = runner_.Run(spec, nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->end, ProcessEnd::kCpuLimit) << r->Describe(spec.limits) << r->err;
}

TEST_F(SandboxTest, ATimeoutKillsTheWholeSandbox) {
  ProcessSpec spec = Spec({"cpu"});
  spec.limits.timeout_ms = 500;
  auto start = std::chrono::steady_clock::now();
  auto r = runner_.Run(spec, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, ProcessEnd::kTimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(LiveProcesses(Probe()), 0);
}

TEST(SandboxFailClosedTest, WithoutBubblewrapNoConverterRuns) {
  SandboxOptions o;
  o.bwrap = "/nonexistent/bwrap";
  Sandbox sandbox(o);
  Status ready = sandbox.Ready();
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(ready.error().message.find("missing"), std::string::npos) << ready.error().message;
  TempDir dir;
  SandboxRunner runner(sandbox);
  ProcessSpec spec;
  spec.argv = {Probe(), "write", (dir / "ran").string()};
  spec.work_dir = dir.path().string();
  auto r = runner.Run(spec, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(fs::exists(dir / "ran")) << "a converter ran without its sandbox";
}

TEST(SandboxFailClosedTest, ModeOffIsReadyWithoutBubblewrap) {
  Sandbox off = Sandbox::Off();
  EXPECT_FALSE(off.enabled());
  EXPECT_TRUE(off.Ready().ok());
}

// Run as root, the suite once more as `nobody` (binaries copied where nobody can run them).
TEST(SandboxAsUserTest, AlsoHoldsForAnOrdinaryUser) {
  if (geteuid() != 0) GTEST_SKIP() << "already an ordinary user";
  if (std::getenv("WENKU_SANDBOX_AS_USER") != nullptr) GTEST_SKIP();
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  auto copy = [&](const std::string& from, const std::string& name) {
    fs::copy_file(from, dir / name);
    fs::permissions(dir / name, fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    return (dir / name).string();
  };
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  self[n] = '\0';
  std::string tests = copy(self, "wenku_tests");
  std::string probe = copy(Probe(), "sandbox-probe");
  std::string wenku = copy(testing::WenkuBinary(), "wenku");
  auto r = testing::RunCommand(
      {"/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/env", "WENKU_SANDBOX_AS_USER=1",
       "WENKU_SANDBOX_PROBE_PATH=" + probe, "WENKU_BINARY_PATH=" + wenku, "TMPDIR=/tmp",
       "HOME=/tmp", tests,
       "--gtest_filter=SandboxTest.*:SandboxFailClosedTest.*:PdfConverterTest.*:"
       "*OfficeSandboxTest.*"});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("[  PASSED  ]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[  FAILED  ]"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wenku
