// wenku migrate-to --database postgresql://… --blobs s3://… — copies this single-node library
// (SQLite + blobs in the data folder) into PostgreSQL + an S3 bucket, for running many nodes.
// Stop the site first: rows written during the copy may be missed (verification then fails).
//
// Steps, each printed with a progress bar on a terminal (plain lines otherwise):
//  1. The target database is migrated to this wenku's schema.
//  2. Identity: the source's library id (library_marks, made once) is recorded on the target
//     as `copied_from`. A target that holds another library — a different copied_from, or
//     any rows beyond what migrations insert — is refused: nothing is written to it.
//  3. Rows: every table in foreign-key order (storage/table_copy.hpp), in key-ordered batches
//     of one transaction each; rows already there are overwritten (append-only tables: kept),
//     a finished table is marked and skipped when run again. Then the identity sequences are
//     set past the largest ids.
//  4. Blobs: every blob of the source store (originals, proofs) uploaded unless the target
//     already has it (resumable).
//  5. Derived files (covers, page images, converted PDFs, page failure markers): every file
//     under the source's derived/<id>/ put into the target's derived store unless a file of
//     that name and size is there already (resumable).
//  6. Verification: every table's row count equal on both sides; every blob read back from
//     the target and its SHA-256 compared with its name (a read-back hash, not the S3 ETag,
//     which is no MD5 for multipart uploads). Then `copy_verified_at` is marked.
// Run again after any failure: it continues. Exit status 0 when verified; 1 when the copy
// or verification failed; 2 for bad use (target unreachable, wrong keys, not empty …).
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "app/backup_format.hpp"
#include "app/commands.hpp"
#include "blob/derived_store.hpp"
#include "blob/s3_blob_store.hpp"
#include "core/files.hpp"
#include "storage/migrations.hpp"
#include "storage/table_copy.hpp"

namespace wenku::app {
namespace {

// Copies the local derived folder (derived/<id>/<name>) into `target`, skipping files the
// target already holds with the same size. Returns how many files were uploaded.
Result<int64_t> CopyDerivedFiles(App& app, blob::DerivedStore& target) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<int64_t, fs::path>> files;
  for (const auto& doc : fs::directory_iterator(app.layout().derived(), ec)) {
    char* end = nullptr;
    const std::string dirname = doc.path().filename().string();
    const long long id = std::strtoll(dirname.c_str(), &end, 10);
    if (id <= 0 || *end != '\0' || !doc.is_directory()) continue;
    for (const auto& f : fs::recursive_directory_iterator(doc.path(), ec)) {
      if (f.is_regular_file()) files.emplace_back(id, f.path());
    }
  }
  ProgressLine line("derived files", static_cast<int64_t>(files.size()));
  int64_t uploaded = 0, n = 0;
  for (const auto& [id, path] : files) {
    const std::string name = path.lexically_relative(app.layout().derived(id)).generic_string();
    if (!blob::IsDerivedName(name)) continue;  // a stray temp file
    auto there = target.Stat(id, name);
    if (!there.ok() || there->size != static_cast<int64_t>(fs::file_size(path, ec))) {
      if (Status s = target.PutFile(id, name, path); !s.ok()) {
        line.Finish();
        return MakeError(s.error().code, "uploading derived file " + std::to_string(id) + "/" +
                                             name + ": " + s.error().message +
                                             " (run again to continue)");
      }
      ++uploaded;
    }
    line.Update(++n);
  }
  line.Finish();
  std::printf("derived files: %lld (%lld uploaded now)\n", static_cast<long long>(files.size()),
              static_cast<long long>(uploaded));
  return uploaded;
}

Result<std::string> ReadBackHash(blob::BlobStore& store, const std::string& sha) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  Status s = store.Read(sha, {}, [&](std::string_view chunk) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                              chunk.size());
    return true;
  });
  if (!s.ok()) return s.error();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, out);
  return DigestHex(out, sizeof out);
}

}  // namespace

int RunMigrateTo(App& app, const MigrateToOptions& options) {
  auto fail = [](const std::string& m, int status) {
    std::fprintf(stderr, "wenku migrate-to: %s\n", m.c_str());
    return status;
  };
  if (!storage::IsPostgresUrl(options.database)) {
    return fail("--database must be a postgresql://user@host:port/db URL", 2);
  }
  if (options.blobs.rfind("s3://", 0) != 0) {
    return fail("--blobs must be an s3://bucket?endpoint=…&region=… URL", 2);
  }
  if (app.db().dialect() != storage::Dialect::kSqlite || !app.config().GetString("blobs").empty()) {
    return fail(
        "the configured library is not the single-node default (SQLite and blobs in "
        "the data folder): nothing to migrate from",
        2);
  }
  // 1. The target, reachable and migrated.
  auto target = storage::OpenPostgres(options.database, 2);
  if (!target.ok()) return fail("cannot reach the target database: " + target.error().message, 2);
  storage::Database& to = **target;
  auto migrated = storage::Migrate(to);
  if (!migrated.ok()) {
    return fail("cannot migrate the target database: " + migrated.error().message, 2);
  }
  auto target_stores = blob::OpenStores(options.blobs, app.layout().tmp() / "migrate-blobs",
                                        app.layout().tmp() / "migrate-derived", app.layout().tmp());
  if (!target_stores.ok()) {
    return fail("cannot use the target bucket: " + target_stores.error().message, 2);
  }

  // 2. Same library, or an empty target.
  auto tables = storage::ListTables(app.db());
  if (!tables.ok()) return fail(tables.error().message, 1);
  auto source_id = storage::LibraryId(app.db());
  if (!source_id.ok()) return fail(source_id.error().message, 1);
  auto copied_from = storage::GetMark(to, storage::kCopiedFrom);
  if (!copied_from.ok()) return fail(copied_from.error().message, 1);
  if (*copied_from && **copied_from != *source_id) {
    return fail("the target database holds a copy of another library (" + **copied_from +
                    "; this one is " + *source_id + "): refusing to mix them",
                2);
  }
  if (!*copied_from) {
    auto rows = storage::RowsBeyondMigrations(to, *tables);
    if (!rows.ok()) return fail(rows.error().message, 1);
    if (*rows > 0) {
      return fail("the target database already holds a library (" + std::to_string(*rows) +
                      " rows): migrate-to copies only into an empty database",
                  2);
    }
    if (Status s = storage::SetMark(to, storage::kCopiedFrom, *source_id, app.clock().NowMs());
        !s.ok()) {
      return fail(s.error().message, 1);
    }
  } else {
    std::printf("resuming the copy of library %s\n", source_id->c_str());
  }

  // 3. Rows.
  std::map<std::string, int64_t> source_counts;
  int64_t total_rows = 0;
  for (const auto& t : *tables) {
    auto n = storage::CountRows(app.db(), t.name);
    if (!n.ok()) return fail(n.error().message, 1);
    source_counts[t.name] = *n;
    total_rows += *n;
  }
  ProgressLine rows_line("rows", total_rows);
  int64_t rows_done = 0, rows_this_run = 0;
  for (const auto& t : *tables) {
    auto done = storage::GetMark(to, storage::TableDoneMark(t.name));
    if (!done.ok()) return fail(done.error().message, 1);
    if (*done) {
      rows_done += source_counts[t.name];
      rows_line.Update(rows_done);
      continue;
    }
    const int64_t before = rows_done;
    auto copied = storage::CopyTable(app.db(), to, t, options.batch, [&](int64_t n) -> Status {
      rows_line.Update(before + n);
      if (options.fail_after_rows > 0 && before + n >= options.fail_after_rows) {
        return MakeError(ErrorCode::kIo,
                         "stopped after " + std::to_string(before + n) + " rows (test hook)");
      }
      return {};
    });
    if (!copied.ok()) {
      rows_line.Finish();
      return fail(copied.error().message + " (run again to continue)", 1);
    }
    rows_done += *copied;
    rows_this_run += *copied;
    if (Status s = storage::SetMark(to, storage::TableDoneMark(t.name), std::to_string(*copied),
                                    app.clock().NowMs());
        !s.ok()) {
      return fail(s.error().message, 1);
    }
  }
  rows_line.Finish();
  if (Status s = storage::ResetIdentities(to, *tables); !s.ok()) return fail(s.error().message, 1);

  // 4. Blobs.
  std::vector<std::string> blobs = app.blobs().List();
  std::set<std::string> have(blobs.begin(), blobs.end());
  auto named = storage::NamedBlobs(app.db());
  if (!named.ok()) return fail(named.error().message, 1);
  for (const auto& sha : *named) {
    if (!have.count(sha)) {
      return fail("blob " + sha + " is named by a row but missing from " +
                      app.layout().blobs().string() + " (run wenku check)",
                  1);
    }
  }
  blob::BlobStore& dst = *target_stores->blobs;
  ProgressLine blobs_line("blobs", static_cast<int64_t>(blobs.size()));
  int64_t uploaded = 0, present = 0, n = 0;
  for (const auto& sha : blobs) {
    if (dst.Exists(sha)) {
      ++present;
    } else {
      auto path = app.blobs().LocalPath(sha, app.layout().tmp());  // local: the stored file
      if (!path.ok()) return fail("blob " + sha + ": " + path.error().message, 1);
      auto ref = dst.PutFile(*path);
      if (!ref.ok()) {
        blobs_line.Finish();
        return fail(
            "uploading blob " + sha + ": " + ref.error().message + " (run again to continue)", 1);
      }
      if (ref->sha256 != sha) {
        return fail("blob " + sha + " in " + app.layout().blobs().string() +
                        " is damaged (its content hashes to " + ref->sha256 + ")",
                    1);
      }
      ++uploaded;
    }
    blobs_line.Update(++n);
  }
  blobs_line.Finish();

  // 5. Derived files.
  auto derived = CopyDerivedFiles(app, *target_stores->derived);
  if (!derived.ok()) return fail(derived.error().message, 1);

  // 6. Verify.
  int problems = 0;
  for (const auto& t : *tables) {
    auto on_target = storage::CountRows(to, t.name);
    if (!on_target.ok()) return fail(on_target.error().message, 1);
    if (*on_target != source_counts[t.name]) {
      std::printf("problem: table %s has %lld rows here and %lld on the target\n", t.name.c_str(),
                  static_cast<long long>(source_counts[t.name]),
                  static_cast<long long>(*on_target));
      ++problems;
    }
  }
  ProgressLine verify_line("verify", static_cast<int64_t>(blobs.size()));
  n = 0;
  for (const auto& sha : blobs) {
    auto hash = ReadBackHash(dst, sha);
    if (!hash.ok()) {
      std::printf("problem: blob %s on the target: %s\n", sha.c_str(),
                  hash.error().message.c_str());
      ++problems;
    } else if (*hash != sha) {
      std::printf("problem: blob %s on the target hashes to %s\n", sha.c_str(), hash->c_str());
      ++problems;
    }
    verify_line.Update(++n);
  }
  verify_line.Finish();
  if (problems > 0) {
    return fail(std::to_string(problems) + " problem(s): the target is not a faithful copy", 1);
  }
  if (Status s = storage::SetMark(to, storage::kCopyVerifiedAt, std::to_string(app.clock().NowMs()),
                                  app.clock().NowMs());
      !s.ok()) {
    return fail(s.error().message, 1);
  }
  std::printf(
      "migrated library %s: %zu tables, %lld rows (%lld copied now), %zu blobs (%lld uploaded now, "
      "%lld already there)\nverified: row counts equal, every blob read back and its SHA-256 "
      "checked\nnext: set database and blobs in wenku.toml on every node to the URLs given "
      "here\n",
      source_id->c_str(), tables->size(), static_cast<long long>(total_rows),
      static_cast<long long>(rows_this_run), blobs.size(), static_cast<long long>(uploaded),
      static_cast<long long>(present));
  return 0;
}

}  // namespace wenku::app
