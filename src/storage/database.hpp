// Database: the small interface every store talks to, so that SQLite (the default) and
// PostgreSQL (src/storage/postgres/) sit behind it. All SQL of Wenku lives in src/storage/.
//
// SQL is written once, portably: `?` placeholders (the PostgreSQL implementation numbers
// them $1, $2, …), `RETURNING`, `ON CONFLICT`, BIGINT columns, times as epoch milliseconds.
// The few dialect differences are named by Dialect() and handled in migrations.cpp.
//
// Errors: kConflict for constraint violations and lost races, kIo for everything else the
// database reports (busy past the timeout, disk full, corrupt file). The message names the
// failing statement's purpose, never bind values.
//
// Threading: a Database is safe to share between threads; each call to Query/Exec is its
// own transaction unless it runs inside Transaction(), which holds the connection for the
// whole function.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace wenku::storage {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;
using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;       // 0 for NULL
  std::string Text(size_t i) const;  // "" for NULL
  size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

enum class Dialect { kSqlite, kPostgres };

// Something that runs statements: the database itself, or an open transaction.
class Sql {
 public:
  virtual ~Sql() = default;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  Status Exec(std::string_view sql, const Params& params = {});
  // The first row, or kNotFound.
  Result<Row> QueryOne(std::string_view sql, const Params& params = {});
};

class Database : public Sql {
 public:
  virtual Dialect dialect() const = 0;
  // Runs `fn` in one write transaction: committed when it returns ok, rolled back when it
  // returns an error (which Transaction then returns) or throws.
  virtual Status Transaction(const std::function<Status(Sql&)>& fn) = 0;
};

// Opens (creating if needed) the SQLite database at `path` with WAL, a 10 s busy timeout
// and foreign keys on. Errors: kIo.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path);

// True for a libpq connection URL (postgresql://… or postgres://…): the `database` setting
// names PostgreSQL instead of the SQLite file in the data folder.
bool IsPostgresUrl(std::string_view s);

// Connects to PostgreSQL at `url` (libpq URL syntax) with a pool of at most
// `max_connections` connections, the first opened now. Errors: kIo (cannot connect).
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, size_t max_connections = 8);

}  // namespace wenku::storage
