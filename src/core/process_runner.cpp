#include "core/process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

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

// Runs in the forked child: only async-signal-safe calls until execve.
[[noreturn]] void ExecChild(const ProcessSpec& spec, char* const* argv, char* const* envp,
                            int out_fd, int err_fd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(126);  // the parent died before prctl took effect
  if (spec.limits.isolate_network) unshare(CLONE_NEWNET);  // best effort: needs privileges
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  close_range(3, ~0U, 0);
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
  execve(argv[0], argv, envp);
  static const char kMsg[] = "cannot execute converter\n";
  ssize_t ignored = write(2, kMsg, sizeof kMsg - 1);
  (void)ignored;
  _exit(127);
}

// argv and envp for execve, built before fork (nothing may allocate between fork and exec):
// the spec's arguments, and an environment of PATH, LANG and the spec's own variables.
struct ChildArgs {
  explicit ChildArgs(const ProcessSpec& spec) {
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"};
    env.insert(env.end(), spec.env.begin(), spec.env.end());
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  std::vector<char*> argv;
  std::vector<std::string> env;
  std::vector<char*> envp;
};

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
                                                                  const std::string& log_file) {
  ChildArgs args(spec);
  int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return MakeError(ErrorCode::kIo, "cannot open " + log_file);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    return MakeError(ErrorCode::kIo,
                     std::string("cannot start ") + spec.argv[0] + ": " + strerror(errno));
  }
  if (pid == 0) ExecChild(spec, args.argv.data(), args.envp.data(), log, log, parent);
  setpgid(pid, pid);
  close(log);
  return std::unique_ptr<SandboxedProcess>(new SandboxedProcess(pid));
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

SandboxedProcess::~SandboxedProcess() { Kill(""); }

Result<ProcessOutcome> SandboxRunner::Run(const ProcessSpec& spec,
                                          const std::function<void(std::string_view)>& on_line) {
  if (spec.argv.empty()) return MakeError(ErrorCode::kInternal, "no program to run");
  // Everything the child needs is prepared before fork: no allocation happens after it.
  ChildArgs args(spec);

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
  if (pid == 0)
    ExecChild(spec, args.argv.data(), args.envp.data(), out_pipe[1], err_pipe[1], parent);
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
  outcome.max_rss_kb = usage.ru_maxrss;
  outcome.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (timed_out) {
    outcome.end = ProcessEnd::kTimedOut;
  } else if (WIFEXITED(status)) {
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    outcome.signal = WTERMSIG(status);
    if (outcome.signal == SIGXCPU ||
        (outcome.signal == SIGKILL && outcome.cpu_seconds >= spec.limits.cpu_seconds)) {
      outcome.end = ProcessEnd::kCpuLimit;
    } else if (outcome.signal == SIGXFSZ) {
      outcome.end = ProcessEnd::kFileLimit;
    } else {
      outcome.end = ProcessEnd::kCrashed;
    }
  }
  if (outcome.end != ProcessEnd::kExited) {
    spdlog::warn("sandbox: {} (pid {}) {}", spec.argv[0], pid, outcome.Describe(spec.limits));
  }
  return outcome;
}

}  // namespace wenku
