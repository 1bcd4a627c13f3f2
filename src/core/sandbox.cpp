#include "core/sandbox.hpp"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/process_runner.hpp"

namespace wenku {
namespace fs = std::filesystem;
namespace {

// System calls no converter needs, refused with EPERM. Names unknown to this kernel's
// libseccomp are skipped.
constexpr const char* kRefused[] = {
    // other processes: debugging, reading or writing their memory
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    // mounts and namespaces: the sandbox's shape is bwrap's, not the child's
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "move_mount", "open_tree",
    "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    // the kernel's own interfaces
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "keyctl", "add_key", "request_key", "init_module", "finit_module",
    "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct",
    "quotactl", "syslog", "vhangup", "lookup_dcookie", "fanotify_init", "name_to_handle_at",
    "open_by_handle_at", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "iopl",
    "ioperm", "uselib", "personality",
    // new processes (threads are made by clone with CLONE_THREAD, allowed below)
    "fork", "vfork"};

// Compiles the filter once; its BPF is handed to bwrap (which applies it, with no_new_privs,
// just before it executes the converter).
Result<std::string> CompileFilter() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return MakeError(ErrorCode::kUnavailable, "libseccomp cannot make a filter");
  int rc = 0;
  for (const char* name : kRefused) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
  }
  // Processes: clone without CLONE_THREAD is a fork. clone3's flags sit behind a pointer
  // that seccomp cannot read: ENOSYS makes glibc fall back to clone.
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
  int clone3 = seccomp_syscall_resolve_name("clone3");
  if (clone3 != __NR_SCMP_ERROR) rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), clone3, 0);
  // Sockets: AF_UNIX only (the network namespace is empty anyway).
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                         SCMP_A0(SCMP_CMP_NE, AF_UNIX));
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socketpair), 1,
                         SCMP_A0(SCMP_CMP_NE, AF_UNIX));
  // Typing into a terminal (there is none: --new-session; belt and braces).
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_EQ, TIOCSTI));
  if (rc != 0) {
    seccomp_release(ctx);
    return MakeError(ErrorCode::kUnavailable, "libseccomp refused a rule of the filter");
  }
  int fd = memfd_create("wenku-seccomp", MFD_CLOEXEC);
  if (fd < 0) {
    seccomp_release(ctx);
    return MakeError(ErrorCode::kUnavailable, "memfd_create failed");
  }
  rc = seccomp_export_bpf(ctx, fd);
  seccomp_release(ctx);
  std::string bpf;
  if (rc == 0) {
    off_t size = lseek(fd, 0, SEEK_END);
    bpf.resize(static_cast<size_t>(std::max<off_t>(0, size)));
    if (pread(fd, bpf.data(), bpf.size(), 0) != static_cast<ssize_t>(bpf.size())) bpf.clear();
  }
  close(fd);
  if (bpf.empty()) return MakeError(ErrorCode::kUnavailable, "cannot export the seccomp filter");
  return bpf;
}

bool IsDir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A path as the sandbox sees it: absolute and without "." or "..".
std::string Clean(const std::string& p) {
  return fs::absolute(fs::path(p)).lexically_normal().string();
}

// The real place of `p` on the host (bwrap binds what the path names, symlinks resolved).
std::string Real(const std::string& p) {
  std::error_code ec;
  fs::path c = fs::canonical(p, ec);
  return ec ? Clean(p) : c.string();
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : options_(std::move(options)) {
  if (!enabled()) return;
  auto bpf = CompileFilter();
  if (bpf.ok()) {
    bpf_ = std::move(bpf).value();
  } else {
    bpf_status_ = bpf.error();
  }
}

Sandbox Sandbox::Off() {
  SandboxOptions o;
  o.mode = "off";
  return Sandbox(o);
}

std::vector<std::string> Sandbox::Wrap(const ProcessSpec& spec, int seccomp_fd) const {
  std::vector<std::string> a = {options_.bwrap,
                                "--unshare-user",
                                "--unshare-pid",
                                "--unshare-net",
                                "--unshare-ipc",
                                "--unshare-uts",
                                "--unshare-cgroup-try",
                                "--die-with-parent",
                                "--new-session",
                                "--cap-drop",
                                "ALL",
                                "--hostname",
                                "sandbox",
                                "--ro-bind",
                                "/usr",
                                "/usr"};
  // Debian's merged /usr: /bin, /lib… are links into it.
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    if (fs::is_symlink(top, ec)) {
      a.insert(a.end(), {"--symlink", fs::read_symlink(top, ec).string(), top});
    } else if (IsDir(top)) {
      a.insert(a.end(), {"--ro-bind", top, top});
    }
  }
  // What the tools read of /etc: the loader's cache, fonts, alternatives (/usr/bin links go
  // through it), time zone, LibreOffice's configuration. Not passwd, not the host's name.
  for (const char* etc : {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts",
                          "/etc/alternatives", "/etc/localtime", "/etc/libreoffice",
                          "/etc/papersize", "/var/cache/fontconfig"}) {
    a.insert(a.end(), {"--ro-bind-try", etc, etc});
  }
  a.insert(a.end(), {"--proc", "/proc", "--dev", "/dev"});
  // No shared /tmp: a child's scratch space is its own folder (TMPDIR), or the host folder
  // its owner gives it as /tmp (LibreOffice puts its pipe there).
  if (!spec.private_tmp.empty()) {
    a.insert(a.end(), {"--bind", Real(spec.private_tmp), "/tmp"});
  } else if (spec.tmpfs_tmp_mb > 0) {
    a.insert(a.end(), {"--size", std::to_string(spec.tmpfs_tmp_mb << 20), "--tmpfs", "/tmp"});
  }
  // The job's folders, at the same paths as outside (arguments need no rewriting). Writable
  // first, so an input inside an output folder is still read-only.
  const std::string work = Clean(spec.work_dir);
  a.insert(a.end(), {"--bind", Real(work), work});
  for (const auto& w : spec.writable) a.insert(a.end(), {"--bind", Real(w), Clean(w)});
  for (const auto& r : spec.read_only) a.insert(a.end(), {"--ro-bind", Real(r), Clean(r)});
  // The program itself when it lives outside /usr (wenku's own converters: `wenku __pdf`).
  if (!spec.argv.empty() && spec.argv[0].rfind("/usr/", 0) != 0) {
    a.insert(a.end(), {"--ro-bind", Real(spec.argv[0]), Clean(spec.argv[0])});
  }
  a.insert(a.end(),
           {"--chdir", work, "--seccomp", std::to_string(seccomp_fd), "--remount-ro", "/", "--",
            options_.prlimit, "--nproc=" + std::to_string(options_.max_tasks), "--"});
  a.insert(a.end(), spec.argv.begin(), spec.argv.end());
  return a;
}

Status Sandbox::Probe() {
  if (!bpf_status_.ok()) return bpf_status_;
  for (const std::string& tool : {options_.bwrap, options_.prlimit}) {
    if (access(tool.c_str(), X_OK) != 0) {
      return MakeError(ErrorCode::kUnavailable,
                       tool +
                           " is missing: install bubblewrap and util-linux "
                           "(scripts/install-deps.sh), or set sandbox.mode = \"off\"");
    }
  }
  char dir_template[] = "/tmp/wenku-sandbox-probe-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return MakeError(ErrorCode::kUnavailable, "cannot make a folder to test the sandbox in");
  }
  ProcessSpec spec;
  spec.argv = {"/usr/bin/true"};
  spec.work_dir = dir_template;
  spec.limits.timeout_ms = 20'000;
  spec.limits.cpu_seconds = 10;
  auto outcome = RunInSandbox(spec, *this, nullptr);
  std::error_code ec;
  fs::remove_all(dir_template, ec);
  if (!outcome.ok()) return MakeError(ErrorCode::kUnavailable, outcome.error().message);
  if (outcome->end != ProcessEnd::kExited || outcome->exit_code != 0) {
    std::string why = outcome->err;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (why.empty()) why = outcome->Describe(spec.limits);
    return MakeError(ErrorCode::kUnavailable,
                     "bubblewrap cannot make a sandbox here (" + why +
                         "); unprivileged user namespaces may be disabled "
                         "(sysctl kernel.unprivileged_userns_clone, user.max_user_namespaces)");
  }
  return {};
}

Status Sandbox::Ready() {
  if (!enabled()) return {};
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (probed_ && (ready_.ok() || now - probed_at_ < std::chrono::seconds(30))) return ready_;
  bool was_ok = probed_ && ready_.ok();
  ready_ = Probe();
  probed_ = true;
  probed_at_ = now;
  if (!ready_.ok()) {
    spdlog::error("sandbox: converters cannot run: {}", ready_.error().message);
  } else if (!was_ok) {
    spdlog::info("sandbox: bubblewrap + seccomp ready");
  }
  return ready_;
}

}  // namespace wenku
