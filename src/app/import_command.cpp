// wenku import PATH… — store files as documents (library::Submit, the same rules as an
// upload), run the workers until each is ready or failed, with progress bars (per file
// being converted and overall) and a final table.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/commands.hpp"
#include "core/text.hpp"
#include "library/submit.hpp"

namespace wenku::app {
namespace fs = std::filesystem;
namespace {

struct Item {
  std::string path;
  DocumentId id = 0;  // 0: never stored
  Document doc;
  std::string error;  // why it was never stored
  bool final = false;
  bool reported = false;
  DocumentId archive = 0;  // set for a file unpacked from an imported archive
};

std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> files;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// Done: ready (and, when this import recognises text — ocr.workers > 0 —, the text of its
// scanned pages recognised: text_pending cleared), failed or taken down.
bool IsDone(const Document& d, bool recognising) {
  return (d.state == DocState::kReady && !(recognising && d.text_pending)) ||
         d.state == DocState::kFailed || d.state == DocState::kTakenDown;
}

std::string StateText(const Item& it) {
  return it.id == 0 ? "failed" : std::string(DocStateName(it.doc.state));
}

std::string Reason(const Item& it) { return it.id == 0 ? it.error : it.doc.failure_reason; }

// Redraws the live area on a terminal: one line per document being converted, then the
// overall bar. `lines_drawn` is how many lines the previous frame used.
// `done_lines` (files that just finished) are printed above it and stay.
void DrawFrame(const std::vector<Item>& items, const std::string& done_lines, size_t* lines_drawn) {
  std::string frame;
  for (size_t i = 0; i < *lines_drawn; ++i) frame += "\x1b[1A\x1b[2K";
  frame += done_lines;
  size_t lines = 0;
  size_t finished = 0;
  for (const auto& it : items) {
    if (it.final) {
      ++finished;
      continue;
    }
    if (it.doc.state != DocState::kProcessing || lines >= 8) continue;
    const Progress& p = it.doc.progress;
    char counts[48] = "";
    if (p.total > 0)
      std::snprintf(counts, sizeof counts, "%lld/%lld", static_cast<long long>(p.done),
                    static_cast<long long>(p.total));
    frame += "  #" + FitColumns(std::to_string(it.id), 5) +
             FitColumns(fs::path(it.path).filename().string(), 32) + " " + FitColumns(p.stage, 11) +
             " " + Bar(p.done, p.total, 20) + " " + counts + "\n";
    ++lines;
  }
  char overall[64];
  std::snprintf(overall, sizeof overall, " %zu/%zu files", finished, items.size());
  frame += "  " + Bar(static_cast<int64_t>(finished), static_cast<int64_t>(items.size()), 40) +
           overall + "\n";
  ++lines;
  std::fputs(frame.c_str(), stderr);
  std::fflush(stderr);
  *lines_drawn = lines;
}

void PrintTable(const std::vector<Item>& items) {
  std::printf("%s\n", (FitColumns("ID", 7) + FitColumns("STATE", 8) + FitColumns("PAGES", 7) +
                       FitColumns("FILE", 36) + "REASON")
                          .c_str());
  for (const auto& it : items) {
    std::string id = it.id ? std::to_string(it.id) : "-";
    std::string pages =
        it.id && it.doc.state == DocState::kReady ? std::to_string(it.doc.page_count) : "-";
    std::string line = FitColumns(id, 7) + FitColumns(StateText(it), 8) + FitColumns(pages, 7) +
                       FitColumns(fs::path(it.path).filename().string(), 35) + " " + Reason(it);
    std::printf("%s\n", line.c_str());
  }
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
  const library::SubmitDeps submit{app.blobs(), app.documents(), app.categories(),
                                   library::SubmitLimitsFrom(app.config())};
  const bool tty = isatty(2) != 0;

  std::vector<Item> items;
  for (const auto& path : ExpandPaths(options.paths)) {
    Item it;
    it.path = path;
    library::Submission s;
    s.owner = owner->id;
    s.file = path;
    s.filename = fs::path(path).filename().string();
    s.category = options.category;
    s.price = options.price;
    auto submitted = library::Submit(submit, s);
    if (!submitted.ok()) {
      it.error = submitted.error().message;
    } else {
      it.id = submitted->id;
      if (submitted->existed) spdlog::info("import: {} is already document {}", path, it.id);
    }
    if (it.id == 0) {
      it.final = true;
      spdlog::warn("import: {}: {}", path, it.error);
    }
    items.push_back(std::move(it));
  }

  const ingest::WorkerOptions worker_options = app.worker_options();
  const bool recognising = worker_options.ocr_pipeline != nullptr && worker_options.ocr_workers > 0;
  ingest::WorkerPool pool(app.pipeline(), app.jobs(), app.documents(), app.blobs(), app.layout(),
                          worker_options);
  pool.Start();
  size_t lines_drawn = 0;
  size_t finished = 0;
  for (;;) {
    bool all_final = true;
    std::vector<Item> unpacked;
    for (auto& it : items) {
      if (it.final) continue;
      auto doc = app.documents().Find(it.id);
      if (doc.ok()) it.doc = *doc;
      it.final = doc.ok() && IsDone(*doc, recognising);
      all_final = all_final && it.final;
      // An archive's files are documents too: wait for them as well.
      auto members = it.final ? app.documents().Members(it.id)
                              : Result<std::vector<ArchiveMember>>(std::vector<ArchiveMember>{});
      for (const auto& m : members.ok() ? *members : std::vector<ArchiveMember>{}) {
        bool known = m.document_id == it.id;
        for (const auto& other : items) known = known || other.id == m.document_id;
        for (const auto& other : unpacked) known = known || other.id == m.document_id;
        if (m.document_id == 0 || known) continue;
        Item member;
        member.path = it.path + "!/" + m.path;
        member.id = m.document_id;
        member.archive = it.id;
        unpacked.push_back(std::move(member));
        all_final = false;
      }
    }
    for (auto& m : unpacked) items.push_back(std::move(m));
    std::string done_lines;
    for (auto& it : items) {
      if (!it.final || it.reported) continue;
      it.reported = true;
      ++finished;
      char line[4096];
      std::snprintf(line, sizeof line, "[%zu/%zu] %-6s %s%s%s\n", finished, items.size(),
                    StateText(it).c_str(), it.path.c_str(), Reason(it).empty() ? "" : ": ",
                    Reason(it).c_str());
      done_lines += line;
    }
    if (tty) {
      DrawFrame(items, done_lines, &lines_drawn);
    } else if (!options.json) {
      std::fputs(done_lines.c_str(), stderr);
    }
    if (all_final) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  pool.Stop();

  bool any_failed = false;
  for (const auto& it : items) {
    bool failed = it.id == 0 || it.doc.state != DocState::kReady;
    any_failed = any_failed || failed;
    if (options.json) {
      nlohmann::json j{
          {"path", it.path},
          {"archive", it.archive ? nlohmann::json(it.archive) : nlohmann::json(nullptr)},
          {"id", it.id ? nlohmann::json(it.id) : nlohmann::json(nullptr)},
          {"state", StateText(it)},
          {"pages", it.id ? it.doc.page_count : 0},
          {"failure_reason",
           Reason(it).empty() ? nlohmann::json(nullptr) : nlohmann::json(Reason(it))}};
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
  }
  if (!options.json) PrintTable(items);
  std::fflush(stdout);
  return any_failed ? 1 : 0;
}

}  // namespace wenku::app
