#include "ingest/pdf_pool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/sandbox.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxLine = 1 << 20;      // a longer stdout line ends the child
constexpr size_t kKeepOutput = 64 << 10;  // stdout and stderr kept for messages

std::string Tail(std::string s) {
  if (s.size() > kKeepOutput) s.erase(0, s.size() - kKeepOutput);
  return s;
}

// The names of the regular files in `sub` of `dir`, listed without following links.
// Errors: kConversionFailed (a link, folder or special file: the cold runner's sentence),
// kResourceLimit (too many), kIo.
Result<std::vector<std::string>> ListResults(const fs::path& dir, const std::string& sub) {
  int top = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (top < 0) return MakeError(ErrorCode::kIo, "cannot open " + dir.string());
  int fd = openat(top, sub.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  close(top);
  if (fd < 0) {
    return MakeError(ErrorCode::kConversionFailed,
                     "The converter left a link or a special file among its results, so they "
                     "were thrown away.");
  }
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return MakeError(ErrorCode::kIo, "cannot list " + (dir / sub).string());
  }
  std::vector<std::string> names;
  Status s;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
      s = MakeError(ErrorCode::kConversionFailed,
                    "The converter left a link or a special file among its results, so they "
                    "were thrown away.");
      break;
    }
    if (names.size() >= kMaxOutputEntries) {
      s = MakeError(ErrorCode::kResourceLimit, "The converter left too many files (more than " +
                                                   std::to_string(kMaxOutputEntries) + ").");
      break;
    }
    names.push_back(std::move(name));
  }
  closedir(d);
  if (!s.ok()) return s.error();
  return names;
}

}  // namespace

struct PdfPool::Impl {
  struct Child {
    int slot = 0;
    std::unique_ptr<SandboxedProcess> process;
    int commands = 0;
    bool busy = false;
  };

  PdfPoolOptions options;
  mutable std::mutex mu;
  std::vector<std::unique_ptr<Child>> children;

  explicit Impl(PdfPoolOptions o) : options(std::move(o)) {
    for (int i = 0; i < std::max(1, options.processes); ++i) {
      children.push_back(std::make_unique<Child>());
      children.back()->slot = i;
    }
  }

  fs::path Folder(int slot) const {
    return fs::absolute(options.folder / ("warm-" + std::to_string(slot)));
  }
  fs::path Exchange(int slot) const { return Folder(slot) / "exchange"; }

  Child* TryAcquire() {
    std::lock_guard lock(mu);
    for (auto& c : children) {
      if (!c->busy) {
        c->busy = true;
        return c.get();
      }
    }
    return nullptr;
  }

  void Release(Child& c) {
    std::lock_guard lock(mu);
    c.busy = false;
  }

  // The process is replaced under `mu` (ChildPid reads it from other threads).
  void Stop(Child& c, const std::string& why) {
    std::unique_ptr<SandboxedProcess> process;
    {
      std::lock_guard lock(mu);
      process = std::move(c.process);
    }
    if (process && !why.empty()) {
      spdlog::info("pdf: replacing warm child {} (pid {}): {}", c.slot, process->pid(), why);
    }
    process.reset();  // kills the sandbox and reaps it
    c.commands = 0;
  }

  Status Start(Child& c) {
    std::error_code ec;
    fs::create_directories(Exchange(c.slot), ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot create " + Exchange(c.slot).string());
    ProcessSpec spec;
    const long budget = std::max(0L, options.limits.cpu_seconds);  // 0: no limit, as cold
    spec.argv = {options.tool, "__pdf", "serve", std::to_string(budget)};
    spec.work_dir = Exchange(c.slot).string();
    spec.limits = options.limits;
    spec.limits.cpu_seconds = 2 * budget;  // hard limit 2×+2; each command gets `budget`
    auto started = std::chrono::steady_clock::now();
    auto process = SandboxedProcess::StartPiped(spec, *options.sandbox);
    if (!process.ok()) return process.error();
    spdlog::debug(
        "pdf: warm child {} started (pid {}, {:.1f} ms)", c.slot, (*process)->pid(),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    std::lock_guard lock(mu);
    c.process = std::move(process).value();
    c.commands = 0;
    return {};
  }

  // How the child ended, once its stdout closed or its deadline passed, as the cold path
  // would say it. The child is gone afterwards.
  Status Ended(Child& c, const std::string& doing, bool timed_out, std::string out,
               std::string err) {
    std::unique_ptr<SandboxedProcess> process;
    {
      std::lock_guard lock(mu);
      process = std::move(c.process);
    }
    c.commands = 0;
    ProcessOutcome o = process->Finish(options.limits, timed_out, std::move(out), std::move(err));
    if (o.end == ProcessEnd::kExited && o.exit_code == 1 && o.err.rfind("bwrap: ", 0) == 0) {
      std::string why = o.err.substr(0, o.err.find('\n'));
      spdlog::error("sandbox: cannot run the warm pdf tool: {}", why);
      return MakeError(ErrorCode::kUnavailable,
                       "the converter sandbox could not be set up (" + why + ")");
    }
    if (o.end == ProcessEnd::kExited && o.exit_code == 0) {  // ended without answering
      return MakeError(ErrorCode::kConversionFailed,
                       doing + " failed (the converter ended without an answer).");
    }
    return OutcomeStatus(o, options.limits, doing);
  }

  // Sends `command` and reads the child's lines up to the command's last one.
  Status Converse(Child& c, const std::string& doing, const std::string& command,
                  const ProgressFn& progress, std::vector<std::string>* lines) {
    if (!c.process->Send(command)) {
      // Gone while idle (killed from outside, say): once more in a fresh child.
      Stop(c, "it had ended");
      WENKU_TRY(Start(c));
      if (!c.process->Send(command)) return Ended(c, doing, false, "", "");
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.limits.timeout_ms);
    std::string out, err, pending;
    struct pollfd fds[2] = {{c.process->stdout_fd(), POLLIN, 0},
                            {c.process->stderr_fd(), POLLIN, 0}};
    char buf[65536];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return Ended(c, doing, true, out, err);
      int n = poll(fds, 2, static_cast<int>(std::min<long>(left, 1000)));
      if (n < 0 && errno != EINTR) return Ended(c, doing, false, out, err);
      if (n <= 0) continue;
      if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        ssize_t got = read(fds[1].fd, buf, sizeof buf);
        if (got > 0) {
          err = Tail(err + std::string(buf, static_cast<size_t>(got)));
        } else if (got == 0 || errno != EINTR) {
          fds[1].fd = -1;  // stderr closed: stdout tells whether the child is gone
        }
      }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t got = read(fds[0].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Ended(c, doing, false, out, err);
      pending.append(buf, static_cast<size_t>(got));
      out = Tail(out + std::string(buf, static_cast<size_t>(got)));
      size_t pos;
      while ((pos = pending.find('\n')) != std::string::npos) {
        std::string line = pending.substr(0, pos);
        pending.erase(0, pos + 1);
        if (line == "ok") {
          if (!pending.empty()) {  // nothing may follow a command's last line
            Stop(c, "it wrote past its answer");
            return MakeError(ErrorCode::kConversionFailed, doing + " failed.");
          }
          return {};
        }
        if (line.rfind("error ", 0) == 0) return ParseDocumentError(line, doing);
        if (line.rfind("progress ", 0) == 0) {
          long done = 0, total = 0;
          if (progress && std::sscanf(line.c_str(), "progress %ld %ld", &done, &total) == 2) {
            progress(done, total);
          }
        } else if (lines != nullptr) {
          lines->push_back(std::move(line));
        }
      }
      if (pending.size() > kMaxLine) {
        Stop(c, "a line too long");
        return MakeError(ErrorCode::kConversionFailed, doing + " failed.");
      }
    }
  }

  // Empties the child's exchange folder. A child can leave one that cannot be emptied (a
  // folder it made unreadable, nesting past the limit): then the child is stopped and the
  // folder set aside (removed if possible) for a fresh one, so the slot keeps working.
  Status ResetExchange(Child& c) {
    const fs::path exchange = Exchange(c.slot);
    Status emptied = EmptyUntrustedFolder(exchange);
    if (emptied.ok()) return {};
    Stop(c, emptied.error().message);
    const fs::path aside = Folder(c.slot) / ("trash-" + UniqueTempName());
    std::error_code ec;
    fs::rename(exchange, aside, ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot set aside " + exchange.string());
    fs::remove_all(aside, ec);
    if (ec) spdlog::warn("pdf: cannot remove {}: {}", aside.string(), ec.message());
    fs::create_directories(exchange, ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot create " + exchange.string());
    return {};
  }

  Status RunIn(Child& c, const std::string& doing, const std::string& command, const fs::path& pdf,
               const std::string& out_file, const std::vector<std::string>& args,
               const fs::path& out_dir, const ProgressFn& progress,
               std::vector<std::string>* lines) {
    if (c.process && !c.process->Alive()) Stop(c, "it had ended");
    const fs::path exchange = Exchange(c.slot);
    std::error_code ec;
    fs::create_directories(exchange, ec);
    // Nothing of an earlier document; then this one's copy and an empty output folder.
    WENKU_TRY(ResetExchange(c));
    WENKU_TRY(CopyIntoUntrusted(pdf, Folder(c.slot), "exchange", "in.pdf"));
    if (mkdir((exchange / "out").c_str(), 0755) != 0) {
      return MakeError(ErrorCode::kIo, "cannot create " + (exchange / "out").string());
    }
    if (!c.process) WENKU_TRY(Start(c));
    nlohmann::json j = nlohmann::json::array(
        {command, (exchange / "in.pdf").string(),
         out_file.empty() ? (exchange / "out").string() : (exchange / "out" / out_file).string()});
    for (const auto& a : args) j.push_back(a);
    Status s = Converse(c, doing, j.dump() + "\n", progress, lines);
    if (s.ok()) {
      auto names = ListResults(exchange, "out");
      if (!names.ok()) {
        s = names.error();
      } else {
        const uint64_t max_bytes = static_cast<uint64_t>(options.limits.file_size_mb) << 20;
        for (const auto& name : *names) {
          s = CopyOutOfUntrusted(exchange, "out", name, out_dir / name, max_bytes);
          if (!s.ok()) break;
        }
      }
    }
    Status emptied = EmptyUntrustedFolder(exchange);
    if (c.process) {
      ++c.commands;
      if (!emptied.ok()) {
        Stop(c, emptied.error().message);
      } else if (c.commands >= options.recycle_after) {
        Stop(c, "after " + std::to_string(c.commands) + " commands");
      } else if (long rss = c.process->TreeRssMb(); rss > options.max_rss_mb) {
        Stop(c, std::to_string(rss) + " MB resident");
      } else if (options.limits.cpu_seconds > 0 &&
                 c.process->TreeCpuSeconds() > static_cast<double>(options.limits.cpu_seconds)) {
        Stop(c, "its CPU time is used up");
      }
    }
    return s;
  }
};

PdfPool::PdfPool(PdfPoolOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
PdfPool::~PdfPool() = default;

std::optional<Status> PdfPool::Run(const std::string& doing, const std::string& command,
                                   const fs::path& pdf, const std::string& out_file,
                                   const std::vector<std::string>& args, const fs::path& out_dir,
                                   const ProgressFn& progress, std::vector<std::string>* lines) {
  Impl::Child* child = impl_->TryAcquire();
  if (child == nullptr) return std::nullopt;
  Status s;
  try {
    s = impl_->RunIn(*child, doing, command, pdf, out_file, args, out_dir, progress, lines);
  } catch (...) {
    impl_->Stop(*child, "");
    impl_->Release(*child);
    throw;
  }
  impl_->Release(*child);
  return s;
}

pid_t PdfPool::ChildPid(int slot) const {
  std::lock_guard lock(impl_->mu);
  if (slot < 0 || slot >= static_cast<int>(impl_->children.size())) return 0;
  const auto& c = impl_->children[static_cast<size_t>(slot)];
  return c->process ? c->process->pid() : 0;
}

fs::path PdfPool::ExchangeFolder(int slot) const { return impl_->Exchange(slot); }

}  // namespace wenku::ingest
