// Migrations: the database schema as an append-only ordered list. Each migration runs in
// its own transaction and records its version in `schema_migrations`; a migration that
// has run is never edited, a change is a new migration at the end.
#pragma once

#include "storage/database.hpp"

namespace wenku::storage {

// Applies every migration newer than the database's version. Returns how many ran.
// Errors: kIo (the database refused a statement; nothing of that migration is kept), or
// kConflict when the database is newer than this binary knows.
Result<int> Migrate(Database& db);

// The newest schema version this binary knows.
int LatestSchemaVersion();

}  // namespace wenku::storage
