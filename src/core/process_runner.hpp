// ProcessRunner: runs a converter (a parser of untrusted files) as a child process inside
// limits, so that a hostile file can fail its own document only.
//
// SandboxRunner, the real one, gives each child: its own process group (the whole group is
// killed on timeout), RLIMIT_CPU / RLIMIT_AS / RLIMIT_FSIZE / RLIMIT_NOFILE, no core dumps,
// its working folder as cwd, a minimal environment, death when the parent dies
// (PR_SET_PDEATHSIG), and, where the kernel allows it, a new empty network namespace.
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
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::string work_dir;           // the child's cwd; it must exist
  ProcessLimits limits;
  std::vector<std::string> env;  // NAME=value; PATH and LANG are always set
};

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
  Result<ProcessOutcome> Run(const ProcessSpec& spec,
                             const std::function<void(std::string_view)>& on_line) override;
};

// A long-lived sandboxed child (a warm LibreOffice): the same limits as SandboxRunner, except
// the wall clock, which its owner enforces per request. Its output goes to `log_file`.
// Destroying it (or Kill) kills its whole process group and reaps it.
class SandboxedProcess {
 public:
  // Errors: kIo when it cannot be started.
  static Result<std::unique_ptr<SandboxedProcess>> Start(const ProcessSpec& spec,
                                                         const std::string& log_file);
  ~SandboxedProcess();
  pid_t pid() const { return pid_; }
  bool Alive();
  // SIGKILL to the group, then reap. Safe to call from another thread and more than once.
  void Kill(const std::string& reason);

 private:
  explicit SandboxedProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::atomic<bool> reaped_{false};
};

}  // namespace wenku
