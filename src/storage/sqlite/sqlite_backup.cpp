// SQLite online backup (sqlite_backup.hpp).
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <thread>

#include "storage/sqlite_backup.hpp"

namespace wenku::storage {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

Error Failed(sqlite3* db, const std::string& what) {
  return MakeError(ErrorCode::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Status BackupSqliteFile(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    return MakeError(ErrorCode::kConflict, to.string() + " already exists");
  }
  sqlite3* raw = nullptr;
  // Read-write without CREATE: a read-only handle cannot always open a WAL database.
  int rc = sqlite3_open_v2(from.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Handle src(raw);
  if (rc != SQLITE_OK) return Failed(raw, "cannot open the database " + from.string());
  sqlite3_busy_timeout(src.get(), 10000);
  raw = nullptr;
  rc = sqlite3_open_v2(to.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Handle dst(raw);
  if (rc != SQLITE_OK) return Failed(raw, "cannot create " + to.string());
  sqlite3_backup* backup = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
  if (!backup) return Failed(dst.get(), "cannot start the backup");
  // Step by 1024 pages; when a writer holds a lock, wait and go on (another connection's
  // write restarts the copy from the start, which sqlite3_backup_step does by itself).
  for (;;) {
    rc = sqlite3_backup_step(backup, 1024);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) continue;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Failed(dst.get(), "the backup of " + from.string() + " failed");
  // The copy inherits WAL mode; a backup should be one self-contained file.
  char* err = nullptr;
  if (sqlite3_exec(dst.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, &err) !=
      SQLITE_OK) {
    std::string m = err ? err : "";
    sqlite3_free(err);
    return MakeError(ErrorCode::kIo, "backup: " + m);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(dst.get(), "PRAGMA integrity_check", -1, &stmt, nullptr) != SQLITE_OK) {
    return Failed(dst.get(), "cannot check the backup");
  }
  std::string verdict;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(stmt, 0);
    verdict = t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(stmt);
  if (verdict != "ok") {
    return MakeError(ErrorCode::kIo, "the backup of the database is damaged: " + verdict);
  }
  return {};
}

}  // namespace wenku::storage
