// The backup folder's format and the file helpers backup, restore and migrate-to share
// (backup_format.hpp).
#include "app/backup_format.hpp"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/text.hpp"

namespace wenku::app {
namespace fs = std::filesystem;

fs::path BlobPathIn(const fs::path& blobs_root, const std::string& sha) {
  return blobs_root / sha.substr(0, 2) / sha.substr(2, 2) / sha;
}

Status WriteManifest(const fs::path& dir, const BackupManifest& m) {
  nlohmann::json j = {{"format", "wenku-backup"},
                      {"version", m.version},
                      {"schema_version", m.schema_version},
                      {"created_at", m.created_at},
                      {"database_sha256", m.database_sha256},
                      {"tables", m.tables},
                      {"blobs", m.blobs},
                      {"blob_bytes", m.blob_bytes},
                      {"derived", m.derived},
                      {"derived_files", m.derived_files}};
  return WriteFileAtomic(dir / "manifest.json", j.dump(2) + "\n");
}

Result<BackupManifest> ReadManifest(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "manifest.json", ec)) {
    return MakeError(
        ErrorCode::kNotFound,
        (dir / "manifest.json").string() + " is missing: not a backup, or one that did not finish");
  }
  auto text = ReadFile(dir / "manifest.json");
  if (!text.ok()) return text.error();
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "wenku-backup") {
    return MakeError(ErrorCode::kInvalidInput,
                     (dir / "manifest.json").string() + " is not a wenku backup manifest");
  }
  BackupManifest m;
  try {
    m.version = j.at("version").get<int64_t>();
    if (m.version > kBackupVersion) {
      return MakeError(ErrorCode::kInvalidInput,
                       "the backup has format version " + std::to_string(m.version) +
                           ", newer than this wenku reads (" + std::to_string(kBackupVersion) +
                           "); upgrade wenku");
    }
    m.schema_version = j.at("schema_version").get<int64_t>();
    m.created_at = j.at("created_at").get<int64_t>();
    m.database_sha256 = j.at("database_sha256").get<std::string>();
    m.tables = j.at("tables").get<std::map<std::string, int64_t>>();
    m.blobs = j.at("blobs").get<int64_t>();
    m.blob_bytes = j.at("blob_bytes").get<int64_t>();
    m.derived = j.at("derived").get<bool>();
    m.derived_files = j.at("derived_files").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return MakeError(ErrorCode::kInvalidInput,
                     (dir / "manifest.json").string() + " is incomplete: " + e.what());
  }
  return m;
}

Result<int64_t> PlaceBlob(const fs::path& from, const fs::path& to, const std::string& sha,
                          bool link) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + to.parent_path().string());
  fs::remove(to, ec);
  bool placed = false;
  if (link) {
    fs::create_hard_link(from, to, ec);
    placed = !ec;
  }
  if (!placed) {
    fs::path tmp = to.parent_path() / UniqueTempName();
    if (!fs::copy_file(from, tmp, ec) || ec) {
      fs::remove(tmp, ec);
      return MakeError(ErrorCode::kIo, "cannot copy " + from.string() + " to " + to.string());
    }
    WENKU_TRY(DurableRename(tmp, to));
  }
  auto hash = Sha256File(to);
  if (!hash.ok()) return hash.error();
  if (*hash != sha) {
    return MakeError(ErrorCode::kCorrupt,
                     "blob " + sha + " does not match its hash (" + from.string() + " is damaged)");
  }
  auto size = fs::file_size(to, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot read " + to.string());
  return static_cast<int64_t>(size);
}

Result<int64_t> CopyTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  int64_t files = 0;
  if (!fs::exists(from, ec)) return files;
  fs::create_directories(to, ec);
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), from, ec);
    if (it->is_symlink(ec)) continue;
    if (it->is_directory(ec)) {
      fs::create_directories(to / rel, ec);
    } else if (it->is_regular_file(ec)) {
      fs::create_directories((to / rel).parent_path(), ec);
      if (!fs::copy_file(it->path(), to / rel, fs::copy_options::overwrite_existing, ec)) {
        return MakeError(ErrorCode::kIo, "cannot copy " + it->path().string());
      }
      ++files;
    }
  }
  if (ec) return MakeError(ErrorCode::kIo, "cannot read " + from.string() + ": " + ec.message());
  return files;
}

ProgressLine::ProgressLine(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), tty_(isatty(2) != 0) {}

void ProgressLine::Update(int64_t done) {
  done_ = done;
  if (total_ == 0) return;  // nothing to show
  if (tty_) {
    std::fprintf(stderr, "\r  %-10s %s %lld/%lld", label_.c_str(), Bar(done, total_, 30).c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_));
    std::fflush(stderr);
    return;
  }
  int tenth = total_ > 0 ? static_cast<int>(done * 10 / total_) : 10;
  if (tenth != last_tenth_ && tenth < 10) {
    last_tenth_ = tenth;
    std::fprintf(stderr, "  %s %lld/%lld\n", label_.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_));
  }
}

void ProgressLine::Finish() {
  if (finished_ || total_ == 0) return;
  finished_ = true;
  if (tty_) {
    Update(done_);
    std::fputs("\n", stderr);
  } else {
    std::fprintf(stderr, "  %s %lld/%lld done\n", label_.c_str(), static_cast<long long>(done_),
                 static_cast<long long>(total_));
  }
}

}  // namespace wenku::app
