// ImportFileStore: what `wenku import` recorded about each file it stored (migration 21,
// table `import_files`), so that running the same import again skips the files already
// imported without reading them (app/import_command.cpp).
//
// Contract:
// - One row per owner and path: the file's size and modification time (nanoseconds since the
//   epoch) when it was stored, the document made from it and that document's blob hash.
//   `path` is what the importer names the file by (its absolute path); any bytes: stored as
//   itself when valid UTF-8, else as "x:" and its bytes in hex (PostgreSQL's TEXT takes
//   UTF-8 only; an absolute path never starts with "x:").
// - Unchanged answers the document only while the file looks the same (equal size AND
//   mtime) and the document still exists and still belongs to `owner`; a deleted document
//   takes its rows with it (ON DELETE CASCADE). A file changed in place with the same size
//   and mtime is taken as unchanged (as rsync does); anything else falls back to the bytes
//   (library::Submit finds the same bytes of the same owner).
// - Record inserts or replaces the row, one statement.
// Errors: kIo (the database failed); Record: kNotFound (no such document).
// Threading: safe for concurrent use (the Database serialises).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

// A file as the importer saw it when it stored it.
struct ImportedFile {
  int64_t size = 0;
  int64_t mtime_ns = 0;
  DocumentId document_id = 0;
  std::string sha256;  // the document's blob
  int64_t recorded_at = 0;
};

class ImportFileStore {
 public:
  ImportFileStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The document `owner` imported from `path` when it had this size and mtime, while that
  // document exists and is the owner's; nullopt otherwise.
  Result<std::optional<DocumentId>> Unchanged(UserId owner, const std::string& path, int64_t size,
                                              int64_t mtime_ns);
  // Records that `owner`'s file at `path`, of this size and mtime, is `document`.
  Status Record(UserId owner, const std::string& path, int64_t size, int64_t mtime_ns,
                DocumentId document);
  // The row as recorded (nullopt: none).
  Result<std::optional<ImportedFile>> Find(UserId owner, const std::string& path);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
