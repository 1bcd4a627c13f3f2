// The backup folder that `wenku backup DIR` writes and `wenku restore DIR` reads:
//   DIR/wenku.db              the SQLite database (online backup API: consistent while the site
//   runs) DIR/blobs/ab/cd/<sha256>  every blob the rows name (originals, report/claim proofs), the
//                             layout of the data folder's blobs/; hard links when DIR is on the
//                             data folder's file system (blobs never change), else copies;
//                             each verified by its SHA-256, which is its name
//   DIR/derived/<id>/…        covers, page images, converted PDFs (unless --without-derived)
//   DIR/manifest.json         written last (its presence marks a complete backup):
//     {"format": "wenku-backup", "version": 1, "schema_version": N, "created_at": ms,
//      "database_sha256": hex, "tables": {name: rows}, "blobs": n, "blob_bytes": n,
//      "derived": bool, "derived_files": n}
//
// Why derived files are in by default: covers and converted PDFs are drawn only at ingest
// (page images are drawn again on demand, covers are not), so a restore without them shows
// no covers until every document is ingested again. `--without-derived` leaves them out
// (a smaller backup, e.g. when derived/ is backed up by other means).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/result.hpp"

namespace wenku::app {

struct BackupManifest {
  int64_t version = 1;
  int64_t schema_version = 0;
  int64_t created_at = 0;
  std::string database_sha256;
  std::map<std::string, int64_t> tables;
  int64_t blobs = 0;
  int64_t blob_bytes = 0;
  bool derived = false;
  int64_t derived_files = 0;
};

inline constexpr int64_t kBackupVersion = 1;

std::filesystem::path BlobPathIn(const std::filesystem::path& blobs_root, const std::string& sha);

// Writes DIR/manifest.json atomically. Errors: kIo.
Status WriteManifest(const std::filesystem::path& dir, const BackupManifest& m);
// Reads DIR/manifest.json. Errors: kNotFound (no manifest: not a backup, or an unfinished
// one), kInvalidInput (not ours, or a newer format).
Result<BackupManifest> ReadManifest(const std::filesystem::path& dir);

// Puts the blob file `from` at `to` (a hard link when `link` and possible, else a copy),
// then hashes `to`: kCorrupt when its SHA-256 is not `sha`. Returns the size. Errors: kIo.
Result<int64_t> PlaceBlob(const std::filesystem::path& from, const std::filesystem::path& to,
                          const std::string& sha, bool link);

// Copies the folder tree `from` to `to` (regular files only, links skipped). Returns how
// many files. Errors: kIo.
Result<int64_t> CopyTree(const std::filesystem::path& from, const std::filesystem::path& to);

// A one-line progress display on stderr: a bar redrawn in place on a terminal, a plain line
// every 10 % (and at the end) otherwise; nothing when there is nothing to do (total 0).
class ProgressLine {
 public:
  ProgressLine(std::string label, int64_t total);
  void Update(int64_t done);
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  int last_tenth_ = -1;
  bool tty_;
  bool finished_ = false;
};

}  // namespace wenku::app
