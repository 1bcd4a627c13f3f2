#include "core/process_runner.hpp"

#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sandbox.hpp"

namespace wenku {
namespace {

constexpr size_t kMaxStdout = 4 << 20;
constexpr size_t kMaxStderr = 64 << 10;

void SetLimit(int resource, rlim_t value) {
  struct rlimit rl {
    value, value
  };
  setrlimit(resource, &rl);
}

// Runs in the forked child: only async-signal-safe calls until execve. `seccomp_fd` (or -1)
// becomes fd 3, where the wrapped command line tells bwrap to read the filter.
// `in_fd` becomes stdin (-1: /dev/null).
[[noreturn]] void ExecChild(const ProcessSpec& spec, char* const* argv, char* const* envp,
                            int in_fd, int out_fd, int err_fd, int seccomp_fd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(126);  // the parent died before prctl took effect
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  // Without the sandbox (mode off): a network namespace where privileges allow it.
  if (seccomp_fd < 0 && spec.limits.isolate_network) unshare(CLONE_NEWNET);
  int devnull = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  if (seccomp_fd >= 0) {
    if (seccomp_fd == 3) {
      fcntl(3, F_SETFD, 0);
    } else {
      dup2(seccomp_fd, 3);
    }
    close_range(4, ~0U, 0);
  } else {
    close_range(3, ~0U, 0);
  }
  if (chdir(spec.work_dir.c_str()) != 0) _exit(126);
  const ProcessLimits& l = spec.limits;
  SetLimit(RLIMIT_CORE, 0);
  if (l.cpu_seconds > 0) {
    struct rlimit rl {
      static_cast<rlim_t>(l.cpu_seconds), static_cast<rlim_t>(l.cpu_seconds + 2)
    };
    setrlimit(RLIMIT_CPU, &rl);
  }
  if (l.memory_mb > 0) SetLimit(RLIMIT_AS, static_cast<rlim_t>(l.memory_mb) << 20);
  if (l.file_size_mb > 0) SetLimit(RLIMIT_FSIZE, static_cast<rlim_t>(l.file_size_mb) << 20);
  if (l.open_files > 0) SetLimit(RLIMIT_NOFILE, static_cast<rlim_t>(l.open_files));
  if (l.nice > 0) setpriority(PRIO_PROCESS, 0, l.nice);
  execve(argv[0], argv, envp);
  static const char kMsg[] = "cannot execute converter\n";
  ssize_t ignored = write(2, kMsg, sizeof kMsg - 1);
  (void)ignored;
  _exit(127);
}

// argv and envp for execve, built before fork (nothing may allocate between fork and exec):
// the spec's arguments (wrapped in the sandbox's command line), and an environment of PATH,
// LANG and the spec's own variables. Owns the seccomp filter's memfd for one child.
struct ChildArgs {
  ChildArgs(const ProcessSpec& spec, const Sandbox& sandbox) {
    if (sandbox.enabled()) {
      seccomp_fd = memfd_create("wenku-seccomp", MFD_CLOEXEC);
      const std::string& bpf = sandbox.seccomp_bpf();
      if (seccomp_fd < 0 ||
          write(seccomp_fd, bpf.data(), bpf.size()) != static_cast<ssize_t>(bpf.size()) ||
          lseek(seccomp_fd, 0, SEEK_SET) != 0) {
        failed = true;
      }
      strings = sandbox.Wrap(spec, 3);
    } else {
      strings = spec.argv;
    }
    for (const auto& a : strings) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"};
    // Scratch files go to the child's own folder (in the sandbox there is no other).
    if (sandbox.enabled()) {
      env.push_back("TMPDIR=" + (spec.private_tmp.empty() ? spec.work_dir : "/tmp"));
    }
    env.insert(env.end(), spec.env.begin(), spec.env.end());
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  ~ChildArgs() {
    if (seccomp_fd >= 0) close(seccomp_fd);
  }
  ChildArgs(const ChildArgs&) = delete;
  ChildArgs& operator=(const ChildArgs&) = delete;
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<std::string> env;
  std::vector<char*> envp;
  int seccomp_fd = -1;
  bool failed = false;
};

// Every entry under `dir`, not following links: plain files and folders only, and not too
// many. Run after the child (and so everything in its sandbox) has ended, so nothing can
// change the tree between this check and the caller's reads.
Status CheckOutputTree(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  size_t entries = 0;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) return {};  // nothing there to check (the caller finds its files missing)
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    auto status = it->symlink_status(ec);
    if (ec) break;
    if (!fs::is_regular_file(status) && !fs::is_directory(status)) {
      return MakeError(ErrorCode::kConversionFailed,
                       "The converter left a link or a special file among its results, so "
                       "they were thrown away.");
    }
    if (++entries > kMaxOutputEntries) {
      return MakeError(ErrorCode::kResourceLimit, "The converter left too many files (more than " +
                                                      std::to_string(kMaxOutputEntries) + ").");
    }
  }
  if (ec) return MakeError(ErrorCode::kIo, "cannot check the converter's output: " + ec.message());
  return {};
}

// How a child that was waited for (`status`, `usage`) ended, as `outcome`'s end, exit
// code, signal, peak memory and CPU time.
void Classify(int status, const struct rusage& usage, bool timed_out, const ProcessLimits& limits,
              bool sandboxed, ProcessOutcome* out) {
  ProcessOutcome& outcome = *out;
  outcome.max_rss_kb = usage.ru_maxrss;
  outcome.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (timed_out) {
    outcome.end = ProcessEnd::kTimedOut;
  } else if (WIFEXITED(status) &&
             !(sandboxed && WEXITSTATUS(status) > 128 && WEXITSTATUS(status) < 160)) {
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status) || WIFEXITED(status)) {
    // bwrap's process 1 reports a converter killed by signal S as exit status 128 + S.
    outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status) - 128;
    if (outcome.signal == SIGXCPU ||
        (outcome.signal == SIGKILL && outcome.cpu_seconds >= limits.cpu_seconds)) {
      outcome.end = ProcessEnd::kCpuLimit;
    } else if (outcome.signal == SIGXFSZ) {
      outcome.end = ProcessEnd::kFileLimit;
    } else {
      outcome.end = ProcessEnd::kCrashed;
    }
  }
}

// bwrap reports its own failures on stderr as "bwrap: …", exit status 1.
bool SandboxSetupFailed(const ProcessOutcome& o) {
  return o.end == ProcessEnd::kExited && o.exit_code == 1 && o.err.rfind("bwrap: ", 0) == 0;
}

}  // namespace

std::string ProcessOutcome::Describe(const ProcessLimits& limits) const {
  switch (end) {
    case ProcessEnd::kExited:
      return "exited with status " + std::to_string(exit_code);
    case ProcessEnd::kTimedOut:
      return "stopped after " + std::to_string(limits.timeout_ms / 1000) + " s (time limit)";
    case ProcessEnd::kCpuLimit:
      return "stopped after " + std::to_string(limits.cpu_seconds) + " CPU seconds (CPU limit)";
    case ProcessEnd::kFileLimit:
      return "stopped writing a file over " + std::to_string(limits.file_size_mb) +
             " MB (file size limit)";
    case ProcessEnd::kCrashed:
      return "crashed (" + std::string(strsignal(signal)) + ")";
  }
  return "ended";
}

Result<std::unique_ptr<SandboxedProcess>> SandboxedProcess::Start(const ProcessSpec& spec,
                                                                  const std::string& log_file,
                                                                  Sandbox& sandbox) {
  WENKU_TRY(sandbox.Ready());
  ChildArgs args(spec, sandbox);
  if (args.failed) return MakeError(ErrorCode::kIo, "cannot pass the seccomp filter");
  int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return MakeError(ErrorCode::kIo, "cannot open " + log_file);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    return MakeError(ErrorCode::kIo,
                     std::string("cannot start ") + spec.argv[0] + ": " + strerror(errno));
  }
  if (pid == 0)
    ExecChild(spec, args.argv.data(), args.envp.data(), -1, log, log, args.seccomp_fd, parent);
  setpgid(pid, pid);
  close(log);
  return std::unique_ptr<SandboxedProcess>(new SandboxedProcess(pid));
}

Result<std::unique_ptr<SandboxedProcess>> SandboxedProcess::StartPiped(const ProcessSpec& spec,
                                                                       Sandbox& sandbox) {
  WENKU_TRY(sandbox.Ready());
  ChildArgs args(spec, sandbox);
  if (args.failed) return MakeError(ErrorCode::kIo, "cannot pass the seccomp filter");
  // stdin is a socket so that writing to a child that is gone answers EPIPE (MSG_NOSIGNAL)
  // instead of raising SIGPIPE in the whole process.
  int in[2], out[2], err[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
    return MakeError(ErrorCode::kIo, "socketpair failed");
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return MakeError(ErrorCode::kIo, "pipe failed");
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    return MakeError(ErrorCode::kIo, "pipe failed");
  }
  shutdown(in[0], SHUT_WR);  // the child only reads its stdin
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    return MakeError(ErrorCode::kIo,
                     std::string("cannot start ") + spec.argv[0] + ": " + strerror(errno));
  }
  if (pid == 0) {
    ExecChild(spec, args.argv.data(), args.envp.data(), in[0], out[1], err[1], args.seccomp_fd,
              parent);
  }
  setpgid(pid, pid);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  std::unique_ptr<SandboxedProcess> process(new SandboxedProcess(pid));
  process->sandboxed_ = sandbox.enabled();
  process->in_fd_ = in[1];
  process->out_fd_ = out[0];
  process->err_fd_ = err[0];
  return process;
}

bool SandboxedProcess::Send(std::string_view bytes) {
  if (in_fd_ < 0) return false;
  while (!bytes.empty()) {
    ssize_t n = send(in_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void SandboxedProcess::CloseFds() {
  for (int* fd : {&in_fd_, &out_fd_, &err_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

ProcessOutcome SandboxedProcess::Finish(const ProcessLimits& limits, bool timed_out,
                                        std::string out, std::string err) {
  ProcessOutcome outcome;
  outcome.out = std::move(out);
  outcome.err = std::move(err);
  int status = 0;
  struct rusage usage {};
  bool waited = false;
  if (!reaped_.exchange(true)) {
    // A child whose output closed is usually exiting: give it a moment, then kill the group.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (useconds_t pause = 50; !timed_out; pause = std::min<useconds_t>(pause * 2, 20000)) {
      pid_t r = wait4(pid_, &status, WNOHANG, &usage);
      if (r == pid_) {
        waited = true;
        break;
      }
      if ((r < 0 && errno != EINTR) || std::chrono::steady_clock::now() >= until) break;
      usleep(pause);
    }
    kill(-pid_, SIGKILL);
    if (!waited) {
      while (wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
      }
    }
  } else {
    status = W_EXITCODE(0, SIGKILL);  // already killed (Kill): a crash unless timed out
  }
  CloseFds();
  Classify(status, usage, timed_out, limits, sandboxed_, &outcome);
  if (outcome.end != ProcessEnd::kExited) {
    spdlog::warn("sandbox: warm child (pid {}) {}", pid_, outcome.Describe(limits));
  }
  return outcome;
}

bool SandboxedProcess::Alive() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    kill(-pid_, SIGKILL);
    return false;
  }
  return true;
}

void SandboxedProcess::Kill(const std::string& reason) {
  if (reaped_.exchange(true)) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (!reason.empty()) spdlog::warn("sandbox: killed pid {} ({})", pid_, reason);
}

SandboxedProcess::~SandboxedProcess() {
  Kill("");
  CloseFds();
}

namespace {

// The process and its descendants as the kernel lists them (/proc/PID/task/TID/children),
// breadth first.
std::vector<pid_t> ProcessTree(pid_t root) {
  std::vector<pid_t> todo = {root};
  for (size_t i = 0; i < todo.size() && i < 4096; ++i) {
    std::string proc = "/proc/" + std::to_string(todo[i]);
    DIR* tasks = opendir((proc + "/task").c_str());
    if (tasks == nullptr) continue;
    while (dirent* t = readdir(tasks)) {
      if (t->d_name[0] == '.') continue;
      std::ifstream children(proc + "/task/" + t->d_name + "/children");
      pid_t child = 0;
      while (children >> child) todo.push_back(child);
    }
    closedir(tasks);
  }
  return todo;
}

}  // namespace

long SandboxedProcess::TreeRssMb() const {
  long pages = 0;
  for (pid_t p : ProcessTree(pid_)) {
    std::ifstream statm("/proc/" + std::to_string(p) + "/statm");
    long size = 0, resident = 0;
    if (statm >> size >> resident) pages += resident;
  }
  return pages * sysconf(_SC_PAGESIZE) / (1 << 20);
}

double SandboxedProcess::TreeCpuSeconds() const {
  long ticks = 0;
  for (pid_t p : ProcessTree(pid_)) {
    std::ifstream stat("/proc/" + std::to_string(p) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
    auto close_paren = line.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream fields(line.substr(close_paren + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) utime = std::strtol(field.c_str(), nullptr, 10);
      if (i == 15) stime = std::strtol(field.c_str(), nullptr, 10);
    }
    ticks += utime + stime;
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Result<ProcessOutcome> SandboxRunner::Run(const ProcessSpec& spec,
                                          const std::function<void(std::string_view)>& on_line) {
  WENKU_TRY(sandbox_.Ready());
  auto outcome = RunInSandbox(spec, sandbox_, on_line);
  if (!outcome.ok()) return outcome;
  WENKU_TRY(CheckOutputTree(spec.work_dir));
  for (const auto& w : spec.writable) WENKU_TRY(CheckOutputTree(w));
  return outcome;
}

Result<ProcessOutcome> RunInSandbox(const ProcessSpec& spec, Sandbox& sandbox,
                                    const std::function<void(std::string_view)>& on_line) {
  if (spec.argv.empty()) return MakeError(ErrorCode::kInternal, "no program to run");
  // Everything the child needs is prepared before fork: no allocation happens after it.
  ChildArgs args(spec, sandbox);
  if (args.failed) return MakeError(ErrorCode::kIo, "cannot pass the seccomp filter");

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return MakeError(ErrorCode::kIo, "pipe failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return MakeError(ErrorCode::kIo, "pipe failed");
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    return MakeError(ErrorCode::kIo, std::string("cannot start a converter: ") + strerror(errno));
  }
  if (pid == 0) {
    ExecChild(spec, args.argv.data(), args.envp.data(), -1, out_pipe[1], err_pipe[1],
              args.seccomp_fd, parent);
  }
  setpgid(pid, pid);  // also set here so the group exists before we may kill it
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessOutcome outcome;
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(spec.limits.timeout_ms);
  bool timed_out = false;
  std::string line_buf;
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long>(left, 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 0) {
        if (outcome.out.size() < kMaxStdout) outcome.out.append(buf, static_cast<size_t>(got));
        if (on_line) {
          line_buf.append(buf, static_cast<size_t>(got));
          size_t pos;
          while ((pos = line_buf.find('\n')) != std::string::npos) {
            on_line(std::string_view(line_buf).substr(0, pos));
            line_buf.erase(0, pos + 1);
          }
          if (line_buf.size() > kMaxStdout) line_buf.clear();
        }
      } else if (outcome.err.size() < kMaxStderr) {
        outcome.err.append(buf, static_cast<size_t>(got));
      }
    }
  }
  // The child closed its output (or ran out of time): wait for it, within the deadline.
  int status = 0;
  struct rusage usage {};
  // A child that closed its output is usually exiting: poll quickly at first, then back off.
  for (useconds_t pause = 50; !timed_out; pause = std::min<useconds_t>(pause * 2, 20000)) {
    pid_t r = wait4(pid, &status, WNOHANG, &usage);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    usleep(pause);
  }
  kill(-pid, SIGKILL);  // whatever is left of the group, grandchildren included
  if (timed_out) {
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  Classify(status, usage, timed_out, spec.limits, sandbox.enabled(), &outcome);
  if (outcome.end != ProcessEnd::kExited) {
    spdlog::warn("sandbox: {} (pid {}) {}", spec.argv[0], pid, outcome.Describe(spec.limits));
  }
  if (sandbox.enabled() && SandboxSetupFailed(outcome)) {
    std::string why = outcome.err.substr(0, outcome.err.find('\n'));
    spdlog::error("sandbox: cannot run {}: {}", spec.argv[0], why);
    return MakeError(ErrorCode::kUnavailable,
                     "the converter sandbox could not be set up (" + why + ")");
  }
  return outcome;
}

}  // namespace wenku
