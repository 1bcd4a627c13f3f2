// ProcessRunner: runs a converter (a parser of untrusted files) as a child process inside
// limits and a sandbox, so that a hostile file can fail its own document only.
//
// SandboxRunner, the real one, gives each child: the sandbox of sandbox.hpp (bubblewrap:
// namespaces, only the spec's folders visible, seccomp, no_new_privs), its own process group
// (the whole group is killed on timeout; the sandbox's PID namespace takes everything inside
// with it), RLIMIT_CPU / RLIMIT_AS / RLIMIT_FSIZE / RLIMIT_NOFILE, no core dumps, its working
// folder as cwd, a minimal environment, death when the parent dies (PR_SET_PDEATHSIG).
// Fail closed: while the sandbox is not Ready, Run refuses (kUnavailable) and starts nothing.
// Outputs are not trusted: when the child has ended, its work folder and writable folders
// must hold plain files and folders only (no symlinks, devices, FIFOs, sockets), at most
// kMaxOutputEntries of them, else Run answers kConversionFailed and the caller reads nothing.
// Every kill is logged with its reason. Tests use a fake runner instead (tests/support).
//
// Threading: Run may be called from many threads at once; each call owns its child.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace wenku {

struct ProcessLimits {
  long cpu_seconds = 120;
  long memory_mb = 1536;
  long file_size_mb = 512;
  long open_files = 256;
  long timeout_ms = 300'000;
  bool isolate_network = true;
  int nice = 0;  // 1..19: a lower CPU priority (background work: a scan's text recognition)
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::string work_dir;           // the child's cwd, writable; it must exist
  ProcessLimits limits;
  std::vector<std::string> env;  // NAME=value; PATH and LANG are always set
  // In the sandbox, at the same paths as outside: inputs (files or folders) it may read, and
  // more folders it may write. Nothing else of the host's files outside /usr is visible.
  std::vector<std::string> read_only;
  std::vector<std::string> writable;
  // A host folder the child sees as /tmp (the office's UNO pipe lives there); empty: no /tmp
  // at all (TMPDIR is the work folder), unless `tmpfs_tmp_mb` > 0: a private tmpfs of that
  // size (for tools that insist on /tmp: Leptonica, inside Tesseract).
  std::string private_tmp;
  long tmpfs_tmp_mb = 0;
};

class Sandbox;

// Most entries a child may leave in its output folders.
constexpr size_t kMaxOutputEntries = 20'000;

enum class ProcessEnd {
  kExited,     // exit_code is valid
  kTimedOut,   // killed by us after limits.timeout_ms
  kCpuLimit,   // SIGXCPU / killed after its CPU seconds
  kFileLimit,  // SIGXFSZ: tried to write past limits.file_size_mb
  kCrashed,    // any other signal (SIGSEGV, SIGABRT – often memory exhaustion)
};

struct ProcessOutcome {
  ProcessEnd end = ProcessEnd::kExited;
  int exit_code = -1;
  int signal = 0;
  std::string out;         // stdout (at most 4 MiB kept)
  std::string err;         // stderr (at most 64 KiB kept)
  long max_rss_kb = 0;     // peak resident memory of the child
  double cpu_seconds = 0;  // user + system time of the child

  // "exited with status 2", "stopped after 300 s (time limit)", … for logs and reasons.
  std::string Describe(const ProcessLimits& limits) const;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the child to its end. `on_line` (may be empty) receives each stdout line as it
  // arrives, on the calling thread. Errors: kIo when the child could not be started.
  virtual Result<ProcessOutcome> Run(const ProcessSpec& spec,
                                     const std::function<void(std::string_view)>& on_line) = 0;
};

class SandboxRunner final : public ProcessRunner {
 public:
  explicit SandboxRunner(Sandbox& sandbox) : sandbox_(sandbox) {}
  // Errors: kUnavailable (the sandbox is not ready, or bwrap could not set it up), kIo (the
  // child could not be started), kConversionFailed (it left a link or special file).
  Result<ProcessOutcome> Run(const ProcessSpec& spec,
                             const std::function<void(std::string_view)>& on_line) override;
  Sandbox& sandbox() { return sandbox_; }

 private:
  Sandbox& sandbox_;
};

// Runs `spec` in `sandbox` without asking whether it is ready (Sandbox::Ready's own probe).
Result<ProcessOutcome> RunInSandbox(const ProcessSpec& spec, Sandbox& sandbox,
                                    const std::function<void(std::string_view)>& on_line);

// A long-lived sandboxed child (a warm LibreOffice, a warm pdf tool): the same sandbox and
// limits as SandboxRunner, except the wall clock, which its owner enforces per request.
// Started by Start, its output goes to `log_file`; started by StartPiped, its stdin is a
// socket the owner writes commands to (Send: no SIGPIPE when the child is gone) and its
// stdout and stderr are pipes the owner reads. Destroying it (or Kill) kills its whole
// process group (and with it the sandbox) and reaps it. Its outputs are its owner's to check.
class SandboxedProcess {
 public:
  // Errors: kUnavailable when the sandbox is not ready, kIo when it cannot be started.
  static Result<std::unique_ptr<SandboxedProcess>> Start(const ProcessSpec& spec,
                                                         const std::string& log_file,
                                                         Sandbox& sandbox);
  static Result<std::unique_ptr<SandboxedProcess>> StartPiped(const ProcessSpec& spec,
                                                              Sandbox& sandbox);
  ~SandboxedProcess();
  pid_t pid() const { return pid_; }
  // Resident memory of the process and everything it started (the sandbox's processes).
  long TreeRssMb() const;
  // CPU time (user + system) used so far by the process and everything it started.
  double TreeCpuSeconds() const;
  bool Alive();
  // SIGKILL to the group, then reap. Safe to call from another thread and more than once.
  void Kill(const std::string& reason);
  // The piped child's ends (-1 when started by Start, or once Finish has run).
  int stdout_fd() const { return out_fd_; }
  int stderr_fd() const { return err_fd_; }
  // Writes all of `bytes` to the piped child's stdin; false when it is gone.
  bool Send(std::string_view bytes);
  // How the piped child ended, once its stdout has closed (or `timed_out`: the owner's
  // deadline passed): waits a moment for it to exit, then kills the group and reaps it, and
  // classifies the end as RunInSandbox does (CPU/file limits, crashes, bwrap's 128+signal).
  // `out` and `err` are what the owner read from it. Call once.
  ProcessOutcome Finish(const ProcessLimits& limits, bool timed_out, std::string out,
                        std::string err);

 private:
  explicit SandboxedProcess(pid_t pid) : pid_(pid) {}
  void CloseFds();
  pid_t pid_;
  bool sandboxed_ = false;
  int in_fd_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::atomic<bool> reaped_{false};
};

}  // namespace wenku
