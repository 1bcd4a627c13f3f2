// wenku restore DIR — puts a backup made by `wenku backup` (backup_format.hpp) into the data
// folder, which must hold no library yet: no wenku.db, no blob, no derived file (empty
// folders and logs are fine). Refuses a PostgreSQL `database` or S3 `blobs` setting.
//
// Everything is verified before anything is placed: the manifest (format, a schema this
// wenku knows), the database file's hash and every table's row count, every blob's SHA-256
// against its name and the blob count. Then blobs (hard links when possible), derived files,
// and the database last; then the library is opened (migrations of a backup from an older
// wenku run now) and the search index is rebuilt, as the backup has none.
// Exit status 0; 1 when the backup is damaged or incomplete; 2 for bad use (not empty …).
#include <sys/stat.h>

#include <cstdio>
#include <set>

#include "app/backup_format.hpp"
#include "app/commands.hpp"
#include "blob/blob_store.hpp"
#include "core/files.hpp"
#include "storage/migrations.hpp"
#include "storage/table_copy.hpp"

namespace wenku::app {
namespace fs = std::filesystem;

namespace {

// What already makes the data folder a library: the database, a blob, a derived file.
std::string LibraryIn(const DataLayout& layout) {
  std::error_code ec;
  if (fs::exists(layout.database(), ec)) return layout.database().string() + " exists";
  for (const fs::path& dir : {layout.blobs(), layout.derived()}) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (!it->is_directory(ec)) return dir.string() + " holds " + it->path().string();
    }
    ec.clear();
  }
  return "";
}

bool SameFileSystem(const fs::path& a, const fs::path& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev;
}

}  // namespace

int RunRestore(const Config& config, const std::string& backup_dir) {
  auto fail = [](const std::string& m, int status) {
    std::fprintf(stderr, "wenku restore: %s\n", m.c_str());
    return status;
  };
  if (!config.GetString("database").empty() || !config.GetString("blobs").empty()) {
    return fail(
        "restore fills a single-node data folder: the database and blobs settings must "
        "be empty (SQLite and blobs in the data folder)",
        2);
  }
  const fs::path dir = fs::absolute(backup_dir);
  DataLayout layout(config.GetString("data"));
  layout.Create();
  if (std::string found = LibraryIn(layout); !found.empty()) {
    return fail("the data folder " + layout.root().string() + " already holds a library (" + found +
                    "); restore only into an empty data folder",
                2);
  }
  auto m = ReadManifest(dir);
  if (!m.ok()) return fail(m.error().message, m.error().code == ErrorCode::kNotFound ? 2 : 1);
  if (m->schema_version > storage::LatestSchemaVersion()) {
    return fail("the backup has schema version " + std::to_string(m->schema_version) +
                    ", newer than this wenku knows; upgrade wenku",
                1);
  }

  // 1. Verify the database file and its rows.
  auto db_hash = Sha256File(dir / "wenku.db");
  if (!db_hash.ok()) return fail(db_hash.error().message, 1);
  if (*db_hash != m->database_sha256) {
    return fail("wenku.db in the backup does not match the manifest's hash (damaged)", 1);
  }
  const fs::path staged = layout.tmp() / ("restore-" + UniqueTempName());
  std::error_code ec;
  fs::copy_file(dir / "wenku.db", staged, ec);
  if (ec) return fail("cannot copy the database: " + ec.message(), 1);
  auto cleanup = [&] { fs::remove(staged, ec); };
  std::vector<std::string> named;
  {
    auto db = storage::OpenSqlite(staged.string());
    if (!db.ok()) return cleanup(), fail(db.error().message, 1);
    for (const auto& [table, rows] : m->tables) {
      auto n = storage::CountRows(**db, table);
      if (!n.ok() || *n != rows) {
        cleanup();
        return fail("table " + table + " has " + (n.ok() ? std::to_string(*n) : "no") +
                        " rows, the manifest says " + std::to_string(rows),
                    1);
      }
    }
    auto blobs = storage::NamedBlobs(**db);
    if (!blobs.ok()) return cleanup(), fail(blobs.error().message, 1);
    named = std::move(blobs).value();
  }
  // 2. Verify every blob (the rows' and the manifest's count).
  if (static_cast<int64_t>(named.size()) != m->blobs) {
    cleanup();
    return fail("the database names " + std::to_string(named.size()) + " blobs, the manifest " +
                    std::to_string(m->blobs),
                1);
  }
  ProgressLine verify("verify", m->blobs);
  int64_t checked = 0;
  for (const auto& sha : named) {
    auto hash = blob::IsBlobName(sha)
                    ? Sha256File(BlobPathIn(dir / "blobs", sha))
                    : Result<std::string>(MakeError(ErrorCode::kInvalidInput, ""));
    if (!hash.ok() || *hash != sha) {
      cleanup();
      return fail("blob " + sha + (hash.ok() ? " is damaged (its hash differs)" : " is missing"),
                  1);
    }
    verify.Update(++checked);
  }
  verify.Finish();

  // 3. Place blobs, derived files, then the database.
  const bool link = SameFileSystem(dir, layout.root());
  ProgressLine place("blobs", m->blobs);
  int64_t placed = 0;
  for (const auto& sha : named) {
    auto size =
        PlaceBlob(BlobPathIn(dir / "blobs", sha), BlobPathIn(layout.blobs(), sha), sha, link);
    if (!size.ok()) return cleanup(), fail(size.error().message, 1);
    place.Update(++placed);
  }
  place.Finish();
  int64_t derived = 0;
  if (m->derived) {
    auto files = CopyTree(dir / "derived", layout.derived());
    if (!files.ok()) return cleanup(), fail(files.error().message, 1);
    derived = *files;
  }
  if (Status s = DurableRename(staged, layout.database()); !s.ok()) {
    return cleanup(), fail(s.error().message, 1);
  }

  // 4. Open it (pending migrations run) and rebuild the search index.
  auto app = App::Open(config);
  if (!app.ok()) return fail(app.error().message, 1);
  std::printf("restored %s into %s: %lld blobs, %lld derived files%s\n", dir.c_str(),
              layout.root().c_str(), static_cast<long long>(placed),
              static_cast<long long>(derived),
              m->derived ? "" : " (the backup has none: covers are missing until re-ingest)");
  std::printf("rebuilding the search index…\n");
  return RunReindex(**app, true) == 0 ? 0 : 1;
}

}  // namespace wenku::app
