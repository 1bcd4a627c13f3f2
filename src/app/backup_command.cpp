// wenku backup DIR [--without-derived] — a backup of a single-node library (SQLite + blobs in
// the data folder) into the new or empty folder DIR, while the site runs. Format and the
// choice about derived files: backup_format.hpp.
//
// Order: the database first (online backup API: one consistent moment), then exactly the
// blobs its rows name — uploads after that moment are not in this backup, and none it names
// can be missing because blobs are only removed once no row names them —, then derived files,
// then the manifest. Refuses: a PostgreSQL database or S3 blobs (back those up with their
// own tools), a DIR that is not empty. Exit status 0, 1 when the backup failed (DIR then has
// no manifest and restore refuses it), 2 for bad use.
#include <sys/stat.h>

#include <cstdio>

#include "app/backup_format.hpp"
#include "app/commands.hpp"
#include "blob/blob_store.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_backup.hpp"
#include "storage/table_copy.hpp"

namespace wenku::app {
namespace fs = std::filesystem;

namespace {

bool SameFileSystem(const fs::path& a, const fs::path& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev;
}

}  // namespace

int RunBackup(const Config& config, const BackupOptions& options) {
  auto fail = [](const std::string& m, int status) {
    std::fprintf(stderr, "wenku backup: %s\n", m.c_str());
    return status;
  };
  if (!config.GetString("database").empty()) {
    return fail(
        "the database is PostgreSQL: back it up with pg_dump or pg_basebackup "
        "(wenku backup covers the single-node default, SQLite in the data folder)",
        2);
  }
  if (!config.GetString("blobs").empty()) {
    return fail(
        "the blobs are in S3: use the bucket's own backup (versioning, replication); "
        "wenku backup covers blobs in the data folder",
        2);
  }
  DataLayout layout(config.GetString("data"));
  std::error_code ec;
  if (!fs::exists(layout.database(), ec)) {
    return fail("there is no library at " + layout.root().string() + " (no wenku.db)", 2);
  }
  const fs::path dir = fs::absolute(options.dir);
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return fail(dir.string() + " is not empty: back up into a new or empty folder", 2);
  }
  fs::create_directories(dir / "blobs", ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message(), 1);

  BackupManifest m;
  m.created_at = SystemClock().NowMs();
  if (Status s = storage::BackupSqliteFile(layout.database(), dir / "wenku.db"); !s.ok()) {
    return fail(s.error().message, 1);
  }
  std::vector<std::string> named;
  {
    auto db = storage::OpenSqlite((dir / "wenku.db").string());
    if (!db.ok()) return fail(db.error().message, 1);
    auto version = (*db)->QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!version.ok()) return fail(version.error().message, 1);
    m.schema_version = version->Int(0);
    auto tables = storage::ListTables(**db);
    if (!tables.ok()) return fail(tables.error().message, 1);
    for (const auto& t : *tables) {
      auto n = storage::CountRows(**db, t.name);
      if (!n.ok()) return fail(n.error().message, 1);
      m.tables[t.name] = *n;
    }
    auto blobs = storage::NamedBlobs(**db);
    if (!blobs.ok()) return fail(blobs.error().message, 1);
    named = std::move(blobs).value();
  }  // closed: the WAL is folded back into the one file
  auto db_hash = Sha256File(dir / "wenku.db");
  if (!db_hash.ok()) return fail(db_hash.error().message, 1);
  m.database_sha256 = *db_hash;

  const bool link = SameFileSystem(layout.blobs(), dir);
  blob::FsBlobStore source(layout.blobs(), layout.tmp());
  ProgressLine progress("blobs", static_cast<int64_t>(named.size()));
  for (const auto& sha : named) {
    if (!blob::IsBlobName(sha)) return fail("a row names the blob \"" + sha + "\": not a hash", 1);
    auto path = source.LocalPath(sha, layout.tmp());  // the stored file itself
    if (!path.ok()) return fail("blob " + sha + " is named by a row but missing on disk", 1);
    auto size = PlaceBlob(*path, BlobPathIn(dir / "blobs", sha), sha, link);
    if (!size.ok()) return fail(size.error().message, 1);
    ++m.blobs;
    m.blob_bytes += *size;
    progress.Update(m.blobs);
  }
  progress.Finish();
  m.derived = !options.without_derived;
  if (m.derived) {
    auto files = CopyTree(layout.derived(), dir / "derived");
    if (!files.ok()) return fail(files.error().message, 1);
    m.derived_files = *files;
  }
  if (Status s = WriteManifest(dir, m); !s.ok()) return fail(s.error().message, 1);
  int64_t rows = 0;
  for (const auto& [name, n] : m.tables) rows += n;
  std::printf(
      "backed up %s: schema version %lld, %zu tables, %lld rows, %lld blobs (%lld bytes, %s)%s\n",
      dir.c_str(), static_cast<long long>(m.schema_version), m.tables.size(),
      static_cast<long long>(rows), static_cast<long long>(m.blobs),
      static_cast<long long>(m.blob_bytes), link ? "hard links" : "copies",
      m.derived ? (", " + std::to_string(m.derived_files) + " derived files").c_str()
                : ", derived files left out");
  return 0;
}

}  // namespace wenku::app
