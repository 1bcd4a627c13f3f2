// TableCopy: copies a whole library's rows from one Database to another (the SQLite file of a
// single node → PostgreSQL), generically, column by column: what `wenku migrate-to` uses.
//
// Contract:
// - ListTables reads the SOURCE's schema (SQLite only: sqlite_master and its pragmas) and
//   returns every table except schema_migrations and library_marks, each after the tables
//   its foreign keys reference (self references aside: those rows are copied in key order,
//   and a row only ever references an older one).
// - CopyTable reads the source in primary-key order (keyset batches, `(k1, k2) > (?, ?)`) and
//   writes each batch in one transaction on the target. Rows already on the target are
//   overwritten from the source (ON CONFLICT (key) DO UPDATE), except in the append-only
//   tables (ledger_transactions, ledger_entries, audit_log), where they are kept
//   (DO NOTHING): a copy interrupted anywhere can simply run again.
// - ResetIdentities sets every PostgreSQL identity column's sequence past the largest copied
//   id (rows were inserted with their ids, which does not move the sequence). No-op on SQLite.
// - Library marks (table library_marks, migration 18) tell libraries apart: LibraryId gives
//   a library its random id once and returns it ever after; the target of a copy records
//   the source's id (kCopiedFrom), each finished table and the time the copy was verified.
//
// Errors: kIo (a statement failed, a database unreachable), kConflict (a constraint refused
// a row: the target holds different data), kInvalidInput (a source that is not SQLite).
// Threading: as the Databases given; one copy at a time per target.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace wenku::storage {

struct TableInfo {
  std::string name;
  std::vector<std::string> columns;  // in the source's order
  std::vector<char> kinds;       // per column, from its declared type: 'i'nteger, 'r'eal, 't'ext
  std::vector<std::string> key;  // primary key columns (rowid tables: "rowid" never used)
  bool append_only = false;      // rows are never overwritten on the target
  bool has_identity = false;     // an `id` column the database numbers
};

// The source's tables in dependency order. Errors: kIo, kInvalidInput (not SQLite).
Result<std::vector<TableInfo>> ListTables(Database& source);

// SELECT COUNT(*) of `table`. Errors: kIo.
Result<int64_t> CountRows(Sql& db, const std::string& table);

// Copies every row of `table` from `source` to `target`, `batch` rows a transaction.
// `after_batch(copied_so_far)` runs after each committed batch; an error it returns stops the
// copy and is returned (tests interrupt a copy so). Returns the number of rows read.
Result<int64_t> CopyTable(Database& source, Database& target, const TableInfo& table, size_t batch,
                          const std::function<Status(int64_t)>& after_batch);

// PostgreSQL: each identity sequence continues after MAX(id). Errors: kIo.
Status ResetIdentities(Database& db, const std::vector<TableInfo>& tables);

// Rows in `tables` beyond what the migrations themselves insert (the two platform ledger
// accounts, the default categories): 0 for a database no library has used yet.
Result<int64_t> RowsBeyondMigrations(Database& db, const std::vector<TableInfo>& tables);

// Every blob the rows name: documents' originals, blob rows, report and claim proofs.
Result<std::vector<std::string>> NamedBlobs(Sql& db);

// library_marks keys.
inline constexpr const char* kLibraryId = "library_id";
inline constexpr const char* kCopiedFrom = "copied_from";
inline constexpr const char* kCopyVerifiedAt = "copy_verified_at";
inline std::string TableDoneMark(const std::string& table) { return "copied_table:" + table; }

// This library's id (32 hex digits), made and stored on first use. Errors: kIo.
Result<std::string> LibraryId(Database& db);
// A mark's value, or nullopt. Errors: kIo.
Result<std::optional<std::string>> GetMark(Sql& db, const std::string& key);
// Sets a mark (insert or overwrite). Errors: kIo.
Status SetMark(Sql& db, const std::string& key, const std::string& value, int64_t now_ms);

}  // namespace wenku::storage
