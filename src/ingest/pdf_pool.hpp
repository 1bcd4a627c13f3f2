// PdfPool: K warm pdf tool children (`wenku-convert __pdf serve`, pdf_tool.hpp), so a PDF's
// text, page images and OCR rasters are made without starting a process and a sandbox per
// call (and Poppler's and fontconfig's global state are made once per child, not per file).
//
// Contract:
//   - Each child runs in a sandbox of its own (sandbox.hpp: bubblewrap, seccomp, no network,
//     the same rlimits as cold children), started on first use, not at construction. Of the
//     data folder it sees only its exchange folder DATA/convert/warm-N/exchange (its cwd and
//     TMPDIR).
//   - For each call: the exchange folder is emptied, a copy of the PDF is put in (a copy,
//     never a link to the blob), the child is sent one command (the cold tool's arguments,
//     paths inside the exchange folder), its results are copied out to the caller's folder
//     (regular files only, never through a link, each at most limits.file_size_mb; a link or
//     special file among them fails the call as it fails a cold child), and the exchange
//     folder is emptied again: a child never sees another document's files.
//   - The calling thread waits for the command's last line with a deadline of
//     limits.timeout_ms (the watchdog): past it the child is killed. A child that is killed,
//     crashes, exceeds a limit or exits is replaced by a fresh one on the next call; the
//     current call gets the cold path's Status, with the same sentences (tool_runner.hpp's
//     OutcomeStatus: "… took longer than 300 seconds, so it was stopped; …").
//   - CPU: each command gets limits.cpu_seconds from the moment it starts (the child moves
//     its soft RLIMIT_CPU on; the hard limit is twice that, and a child that has used more
//     than limits.cpu_seconds in all is replaced). Memory: RLIMIT_AS as cold children.
//   - A child is replaced after `recycle_after` commands or when it (with its sandbox) holds
//     more than `max_rss_mb` resident after a command.
//   - A call when every child is busy does not wait: Run answers nullopt and the caller runs
//     a cold child (so the web's page drawings never queue behind ingest).
//
// Threading: Run may be called from many threads; each call holds one child.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/process_runner.hpp"
#include "core/result.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku {
class Sandbox;
}

namespace wenku::ingest {

struct PdfPoolOptions {
  int processes = 2;             // warm children (ingest.workers)
  int recycle_after = 200;       // commands per child before a fresh one
  long max_rss_mb = 400;         // resident memory above which a child is replaced
  ProcessLimits limits;          // per command, as for cold children
  std::filesystem::path folder;  // DATA/convert: warm-N/exchange per child
  std::string tool;              // the wenku-convert (or wenku) executable
  Sandbox* sandbox = nullptr;    // where the children run
};

class PdfPool {
 public:
  explicit PdfPool(PdfPoolOptions options);
  ~PdfPool();
  PdfPool(const PdfPool&) = delete;
  PdfPool& operator=(const PdfPool&) = delete;

  // Runs `command` ("text", "render" or "raster") on a copy of `pdf` in an idle warm child:
  // `command IN OUT args…`, OUT being the file `out_file` inside the child's output folder,
  // or that folder itself when `out_file` is empty. Every file the child wrote there is
  // copied into `out_dir` (which must exist). `doing` names the work for messages; progress
  // lines go to `progress`, other lines ("blank N") to `lines` when given.
  // Returns nullopt when every child is busy. Errors: the child's own document error;
  // kTimeout, kResourceLimit, kConversionFailed as for a cold child; kIo (the exchange
  // folder, a child that cannot start); kUnavailable (the sandbox is not ready).
  std::optional<Status> Run(const std::string& doing, const std::string& command,
                            const std::filesystem::path& pdf, const std::string& out_file,
                            const std::vector<std::string>& args,
                            const std::filesystem::path& out_dir, const ProgressFn& progress,
                            std::vector<std::string>* lines = nullptr);

  // For tests: the process id of child `slot` while one is running, else 0.
  pid_t ChildPid(int slot) const;
  // For tests: child `slot`'s exchange folder.
  std::filesystem::path ExchangeFolder(int slot) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wenku::ingest
