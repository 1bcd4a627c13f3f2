// wenku import PATH… — stores files as documents (library::Submit, the same rules as an
// upload) and runs the ingest workers until each is ready or failed. Built for folders of tens
// of thousands of files:
//   streamed   folders are walked lazily (recursive_directory_iterator, in directory order);
//              at most `window` documents are in flight (stored, not finished: ingest.workers
//              × 8, at least 16): files are submitted until the window is full, then the
//              importer waits for some to finish. One query a tick (every 150 ms) asks the
//              states of the documents in flight (DocumentStore::FindMany). A second walk in
//              a thread only counts the files, for the total and the ETA ("N+ files" until it
//              ends). Memory stays flat whatever the number of files.
//   progress   on a terminal a live frame (each document being converted, then the overall
//              bar with files done / files, documents per second and the ETA); otherwise one line
//              per finished file and, every 5 s, a summary line on stderr; --json: one JSON
//              object per finished file on stdout as it finishes.
//   resumable  SIGINT/SIGTERM stops submitting, lets the running conversions finish (a second
//              signal quits at once: their jobs are taken over when their leases run out),
//              reports what was done and exits 130. Documents already stored but not
//              converted stay queued. Running the same import again skips each file already
//              imported: first by path, size and mtime (storage::ImportFileStore, recorded
//              when a file is stored), else by its bytes (Submit finds the owner's document
//              with the same bytes); a skipped file whose document is not finished yet is
//              waited for like a new one.
// "Done" for one document is ItemDone's, and only ItemDone's.
// The final table (stdout) lists every file when at most 50 finished, else only the
// failures; a summary line follows. Exit status 0; 1 when any file failed; 130 interrupted.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "app/commands.hpp"
#include "core/text.hpp"
#include "library/submit.hpp"
#include "storage/import_file_store.hpp"

namespace wenku::app {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(150);
constexpr auto kSummaryEvery = std::chrono::seconds(5);
constexpr size_t kFullTableMax = 50;   // more files finished: the table lists failures only
constexpr size_t kFailuresKept = 500;  // failures listed in that table, at most
constexpr size_t kFrameLines = 8;      // documents being converted shown on a terminal

// Whether the importer is done waiting for a document. The one place that says so: ready
// (and, when this import recognises text — ocr.workers > 0 —, the text of its scanned pages
// recognised: text_pending cleared), failed or taken down.
bool ItemDone(const Document& doc, bool recognising) {
  return (doc.state == DocState::kReady && !(recognising && doc.text_pending)) ||
         doc.state == DocState::kFailed || doc.state == DocState::kTakenDown;
}

struct Item {
  int64_t seq = 0;  // in the order files were seen (the small table's order)
  std::string path;
  DocumentId id = 0;  // 0: never stored
  Document doc;
  std::string error;       // why it was never stored
  bool existed = false;    // a document before this run (by path + size + mtime, or bytes)
  bool looked = false;     // its state has been read once
  bool skipped = false;    // existed and already done when first looked at: nothing to do
  DocumentId archive = 0;  // set for a file unpacked from an imported archive
};

std::string StateText(const Item& it) {
  return it.id == 0 ? "failed" : std::string(DocStateName(it.doc.state));
}
std::string Reason(const Item& it) { return it.id == 0 ? it.error : it.doc.failure_reason; }
bool Failed(const Item& it) { return it.id == 0 || it.doc.state != DocState::kReady; }

// Files under the given paths, one at a time: a folder is walked recursively (regular files
// only, in directory order), any other path comes as given (Submit says when it is missing).
class PathWalker {
 public:
  explicit PathWalker(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  std::optional<std::string> Next() {
    for (;;) {
      std::error_code ec;
      while (it_ != fs::recursive_directory_iterator()) {
        const bool regular = it_->is_regular_file(ec);
        std::string path = it_->path().string();
        it_.increment(ec);
        if (ec) {
          spdlog::warn("import: cannot walk past {}: {}", path, ec.message());
          it_ = fs::recursive_directory_iterator();
        }
        if (regular) return path;
      }
      if (next_ >= paths_.size()) return std::nullopt;
      const std::string& p = paths_[next_++];
      if (!fs::is_directory(p, ec)) return p;
      it_ = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
      if (ec) spdlog::warn("import: cannot walk {}: {}", p, ec.message());
    }
  }

 private:
  std::vector<std::string> paths_;
  size_t next_ = 0;
  fs::recursive_directory_iterator it_;
};

// SIGINT and SIGTERM, caught by a handler (process-wide: whichever thread the kernel hands
// the signal to — the App's own threads, started before the importer, included — the
// process survives it) that writes the signal's number to a pipe; Take waits on that pipe.
// A self-pipe, because a handler may only call async-signal-safe functions (write).
class Signals {
 public:
  Signals() {
    if (pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) return;
    write_fd_.store(fds_[1]);
    struct sigaction sa {};
    sa.sa_handler = [](int sig) {
      const int saved = errno;
      const auto byte = static_cast<char>(sig);
      ssize_t ignored = write(write_fd_.load(), &byte, 1);
      (void)ignored;
      errno = saved;
    };
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~Signals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    write_fd_.store(-1);
    if (fds_[0] >= 0) close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;
  // The signal that arrived within `wait` (0: none).
  int Take(std::chrono::milliseconds wait) {
    if (fds_[0] < 0) {
      std::this_thread::sleep_for(wait);
      return 0;
    }
    pollfd p{fds_[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return 0;
    char byte = 0;
    return read(fds_[0], &byte, 1) == 1 ? static_cast<unsigned char>(byte) : 0;
  }

 private:
  static inline std::atomic<int> write_fd_{-1};
  int fds_[2] = {-1, -1};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string Duration(double seconds) {
  const auto s = static_cast<int64_t>(seconds + 0.5);
  char out[32];
  if (s >= 3600) {
    std::snprintf(out, sizeof out, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(out, sizeof out, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    std::snprintf(out, sizeof out, "%llds", static_cast<long long>(s));
  }
  return out;
}

class Importer {
 public:
  Importer(App& app, const ImportOptions& options, UserId owner)
      : app_(app),
        options_(options),
        owner_(owner),
        submit_{app.blobs(), app.documents(), app.categories(),
                library::SubmitLimitsFrom(app.config())},
        files_(app.db(), app.clock()),
        walker_(options.paths),
        tty_(isatty(2) != 0),
        workers_(app.worker_options()),
        recognising_(workers_.ocr_pipeline != nullptr && workers_.ocr_workers > 0),
        window_(std::max<size_t>(16, static_cast<size_t>(workers_.workers) * 8)) {}

  int Run();

 private:
  void Fill(Clock::time_point until);
  void Admit(const std::string& path);
  void Poll();
  void Finish(Item it);
  void AddMembers(const Item& archive);
  void OnSignal(int sig);
  void Show(Clock::time_point now);
  void DrawFrame();
  void PrintEnd();
  // Files known so far (walked or counted, and archive members) and whether that is all.
  int64_t Total() const { return std::max(counted_.load(), seen_) + members_found_; }
  bool TotalKnown() const { return counting_done_.load() || walk_done_; }
  std::string Counts() const;
  std::string Rate() const;

  App& app_;
  const ImportOptions& options_;
  const UserId owner_;
  const library::SubmitDeps submit_;
  storage::ImportFileStore files_;
  PathWalker walker_;
  const bool tty_;
  const ingest::WorkerOptions workers_;
  const bool recognising_;  // the pool recognises scans' text: wait for it too
  const size_t window_;
  Signals signals_;  // SIGINT and SIGTERM stop the import instead of killing it
  std::optional<ingest::WorkerPool> pool_;

  std::vector<Item> in_flight_;
  bool walk_done_ = false;
  int64_t seen_ = 0;           // files the submitting walk reached
  int64_t members_found_ = 0;  // files unpacked from archives, waited for too
  std::atomic<int64_t> counted_{0};
  std::atomic<bool> counting_done_{false};
  std::atomic<bool> stop_counting_{false};

  int64_t imported_ = 0, failed_ = 0, skipped_ = 0;
  int64_t converted_ = 0;  // documents finished by this run (not refused, not skipped)
  int64_t finished() const { return imported_ + failed_ + skipped_; }
  std::vector<Item> rows_;  // for the table: all while few finished, then failures only
  int64_t failures_left_out_ = 0;

  int interrupted_ = 0;  // the signal
  std::atomic<bool> pool_stopped_{false};
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_summary_ = started_;
  std::string done_lines_;  // terminal: finished files to print above the next frame
  size_t lines_drawn_ = 0;
};

int Importer::Run() {
  std::thread counter([this] {
    PathWalker count(options_.paths);
    while (!stop_counting_.load() && count.Next()) ++counted_;
    counting_done_ = !stop_counting_.load();
  });
  pool_.emplace(app_.pipeline(), app_.jobs(), app_.documents(), app_.blobs(), app_.layout(),
                workers_);
  pool_->Start();
  std::thread stopper;
  auto next_poll = Clock::now();
  for (;;) {
    Fill(Clock::now() + kTick);
    const bool stopped = pool_stopped_.load();
    if (!in_flight_.empty() && (Clock::now() >= next_poll || stopped)) {
      Poll();
      next_poll = Clock::now() + kTick;
    }
    Show(Clock::now());
    if (in_flight_.empty() && (walk_done_ || interrupted_)) break;
    if (interrupted_ && stopped) break;  // what is still in flight stays queued
    if (interrupted_ && !stopper.joinable()) {
      stopper = std::thread([this] {
        pool_->Stop();
        pool_stopped_ = true;
      });
    }
    const bool wait = walk_done_ || interrupted_ || in_flight_.size() >= window_;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - Clock::now());
    if (int sig = signals_.Take(wait ? std::max(left, std::chrono::milliseconds(1))
                                     : std::chrono::milliseconds(0))) {
      OnSignal(sig);
    }
  }
  stop_counting_ = true;
  counter.join();
  if (stopper.joinable()) stopper.join();
  pool_->Stop();
  if (tty_) {
    Show(Clock::now() + kSummaryEvery);  // the last frame, with what just finished
  }
  PrintEnd();
  if (interrupted_) return 130;
  return failed_ > 0 ? 1 : 0;
}

void Importer::OnSignal(int sig) {
  if (interrupted_) {
    std::fprintf(stderr,
                 "\nwenku import: %s again: quitting now (running conversions are taken "
                 "over by the next run once their leases run out)\n",
                 strsignal(sig));
    std::fflush(stdout);
    std::_Exit(130);
  }
  interrupted_ = sig;
  done_lines_ += "wenku import: " + std::string(strsignal(sig)) +
                 ": submitting no more files; letting the running conversions finish (" +
                 strsignal(sig) + " again to quit now)\n";
  if (!tty_) {
    std::fputs(done_lines_.c_str(), stderr);
    done_lines_.clear();
  }
}

void Importer::Fill(Clock::time_point until) {
  while (!interrupted_ && !walk_done_ && in_flight_.size() < window_ && Clock::now() < until) {
    auto path = walker_.Next();
    if (!path) {
      walk_done_ = true;
      break;
    }
    ++seen_;
    Admit(*path);
    if (int sig = signals_.Take(std::chrono::milliseconds(0))) OnSignal(sig);
  }
}

void Importer::Admit(const std::string& path) {
  Item it;
  it.seq = seen_;
  it.path = path;
  // What the file looks like now, before its bytes are read: a file changed after this is
  // found changed next time (its mtime moved).
  struct stat st {};
  const bool regular = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  std::error_code ec;
  const std::string key = fs::absolute(path, ec).lexically_normal().string();
  if (regular && !ec) {
    auto known = files_.Unchanged(owner_, key, st.st_size, mtime_ns);
    if (!known.ok()) spdlog::warn("import: {}: {}", path, known.error().message);
    if (known.ok() && known->has_value()) {
      it.id = **known;
      it.existed = true;
    }
  }
  if (it.id == 0) {
    library::Submission s;
    s.owner = owner_;
    s.file = path;
    s.filename = fs::path(path).filename().string();
    s.category = options_.category;
    s.price = options_.price;
    auto submitted = library::Submit(submit_, s);
    if (!submitted.ok()) {
      it.error = submitted.error().message;
      spdlog::warn("import: {}: {}", path, it.error);
      Finish(std::move(it));
      return;
    }
    it.id = submitted->id;
    it.existed = submitted->existed;
    if (it.existed) spdlog::info("import: {} is already document {}", path, it.id);
    if (!it.existed) pool_->Notify();  // a worker may be waiting for it
    if (regular && !ec) {
      Status recorded = files_.Record(owner_, key, st.st_size, mtime_ns, it.id);
      if (!recorded.ok()) spdlog::warn("import: {}: {}", path, recorded.error().message);
    }
  }
  if (it.existed) {  // most are done already: no need to wait a tick to know
    auto doc = app_.documents().Find(it.id);
    if (doc.ok()) {
      it.doc = std::move(doc).value();
      it.looked = true;
      it.skipped = ItemDone(it.doc, recognising_);
      if (it.skipped) {
        AddMembers(it);
        Finish(std::move(it));
        return;
      }
    }
  }
  in_flight_.push_back(std::move(it));
}

void Importer::Poll() {
  std::vector<DocumentId> ids;
  for (const auto& it : in_flight_) ids.push_back(it.id);
  auto docs = app_.documents().FindMany(ids);
  if (!docs.ok()) {
    spdlog::warn("import: cannot read the documents' states: {}", docs.error().message);
    return;
  }
  std::unordered_map<DocumentId, Document> by_id;
  for (auto& d : *docs) by_id.emplace(d.id, std::move(d));
  std::vector<Item> waiting;
  std::vector<Item> done;
  for (auto& it : in_flight_) {
    auto found = by_id.find(it.id);
    if (found == by_id.end()) {  // deleted meanwhile (from the website, say)
      it.doc = Document{};
      it.doc.state = DocState::kFailed;
      it.doc.failure_reason = "document " + std::to_string(it.id) + " was deleted";
      done.push_back(std::move(it));
      continue;
    }
    it.doc = found->second;
    const bool is_done = ItemDone(it.doc, recognising_);
    if (!it.looked) it.skipped = it.existed && is_done;
    it.looked = true;
    (is_done ? done : waiting).push_back(std::move(it));
  }
  in_flight_ = std::move(waiting);
  for (auto& it : done) {
    AddMembers(it);
    Finish(std::move(it));
  }
}

// An archive's files are documents too: they are waited for as well.
void Importer::AddMembers(const Item& archive) {
  if (archive.doc.state != DocState::kReady) return;
  auto members = app_.documents().Members(archive.id);
  if (!members.ok()) {
    spdlog::warn("import: {}: {}", archive.path, members.error().message);
    return;
  }
  std::unordered_set<DocumentId> known{archive.id};
  for (const auto& it : in_flight_) known.insert(it.id);
  for (const auto& m : *members) {
    if (m.document_id == 0 || !known.insert(m.document_id).second) continue;
    Item member;
    member.seq = archive.seq;
    member.path = archive.path + "!/" + m.path;
    member.id = m.document_id;
    member.archive = archive.id;
    member.existed = archive.skipped;  // unpacked by an earlier run
    ++members_found_;
    in_flight_.push_back(std::move(member));
  }
}

void Importer::Finish(Item it) {
  const bool failed = Failed(it);
  if (it.skipped) {
    ++skipped_;
  } else if (failed) {
    ++failed_;
  } else {
    ++imported_;
  }
  if (it.id != 0 && !it.skipped) ++converted_;
  if (options_.json) {
    nlohmann::json j{{"path", it.path},
                     {"archive", it.archive ? nlohmann::json(it.archive) : nlohmann::json(nullptr)},
                     {"id", it.id ? nlohmann::json(it.id) : nlohmann::json(nullptr)},
                     {"state", StateText(it)},
                     {"pages", it.id ? it.doc.page_count : 0},
                     {"failure_reason",
                      Reason(it).empty() ? nlohmann::json(nullptr) : nlohmann::json(Reason(it))},
                     {"skipped", it.skipped}};
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  }
  if (tty_ || !options_.json) {
    std::string reason = Reason(it);
    std::string line = "[" + std::to_string(finished()) + "/" + std::to_string(Total()) +
                       (TotalKnown() ? "] " : "+] ");
    if (it.skipped) {
      line += "skipped " + it.path + " (already document " + std::to_string(it.id) + ", " +
              StateText(it) + (reason.empty() ? "" : ": " + reason) + ")\n";
    } else {
      std::string state = StateText(it);
      line += state + std::string(state.size() < 7 ? 7 - state.size() : 0, ' ') + " " + it.path +
              (reason.empty() ? "" : ": " + reason) + "\n";
    }
    if (tty_) {
      done_lines_ += line;
    } else {
      std::fputs(line.c_str(), stderr);
    }
  }
  if (static_cast<size_t>(finished()) <= kFullTableMax) {
    rows_.push_back(std::move(it));
  } else {
    if (static_cast<size_t>(finished()) == kFullTableMax + 1) {
      std::erase_if(rows_, [](const Item& r) { return !Failed(r); });
    }
    if (!failed) return;
    if (rows_.size() < kFailuresKept) {
      rows_.push_back(std::move(it));
    } else {
      ++failures_left_out_;
    }
  }
}

std::string Importer::Rate() const {
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(converted_) / seconds : 0;
  char out[96];
  int n = std::snprintf(out, sizeof out, "%.1f documents/s", rate);
  const int64_t left = Total() - finished();
  if (TotalKnown() && rate > 0 && left > 0 && n > 0) {
    std::snprintf(out + n, sizeof out - n, ", ETA %s",
                  Duration(static_cast<double>(left) / rate).c_str());
  }
  return out;
}

std::string Importer::Counts() const {
  return "imported " + std::to_string(imported_) + ", failed " + std::to_string(failed_) +
         ", skipped " + std::to_string(skipped_);
}

void Importer::Show(Clock::time_point now) {
  if (tty_) {
    DrawFrame();
    return;
  }
  if (now - last_summary_ < kSummaryEvery) return;
  last_summary_ = now;
  std::fprintf(stderr, "wenku import: %lld/%lld%s files: %s, %s\n",
               static_cast<long long>(finished()), static_cast<long long>(Total()),
               TotalKnown() ? "" : "+", Counts().c_str(), Rate().c_str());
  std::fflush(stderr);
}

// Redraws the live area on a terminal: one line per document being converted, then the
// overall bar. The finished files' lines are printed above it and stay.
void Importer::DrawFrame() {
  std::string frame;
  for (size_t i = 0; i < lines_drawn_; ++i) frame += "\x1b[1A\x1b[2K";
  frame += done_lines_;
  done_lines_.clear();
  size_t lines = 0;
  for (const auto& it : in_flight_) {
    if (it.doc.state != DocState::kProcessing || lines >= kFrameLines) continue;
    const Progress& p = it.doc.progress;
    char counts[48] = "";
    if (p.total > 0)
      std::snprintf(counts, sizeof counts, "%lld/%lld", static_cast<long long>(p.done),
                    static_cast<long long>(p.total));
    frame += "  #" + FitColumns(std::to_string(it.id), 6) +
             FitColumns(fs::path(it.path).filename().string(), 32) + " " + FitColumns(p.stage, 11) +
             " " + Bar(p.done, p.total, 20) + " " + counts + "\n";
    ++lines;
  }
  char overall[160];
  std::snprintf(overall, sizeof overall, " %lld/%lld%s files  %s",
                static_cast<long long>(finished()), static_cast<long long>(Total()),
                TotalKnown() ? "" : "+", Rate().c_str());
  frame += "  " + Bar(finished(), Total(), 40) + overall + "\n";
  ++lines;
  std::fputs(frame.c_str(), stderr);
  std::fflush(stderr);
  lines_drawn_ = lines;
}

void Importer::PrintEnd() {
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  char took[96];
  int n = std::snprintf(took, sizeof took, " in %.1f s", seconds);
  if (converted_ > 0 && seconds > 0 && n > 0) {
    std::snprintf(took + n, sizeof took - n, " (%.1f documents/s)",
                  static_cast<double>(converted_) / seconds);
  }
  std::string summary = Counts() + took;
  if (interrupted_) {
    summary += "; interrupted: " + std::to_string(in_flight_.size()) +
               " stored file(s) left queued" + (walk_done_ ? "" : ", the rest not yet seen") +
               " — run the same import again to finish";
  }
  if (options_.json) {
    std::fprintf(stderr, "wenku import: %s\n", summary.c_str());
    return;
  }
  std::sort(rows_.begin(), rows_.end(), [](const Item& a, const Item& b) { return a.seq < b.seq; });
  const bool full = static_cast<size_t>(finished()) <= kFullTableMax;
  if (full || !rows_.empty()) {
    if (!full) std::printf("failures:\n");
    std::printf("%s\n", (FitColumns("ID", 7) + FitColumns("STATE", 8) + FitColumns("PAGES", 7) +
                         FitColumns("FILE", 36) + "REASON")
                            .c_str());
  }
  for (const auto& it : rows_) {
    std::string id = it.id ? std::to_string(it.id) : "-";
    std::string pages =
        it.id && it.doc.state == DocState::kReady ? std::to_string(it.doc.page_count) : "-";
    std::string reason = Reason(it);
    if (it.skipped) reason = "already imported" + (reason.empty() ? "" : ": " + reason);
    std::string line = FitColumns(id, 7) + FitColumns(StateText(it), 8) + FitColumns(pages, 7) +
                       FitColumns(fs::path(it.path).filename().string(), 35) + " " + reason;
    std::printf("%s\n", line.c_str());
  }
  if (failures_left_out_ > 0) {
    std::printf("… and %lld more failures (their lines are above; --json lists every file)\n",
                static_cast<long long>(failures_left_out_));
  }
  std::printf("%s\n", summary.c_str());
  std::fflush(stdout);
}

}  // namespace

int RunImport(App& app, const ImportOptions& options) {
  // Fail closed: without a working sandbox nothing would be converted; say so at once.
  if (Status sandbox = app.sandbox().Ready(); !sandbox.ok()) {
    std::fprintf(stderr, "wenku import: converters cannot run: %s\n",
                 sandbox.error().message.c_str());
    return 2;
  }
  auto owner =
      app.accounts().EnsureUser(options.owner, options.owner == "admin" ? "admin" : "user");
  if (!owner.ok()) {
    std::fprintf(stderr, "wenku import: %s\n", owner.error().message.c_str());
    return 2;
  }
  Importer importer(app, options, owner->id);
  return importer.Run();
}

}  // namespace wenku::app
