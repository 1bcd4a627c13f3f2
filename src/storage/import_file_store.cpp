#include "storage/import_file_store.hpp"

#include "core/text.hpp"

namespace wenku::storage {
namespace {

// The stored form of a path (see the header).
std::string PathKey(const std::string& path) {
  if (IsValidUtf8(path)) return path;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string key = "x:";
  for (unsigned char c : path) {
    key += kDigits[c >> 4];
    key += kDigits[c & 15];
  }
  return key;
}

}  // namespace

Result<std::optional<DocumentId>> ImportFileStore::Unchanged(UserId owner, const std::string& path,
                                                             int64_t size, int64_t mtime_ns) {
  auto rows = db_.Query(
      "SELECT f.document_id FROM import_files f "
      "JOIN documents d ON d.id = f.document_id AND d.owner_id = f.owner_id "
      "WHERE f.owner_id = ? AND f.path = ? AND f.size = ? AND f.mtime_ns = ?",
      {owner, PathKey(path), size, mtime_ns});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<DocumentId>();
  return std::optional<DocumentId>((*rows)[0].Int(0));
}

Status ImportFileStore::Record(UserId owner, const std::string& path, int64_t size,
                               int64_t mtime_ns, DocumentId document) {
  auto rows = db_.Query(
      "INSERT INTO import_files (owner_id, path, size, mtime_ns, sha256, document_id, "
      "recorded_at) SELECT ?, ?, ?, ?, blob_sha256, id, ? FROM documents WHERE id = ? "
      "ON CONFLICT (owner_id, path) DO UPDATE SET size = excluded.size, "
      "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
      "document_id = excluded.document_id, recorded_at = excluded.recorded_at "
      "RETURNING document_id",
      {owner, PathKey(path), size, mtime_ns, clock_.NowMs(), document});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
  }
  return {};
}

Result<std::optional<ImportedFile>> ImportFileStore::Find(UserId owner, const std::string& path) {
  auto rows = db_.Query(
      "SELECT size, mtime_ns, document_id, sha256, recorded_at FROM import_files "
      "WHERE owner_id = ? AND path = ?",
      {owner, PathKey(path)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<ImportedFile>();
  const Row& r = (*rows)[0];
  return std::optional<ImportedFile>(
      ImportedFile{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4)});
}

}  // namespace wenku::storage
