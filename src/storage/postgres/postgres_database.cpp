// PostgreSQL implementation of Database (libpq): a small pool of connections, each with its
// own cache of prepared statements. A plain Query takes any idle connection for one statement
// (autocommit); Transaction() holds one connection from BEGIN to COMMIT/ROLLBACK. When every
// connection is busy a caller waits for one. A connection the server dropped is reset when
// it is next taken.
//
// Statements are written with `?` placeholders (database.hpp); they are numbered $1, $2, …
// here, outside string literals, quoted identifiers and comments. Parameters go as text with
// a type hint: integers int8, reals float8, strings and NULL "unknown" (the server infers them
// from the column they meet).
//
// Results: int2/int4/int8/bool columns become integers, float4/float8 reals, numeric (what
// SUM of a BIGINT gives) an integer when whole, else a real; all else text.
//
// Errors: SQLSTATE class 23 (integrity constraint violation), 40001 (serialization failure)
// and 40P01 (deadlock) are kConflict; everything else kIo. Messages name what failed and
// the server's message, never bind values.
//
// Isolation: READ COMMITTED, PostgreSQL's default. (SQLite's BEGIN IMMEDIATE serializes
// writers; stores whose correctness needs that under concurrency must take row locks.)
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/database.hpp"

namespace wenku::storage {
namespace {

constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// `?` → $1, $2, … outside '…' literals, "…" identifiers, $$…$$ bodies and -- comments.
std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] == '$') {
      size_t end = sql.find("$$", i + 2);
      end = end == std::string_view::npos ? sql.size() - 1 : end + 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

ErrorCode CodeOf(const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (state == nullptr) return ErrorCode::kIo;
  std::string_view s(state);
  if (s.substr(0, 2) == "23" || s == "40001" || s == "40P01") return ErrorCode::kConflict;
  return ErrorCode::kIo;
}

std::string Trimmed(const char* message) {
  std::string m = message ? message : "unknown error";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  const char* msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  if (msg == nullptr || *msg == '\0') msg = PQerrorMessage(conn);
  return MakeError(CodeOf(res), std::string(what) + ": " + Trimmed(msg));
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Value CellValue(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* text = PQgetvalue(res, row, col);
  int len = PQgetlength(res, row, col);
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
    case kBoolOid:
      return int64_t{text[0] == 't' ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(text, nullptr);
    case kNumericOid: {
      std::string_view v(text, static_cast<size_t>(len));
      if (v.find_first_of(".eEN") == std::string_view::npos) {
        return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
      }
      return std::strtod(text, nullptr);
    }
    default:
      return std::string(text, static_cast<size_t>(len));
  }
}

void IgnoreNotice(void*, const char*) {}

class Connection final : public Sql {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() override { PQfinish(conn_); }

  // Resets a connection the server dropped; the prepared statements went with it.
  void ResetIfBroken() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    spdlog::warn("storage: the PostgreSQL connection was lost; reconnecting");
    PQreset(conn_);
    prepared_.clear();
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    std::vector<Oid> types(params.size(), 0);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::string key(sql);
    key += '\x1f';
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        types[i] = kInt8Oid;
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i] = buf;
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
      }
      key += types[i] == kInt8Oid ? 'i' : types[i] == kFloat8Oid ? 'f' : 'u';
    }
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "w" + std::to_string(prepared_.size() + 1);
      std::string numbered = NumberPlaceholders(sql);
      ResultPtr prep(PQprepare(conn_, name.c_str(), numbered.c_str(),
                               static_cast<int>(types.size()), types.data()));
      if (!prep || PQresultStatus(prep.get()) != PGRES_COMMAND_OK) {
        return PgError(conn_, prep.get(), "cannot prepare a statement");
      }
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    ResultPtr res(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0));
    ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return PgError(conn_, res.get(), "database statement failed");
    }
    Rows rows;
    int nrows = PQntuples(res.get());
    int ncols = PQnfields(res.get());
    rows.reserve(static_cast<size_t>(nrows));
    std::vector<Oid> col_types(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) col_types[static_cast<size_t>(c)] = PQftype(res.get(), c);
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> row;
      row.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        row.push_back(CellValue(res.get(), r, c, col_types[static_cast<size_t>(c)]));
      }
      rows.emplace_back(std::move(row));
    }
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    ResultPtr res(PQexec(conn_, std::string(sql).c_str()));
    ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return PgError(conn_, res.get(), "database script failed");
    }
    return {};
  }

  bool InFailedOrOpenTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  PGconn* conn_;
  std::map<std::string, std::string, std::less<>> prepared_;  // SQL + type signature → name
};

Result<std::unique_ptr<Connection>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return MakeError(ErrorCode::kIo, "cannot connect to PostgreSQL: no memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return MakeError(ErrorCode::kIo, "cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  auto c = std::make_unique<Connection>(conn);
  // Times are epoch milliseconds and text is UTF-8 whatever the server's defaults.
  WENKU_TRY(c->ExecScript("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"));
  return c;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, size_t max_connections)
      : url_(std::move(url)), max_(max_connections) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    auto lease = Take();
    if (!lease.ok()) return lease.error();
    return (*lease)->Query(sql, params);
  }

  Status ExecScript(std::string_view sql) override {
    auto lease = Take();
    if (!lease.ok()) return lease.error();
    return (*lease)->ExecScript(sql);
  }

  Status Transaction(const std::function<Status(Sql&)>& fn) override {
    auto lease = Take();
    if (!lease.ok()) return lease.error();
    Connection& conn = **lease;
    WENKU_TRY(conn.ExecScript("BEGIN"));
    Status result;
    try {
      result = fn(conn);
    } catch (...) {
      (void)conn.ExecScript("ROLLBACK");
      throw;
    }
    if (!result.ok()) {
      (void)conn.ExecScript("ROLLBACK");
      return result;
    }
    Status commit = conn.ExecScript("COMMIT");
    if (conn.InFailedOrOpenTransaction()) (void)conn.ExecScript("ROLLBACK");
    return commit;
  }

  // Opens the first connection, so that a wrong URL fails at start, not at first use.
  Status Open() {
    auto c = Connect(url_);
    if (!c.ok()) return c.error();
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c).value());
    ++open_;
    return {};
  }

 private:
  // A connection borrowed from the pool; returned when the lease goes out of scope.
  class Lease {
   public:
    Lease(PostgresDatabase* db, std::unique_ptr<Connection> c) : db_(db), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) db_->Give(std::move(c_));
    }
    Connection* operator->() { return c_.get(); }
    Connection& operator*() { return *c_; }

   private:
    PostgresDatabase* db_;
    std::unique_ptr<Connection> c_;
  };

  Result<Lease> Take() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      c->ResetIfBroken();
      return Lease(this, std::move(c));
    }
    ++open_;
    lock.unlock();
    auto c = Connect(url_);
    if (!c.ok()) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return c.error();
    }
    return Lease(this, std::move(c).value());
  }

  void Give(std::unique_ptr<Connection> c) {
    // A connection left inside a transaction (an exception between BEGIN and ROLLBACK)
    // must not carry it to the next caller.
    if (c->InFailedOrOpenTransaction()) (void)c->ExecScript("ROLLBACK");
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
    cv_.notify_one();
  }

  std::string url_;
  size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // connections in existence, idle or lent
};

}  // namespace

bool IsPostgresUrl(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, size_t max_connections) {
  auto db = std::make_unique<PostgresDatabase>(url, std::max<size_t>(1, max_connections));
  WENKU_TRY(db->Open());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace wenku::storage
