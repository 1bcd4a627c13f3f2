// The CLI's commands, one file each (import_command.cpp, show_command.cpp, …). Each returns
// the process exit status; main.cpp only parses flags and calls one of these.
#pragma once

#include <string>
#include <vector>

#include "app/app.hpp"

namespace wenku::app {

// Prints every setting with its value and source (the database's value for runtime settings
// changed on /admin/settings, read when the database exists). Exit status 0.
int RunConfig(const Config& config);

struct ImportOptions {
  std::vector<std::string> paths;
  std::string owner = "admin";
  std::string category;
  int64_t price = 0;
  bool json = false;
};
// Stores every file (folders walked lazily) and queues it, with at most ingest.workers × 8
// (at least 16) documents in flight at once, and runs the ingest workers until each of them
// is ready or failed: progress bars with files per second and an ETA on a terminal; otherwise
// one line per finished file and a summary line every 5 s on stderr; --json: one JSON object
// per finished file as it finishes. Then a table: every file for at most 50, else the
// failures only; and a summary line. A file already imported (same path, size and mtime, or
// the same bytes) is skipped — waited for when its document is not finished yet — so an
// interrupted import finishes when run again. SIGINT/SIGTERM: no more files are submitted,
// running conversions finish (a second signal quits at once), the rest stays queued.
// Exit status 0; 1 when any file failed; 130 when interrupted.
int RunImport(App& app, const ImportOptions& options);

// Prints a document (its facts, progress, failure reason and the text of every page);
// as JSON shaped like GET /api/v1/documents/{id}. Exit status 1 when there is no such document.
int RunShow(App& app, int64_t id, bool json);

// Compares database rows with the blob store and derived files; prints each problem.
// With `repair`, removes orphan blobs and rows older than a minute. Exit status 1 when a
// problem remains.
int RunCheck(App& app, bool repair);

// Rebuilds the search index from the database (resumable; see reindex_command.cpp).
int RunReindex(App& app, bool restart);

// Gives near-duplicate signatures to published and taken-down documents that have none
// (those published before migration 6); see fingerprint_command.cpp.
int RunFingerprint(App& app);

struct SearchOptions {
  std::string query;
  std::string category;
  std::string format;
  std::string sort;  // "", "newest", "downloads"
  int64_t page = 1;
  bool json = false;
};
// Searches as the operator: every page holding the words, snippets from any page; prints
// the hits (or JSON shaped like the API).
int RunSearch(App& app, const SearchOptions& options);

// Prints the route table (method, pattern, role, body); as JSON with `json`. Needs no data
// folder. Exit status 0.
int RunRoutes(bool json);

// Runs ingest workers until SIGINT/SIGTERM.
int RunWorker(App& app);

// Prints the path of page `n`'s image, drawing it when it does not exist yet.
int RunPageImage(App& app, int64_t id, int64_t n);

struct ServeOptions {
  std::string listen;  // HOST:PORT; "" for the web.listen setting
  bool no_workers = false;
};
// Serves the website (and runs the ingest workers) until SIGINT/SIGTERM.
int RunServe(App& app, const ServeOptions& options);

struct UserAddOptions {
  std::string name;
  std::string role = "user";
  std::string password;  // "" : generated and printed
};
// Creates an account, or sets an existing one's password and role.
int RunUserAdd(App& app, const UserAddOptions& options);

// wenku ledger check — recomputes every transaction's sum and every account's balance; one
// line per difference. Exit status 1 when there is any.
int RunLedgerCheck(App& app);

struct PointsGrantOptions {
  std::string user;
  int64_t points = 0;
  std::string memo;
};
// wenku points grant USER N [--memo TEXT] — gives a user points from the platform's grants.
int RunPointsGrant(App& app, const PointsGrantOptions& options);
// wenku points show USER [--json] — balance, pending earnings and the latest ledger entries.
int RunPointsShow(App& app, const std::string& user, bool json);
// wenku points settle — moves matured pending earnings to wallets.
int RunPointsSettle(App& app);

struct BackupOptions {
  std::string dir;
  bool without_derived = false;
};
// wenku backup DIR [--without-derived] — the SQLite database (online backup API), every blob
// its rows name and the derived files into a new or empty DIR, with a manifest (format:
// backup_format.hpp). Needs no App: it never migrates or changes the live library.
// Exit status 0; 1 when it failed; 2 for bad use (PostgreSQL/S3 library, DIR not empty).
int RunBackup(const Config& config, const BackupOptions& options);

// wenku restore DIR — verifies a backup (manifest, database hash, row counts, every blob's
// hash) and puts it into the data folder, which must hold no library; then opens it and
// rebuilds the search index. Exit status 0; 1 when the backup is damaged; 2 for bad use.
int RunRestore(const Config& config, const std::string& dir);

struct MigrateToOptions {
  std::string database;  // postgresql://…
  std::string blobs;     // s3://bucket?endpoint=…&region=…
  size_t batch = 500;    // rows per transaction
  // Test hook: stop with an error once this many rows are copied (0: never).
  int64_t fail_after_rows = 0;
};
// wenku migrate-to — copies this SQLite + local-blobs library into PostgreSQL + S3, resumable
// and verified (see migrate_to_command.cpp). Exit status 0 when verified; 1 when the copy or
// the verification failed (run again to continue); 2 for bad use or an unusable target.
int RunMigrateTo(App& app, const MigrateToOptions& options);

}  // namespace wenku::app
