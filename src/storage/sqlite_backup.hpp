// SQLite online backup: a consistent copy of a live SQLite database file (WAL mode: writers
// are not blocked while it runs), made with sqlite3_backup_* page by page.
//
// Errors: kIo (the source cannot be opened or read, the destination cannot be written),
// kConflict (the destination already exists: a backup never overwrites).
// Threading: any thread; opens its own connections.
#pragma once

#include <filesystem>

#include "core/result.hpp"

namespace wenku::storage {

// Copies the database at `from` to a new file `to` (journal mode DELETE, a single file), then
// runs PRAGMA integrity_check on the copy.
Status BackupSqliteFile(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace wenku::storage
