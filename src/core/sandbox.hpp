// Sandbox: what a converter child (a parser of untrusted files: Poppler, LibreOffice,
// Tesseract, libarchive, libxml2) can see and do. The process runner (process_runner.hpp)
// asks it to wrap every child's command line.
//
// With mode "bwrap" (the default) every child runs under bubblewrap:
//   - new user, PID, network, IPC, UTS (and, where possible, cgroup) namespaces: no network
//     at all (not even loopback), no other process visible, nothing of the host's IPC;
//   - a fresh root holding only /usr (read-only), the few /etc files the tools read (fonts,
//     dynamic loader cache, alternatives, LibreOffice's own), the font cache, /proc, a
//     minimal /dev (no /tmp: TMPDIR is the child's own folder) — and the job's own folders,
//     the only writable places: the spec's
//     `work_dir` and `writable` folders read-write, its `read_only` inputs read-only, each at
//     the same path as outside; the root itself is read-only. Nothing else of the data
//     folder exists in there: not
//     wenku.db, not blobs/, not derived/, not other jobs;
//   - --die-with-parent and --new-session (no terminal to inject into), no capabilities,
//     no_new_privs;
//   - a seccomp filter (libseccomp, handed to bwrap as BPF) that refuses what converters never
//     need: ptrace and reading other processes' memory, mount and namespaces, bpf, keyctl,
//     kernel modules, kexec, perf, userfaultfd, io_uring, new processes (threads are fine),
//     and every socket but AF_UNIX (LibreOffice's UNO pipe);
//   - RLIMIT_NPROC inside the sandbox's own user namespace (util-linux `prlimit`), on top of
//     the CPU, memory, file-size and open-file limits the runner sets.
// When the sandbox's process 1 ends, the kernel kills whatever else is left in it, so no
// grandchild outlives its job, whatever session or process group it made for itself.
//
// Fail closed: Ready() proves the sandbox works by running `true` inside it (once, and again
// every 30 s while it fails). Until it does, no converter runs: the runner refuses, ingest
// workers wait, /healthz and `wenku check` say why. Only mode "off" runs children without
// it (rlimits and process groups only), with a warning at every start.
//
// Threading: safe for concurrent use.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wenku {

struct ProcessSpec;

struct SandboxOptions {
  std::string mode = "bwrap";  // "bwrap" or "off"
  std::string bwrap = "/usr/bin/bwrap";
  std::string prlimit = "/usr/bin/prlimit";
  long max_tasks = 256;  // RLIMIT_NPROC in the sandbox: processes and threads
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options = {});

  // A sandbox that isolates nothing (mode "off"), for tests of the runner's own limits.
  static Sandbox Off();

  bool enabled() const { return options_.mode != "off"; }
  const SandboxOptions& options() const { return options_; }

  // OK when converters may run. Errors: kUnavailable with the reason a person can act on
  // ("bubblewrap is not installed", "user namespaces are disabled: …").
  Status Ready();

  // The compiled seccomp filter (BPF), for bwrap --seccomp. Empty when mode is off.
  const std::string& seccomp_bpf() const { return bpf_; }

  // The command line that runs `spec` in the sandbox, bwrap reading the filter from
  // `seccomp_fd`. Paths that are not absolute are refused by bwrap itself (the runner makes
  // them absolute). REQUIRES: enabled().
  std::vector<std::string> Wrap(const ProcessSpec& spec, int seccomp_fd) const;

 private:
  Status Probe();
  SandboxOptions options_;
  std::string bpf_;
  Status bpf_status_;
  std::mutex mu_;
  bool probed_ = false;
  Status ready_;
  std::chrono::steady_clock::time_point probed_at_{};
};

}  // namespace wenku
