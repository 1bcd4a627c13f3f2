// sandbox-probe: a test-only converter child that behaves like a compromised converter, run
// by tests/core/sandbox_test.cpp inside the real sandbox. Each action tries one thing a
// converter must not be able to do and prints one line per attempt:
//   "allowed WHAT"  — it worked (the test fails on it), or
//   "denied WHAT errno-name" — it did not.
// Actions:
//   read PATH…           open each PATH for reading
//   write PATH…          create/truncate each PATH and write a byte
//   connect PORT         a TCP connection to 127.0.0.1:PORT (and an AF_INET6 socket)
//   syscalls             ptrace, mount, unshare, bpf, keyctl, init_module, perf_event_open
//   fork N               N forks (children sleep 60 s), then a setsid() grandchild
//   threads N            N threads (each sleeps 2 s)
//   symlink TARGET NAME  leaves NAME -> TARGET in its folder, as if it were a result
//   cpu                  spins until stopped
//   list DIR             the names in DIR
// Not part of the product: the product's converters are `wenku __pdf` etc.
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

void Report(const std::string& what, long rc) {
  if (rc >= 0) {
    std::printf("allowed %s\n", what.c_str());
  } else {
    std::printf("denied %s %s\n", what.c_str(), strerrorname_np(errno));
  }
  std::fflush(stdout);
}

int Read(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    int fd = open(p.c_str(), O_RDONLY);
    Report("read " + p, fd);
    if (fd >= 0) close(fd);
  }
  return 0;
}

int Write(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long rc = fd;
    if (fd >= 0) {
      rc = write(fd, "x", 1) == 1 ? 0 : -1;
      close(fd);
    }
    Report("write " + p, rc);
  }
  return 0;
}

int Connect(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  Report("socket inet", s);
  if (s >= 0) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    Report("connect 127.0.0.1", connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a));
    close(s);
  }
  int s6 = socket(AF_INET6, SOCK_STREAM, 0);
  Report("socket inet6", s6);
  if (s6 >= 0) close(s6);
  int n = socket(AF_NETLINK, SOCK_RAW, 0);
  Report("socket netlink", n);
  if (n >= 0) close(n);
  return 0;
}

int Syscalls() {
  Report("ptrace", ptrace(PTRACE_ATTACH, getppid(), nullptr, nullptr));
  Report("mount", mount("none", "/tmp", "tmpfs", 0, nullptr));
  Report("unshare", unshare(CLONE_NEWUSER));
  union bpf_attr attr {};
  Report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
  Report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
  Report("init_module", syscall(SYS_init_module, nullptr, 0, ""));
  perf_event_attr pe{};
  pe.size = sizeof pe;
  pe.type = PERF_TYPE_SOFTWARE;
  Report("perf_event_open", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
  return 0;
}

int Fork(int n) {
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      sleep(60);
      _exit(0);
    }
    Report("fork " + std::to_string(i), pid);
  }
  // A grandchild in a session of its own, which a process-group kill would miss.
  pid_t child = fork();
  if (child == 0) {
    setsid();
    if (fork() == 0) {
      execl("/usr/bin/sleep", "sleep", "60", nullptr);
      _exit(1);
    }
    _exit(0);
  }
  Report("setsid grandchild", child);
  return 0;
}

int Threads(int n) {
  std::vector<std::thread> threads;
  int made = 0;
  for (int i = 0; i < n; ++i) {
    try {
      threads.emplace_back([] { std::this_thread::sleep_for(std::chrono::seconds(2)); });
      ++made;
    } catch (const std::system_error&) {
      break;
    }
  }
  std::printf("threads %d\n", made);
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sandbox-probe ACTION ARGS…\n");
    return 64;
  }
  std::string action = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (action == "read") return Read(args);
  if (action == "write") return Write(args);
  if (action == "connect" && args.size() == 1) return Connect(std::atoi(args[0].c_str()));
  if (action == "syscalls") return Syscalls();
  if (action == "fork" && args.size() == 1) return Fork(std::atoi(args[0].c_str()));
  if (action == "threads" && args.size() == 1) return Threads(std::atoi(args[0].c_str()));
  if (action == "symlink" && args.size() == 2) {
    Report("symlink", symlink(args[0].c_str(), args[1].c_str()));
    return 0;
  }
  if (action == "cpu") {
    volatile unsigned long spins = 0;
    for (;;) spins = spins + 1;
  }
  if (action == "list" && args.size() == 1) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(args[0], ec)) {
      std::printf("%s\n", e.path().filename().c_str());
    }
    return ec ? 1 : 0;
  }
  std::fprintf(stderr, "sandbox-probe: unknown action %s\n", action.c_str());
  return 64;
}
