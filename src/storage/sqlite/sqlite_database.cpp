// SQLite implementation of Database: one writing connection guarded by a mutex, plus a few
// read-only connections that answer plain SELECTs in parallel (WAL lets readers run while
// one connection writes), each with a cache of prepared statements. Other processes (an
// importer beside the server) share the file; writers wait up to the busy timeout.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/database.hpp"

namespace wenku::storage {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  int base = rc & 0xff;
  ErrorCode code = base == SQLITE_CONSTRAINT ? ErrorCode::kConflict : ErrorCode::kIo;
  return MakeError(code, std::string(what) + ": " + sqlite3_errmsg(db));
}

class Connection final : public Sql {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot prepare a statement");
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        sqlite3_bind_double(stmt, idx, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
    }
    Rows rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error e = SqliteError(db_, rc, "database statement failed");
        sqlite3_reset(stmt);
        return e;
      }
      int n = sqlite3_column_count(stmt);
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            values.emplace_back(nullptr);
            break;
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(
                std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return MakeError(ErrorCode::kIo, "database script failed: " + msg);
    }
    return {};
  }

 private:
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

bool IsPlainSelect(std::string_view sql) {
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n')) sql.remove_prefix(1);
  return sql.size() > 7 && (sql.substr(0, 7) == "SELECT " || sql.substr(0, 7) == "select ");
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : conn_(db) {}

  // Adds a read-only connection for SELECTs.
  void AddReader(sqlite3* db) { readers_.push_back(std::make_unique<Reader>(db)); }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    if (!readers_.empty() && IsPlainSelect(sql)) {
      // The first idle reader, else wait for one (spread by a rotating start).
      size_t start = next_reader_.fetch_add(1, std::memory_order_relaxed);
      for (size_t i = 0; i < readers_.size(); ++i) {
        Reader& r = *readers_[(start + i) % readers_.size()];
        std::unique_lock lock(r.mu, std::try_to_lock);
        if (lock.owns_lock()) return r.conn.Query(sql, params);
      }
      Reader& r = *readers_[start % readers_.size()];
      std::lock_guard lock(r.mu);
      return r.conn.Query(sql, params);
    }
    std::lock_guard lock(mu_);
    return conn_.Query(sql, params);
  }

  Status ExecScript(std::string_view sql) override {
    std::lock_guard lock(mu_);
    return conn_.ExecScript(sql);
  }

  Status Transaction(const std::function<Status(Sql&)>& fn) override {
    std::lock_guard lock(mu_);
    WENKU_TRY(conn_.ExecScript("BEGIN IMMEDIATE"));
    Status result;
    try {
      result = fn(conn_);
    } catch (...) {
      (void)conn_.ExecScript("ROLLBACK");
      throw;
    }
    if (!result.ok()) {
      (void)conn_.ExecScript("ROLLBACK");
      return result;
    }
    Status commit = conn_.ExecScript("COMMIT");
    if (!commit.ok()) (void)conn_.ExecScript("ROLLBACK");
    return commit;
  }

 private:
  struct Reader {
    explicit Reader(sqlite3* db) : conn(db) {}
    std::mutex mu;
    Connection conn;
  };
  std::mutex mu_;
  Connection conn_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::atomic<size_t> next_reader_{0};
};

constexpr int kReaders = 4;

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return MakeError(ErrorCode::kIo, "cannot open database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  auto database = std::make_unique<SqliteDatabase>(db);
  Status s = database->ExecScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  if (!s.ok()) return s.error();
  if (path != ":memory:" && !path.empty()) {
    for (int i = 0; i < kReaders; ++i) {
      sqlite3* reader = nullptr;
      if (sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                          nullptr) != SQLITE_OK) {
        sqlite3_close_v2(reader);  // reads then share the writing connection
        break;
      }
      sqlite3_busy_timeout(reader, 10000);
      database->AddReader(reader);
    }
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace wenku::storage
