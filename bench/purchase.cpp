// bench/purchase — purchases per second: through Wenku's HTTP API, and the same rows written
// by a bare SQLite program (run by the script bench/purchase, which prepares the library).
//
//   bench_purchase http --url URL --db DATA/wenku.db --copy BARE/wenku.db --pairs FILE
//                       [--users 200] [--clients 16] [--seed N]
//     Registers --users buyers over the API (POST /api/v1/users, then an API token each from
//     that session: POST /api/v1/tokens), reads the ready priced
//     documents from --db, copies --db to --copy with SQLite's backup API (the bare run starts
//     from exactly these rows: same schema, same triggers, same accounts), writes every
//     (buyer, document) pair in a seeded random order to --pairs, then buys each pair once:
//     --clients threads, each with one keep-alive connection, POST
//     /api/v1/documents/{id}/purchase with Bearer auth and a distinct Idempotency-Key.
//     Every answer must be 200 {"purchased":true,…}.
//
//   bench_purchase sqlite --db BARE/wenku.db --pairs FILE [--threads 16] [--commission 20]
//     The same pairs in the same order, written the way LedgerStore::Post and
//     EntitlementStore::Add write a purchase (src/storage/ledger_store.cpp,
//     entitlement_store.cpp), with the same statements: per purchase one BEGIN IMMEDIATE
//     transaction holding the ledger_transactions row, the 3 account balance updates
//     (ascending account id, the buyer's guarded against overdraft) each followed by its
//     ledger_entries row, and the entitlements row. --threads threads, each with its own
//     connection: WAL, synchronous=NORMAL, foreign_keys=ON, 10 s busy timeout, as
//     src/storage/sqlite/sqlite_database.cpp opens the database. What it leaves out is
//     everything else a purchase does: HTTP, the session and document look-ups, the key and
//     entitlement checks, the account look-ups (its account ids are resolved beforehand).
//
// Each prints one line "RESULT <mode> purchases=N seconds=S per_second=R p50_ms=A p99_ms=B
// errors=E" (the clock runs from when every client is connected/prepared to the last answer).
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <latch>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "bench_purchase: %s\n", why.c_str());
  std::exit(1);
}

struct Args {
  std::map<std::string, std::string> values;
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    if (it != values.end()) return it->second;
    if (fallback.empty()) Die("--" + name + " is required");
    return fallback;
  }
  int Int(const std::string& name, int fallback) const {
    return std::stoi(Get(name, std::to_string(fallback)));
  }
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) Die("bad argument " + k);
    a.values[k.substr(2)] = argv[++i];
  }
  return a;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One purchase to make: who buys what, and what the bare run needs to write it.
struct Pair {
  int64_t user = 0;
  int64_t document = 0;
  int64_t owner = 0;
  int64_t price = 0;
  std::string token;  // the buyer's API token (HTTP only)
};

std::string KeyOf(size_t i) { return "bench-" + std::to_string(i); }

struct Report {
  size_t purchases = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
  size_t errors = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

void Print(const char* mode, const Report& r) {
  std::printf(
      "RESULT %s purchases=%zu seconds=%.3f per_second=%.1f p50_ms=%.2f p99_ms=%.2f errors=%zu\n",
      mode, r.purchases, r.seconds, static_cast<double>(r.purchases) / r.seconds,
      Percentile(r.latencies_ms, 0.50), Percentile(r.latencies_ms, 0.99), r.errors);
}

// ---- HTTP -------------------------------------------------------------------------------

struct Url {
  std::string host;
  std::string port;
};

Url ParseUrl(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) Die("only http:// URLs: " + url);
  std::string rest = url.substr(prefix.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) return {rest, "80"};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

// A keep-alive HTTP/1.1 connection (reconnects when the server closes it).
class HttpClient {
 public:
  explicit HttpClient(Url url) : url_(std::move(url)), socket_(io_) {}

  http::response<http::string_body> Send(http::request<http::string_body>& req) {
    req.set(http::field::host, url_.host + ":" + url_.port);
    req.keep_alive(true);
    req.prepare_payload();
    for (int attempt = 0;; ++attempt) {
      try {
        if (!socket_.is_open()) Connect();
        http::write(socket_, req);
        http::response<http::string_body> res;
        http::read(socket_, buffer_, res);
        if (!res.keep_alive()) Close();
        return res;
      } catch (const std::exception&) {
        Close();
        if (attempt > 0) throw;  // a kept-alive connection closed by the server: once more
      }
    }
  }

  void Connect() {
    tcp::resolver resolver(io_);
    asio::connect(socket_, resolver.resolve(url_.host, url_.port));
    socket_.set_option(tcp::no_delay(true));
  }

 private:
  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    buffer_.clear();
  }

  Url url_;
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

struct Buyer {
  int64_t id = 0;
  std::string token;
};

std::vector<Buyer> RegisterBuyers(const Url& url, int n, int parallel, uint64_t seed) {
  std::vector<Buyer> buyers(static_cast<size_t>(n));
  std::atomic<int> next{0};
  std::mutex failed_mu;
  std::string failed;
  std::vector<std::thread> threads;
  for (int t = 0; t < parallel; ++t) {
    threads.emplace_back([&] {
      HttpClient client(url);
      for (int i; (i = next.fetch_add(1)) < n;) {
        http::request<http::string_body> req{http::verb::post, "/api/v1/users", 11};
        req.set(http::field::content_type, "application/json");
        req.body() =
            nlohmann::json{{"name", "b" + std::to_string(seed % 100000) + "x" + std::to_string(i)},
                           {"password", "bench password 1"}}
                .dump();
        auto res = client.Send(req);
        if (res.result_int() != 201) {
          std::lock_guard lock(failed_mu);
          failed = "registering a buyer answered " + std::to_string(res.result_int()) + ": " +
                   res.body();
          return;
        }
        auto j = nlohmann::json::parse(res.body());
        // Registration logged the buyer in (the session cookie); an API client then makes an
        // API token from that session (POST /api/v1/tokens with X-CSRF-Token) for Bearer use.
        std::string session;
        auto [cookie, cookies_end] = res.equal_range(http::field::set_cookie);
        for (; cookie != cookies_end; ++cookie) {
          const std::string_view v(cookie->value().data(), cookie->value().size());
          if (v.starts_with("wenku_session=")) {
            session = std::string(v.substr(14, v.find(';') - 14));
          }
        }
        const std::string csrf = j.at("csrf").get<std::string>();
        http::request<http::string_body> mint{http::verb::post, "/api/v1/tokens", 11};
        mint.set(http::field::content_type, "application/json");
        mint.set(http::field::cookie, "wenku_session=" + session + "; wenku_csrf=" + csrf);
        mint.set("X-CSRF-Token", csrf);
        mint.body() = R"({"name":"bench"})";
        auto minted = client.Send(mint);
        if (minted.result_int() != 201) {
          std::lock_guard lock(failed_mu);
          failed = "making an API token answered " + std::to_string(minted.result_int()) + ": " +
                   minted.body();
          return;
        }
        buyers[static_cast<size_t>(i)] = {
            j.at("id").get<int64_t>(),
            nlohmann::json::parse(minted.body()).at("token").get<std::string>()};
      }
    });
  }
  for (auto& t : threads) t.join();
  if (!failed.empty()) Die(failed);
  return buyers;
}

// ---- SQLite -----------------------------------------------------------------------------

sqlite3* Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Die("cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  sqlite3_busy_timeout(db, 10000);
  return db;
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    Die(std::string(sql) + ": " + msg);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    Die(std::string("cannot prepare ") + sql + ": " + sqlite3_errmsg(db));
  }
  return stmt;
}

struct Document {
  int64_t id, owner, price;
};

std::vector<Document> PricedDocuments(const std::string& path) {
  sqlite3* db = Open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* s = Prepare(db,
                            "SELECT id, owner_id, price FROM documents WHERE state = 'ready' AND "
                            "price > 0 ORDER BY id");
  std::vector<Document> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    out.push_back(
        {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)});
  }
  sqlite3_finalize(s);
  sqlite3_close_v2(db);
  return out;
}

void Backup(const std::string& from, const std::string& to) {
  sqlite3* src = Open(from, SQLITE_OPEN_READONLY);
  sqlite3* dst = Open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) Die("cannot copy " + from + ": " + sqlite3_errmsg(dst));
  int rc;
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) Die("copying " + from + " failed: " + sqlite3_errmsg(dst));
  Exec(dst, "PRAGMA journal_mode=WAL");  // as Wenku keeps it
  sqlite3_close_v2(dst);
  sqlite3_close_v2(src);
}

void WritePairs(const std::string& path, const std::vector<Pair>& pairs) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& p : pairs) {
    out << p.user << '\t' << p.document << '\t' << p.owner << '\t' << p.price << '\n';
  }
  if (!out) Die("cannot write " + path);
}

std::vector<Pair> ReadPairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("cannot read " + path);
  std::vector<Pair> out;
  Pair p;
  while (in >> p.user >> p.document >> p.owner >> p.price) out.push_back(p);
  return out;
}

// ---- the two runs -----------------------------------------------------------------------

int RunHttp(const Args& args) {
  const Url url = ParseUrl(args.Get("url"));
  const int users = args.Int("users", 200);
  const int clients = args.Int("clients", 16);
  const uint64_t seed = static_cast<uint64_t>(std::stoull(args.Get("seed", "20261111")));

  auto t0 = SteadyClock::now();
  std::vector<Buyer> buyers = RegisterBuyers(url, users, 4, seed);
  std::fprintf(stderr, "bench_purchase: %d buyers registered in %.1f s\n", users,
               std::chrono::duration<double>(SteadyClock::now() - t0).count());
  std::vector<Document> docs = PricedDocuments(args.Get("db"));
  if (docs.empty()) Die("no ready priced documents in " + args.Get("db"));
  Backup(args.Get("db"), args.Get("copy"));

  std::vector<Pair> pairs;
  for (const auto& b : buyers) {
    for (const auto& d : docs) pairs.push_back({b.id, d.id, d.owner, d.price, b.token});
  }
  std::mt19937_64 random(seed);
  std::shuffle(pairs.begin(), pairs.end(), random);
  WritePairs(args.Get("pairs"), pairs);

  Report report;
  report.purchases = pairs.size();
  std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
  std::atomic<size_t> next{0}, errors{0};
  std::mutex first_error_mu;
  std::string first_error;
  std::latch ready(clients + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(url);
      client.Connect();
      ready.arrive_and_wait();
      for (size_t i; (i = next.fetch_add(1)) < pairs.size();) {
        const Pair& p = pairs[i];
        http::request<http::string_body> req{
            http::verb::post, "/api/v1/documents/" + std::to_string(p.document) + "/purchase", 11};
        req.set(http::field::authorization, "Bearer " + p.token);
        req.set("Idempotency-Key", KeyOf(i));
        auto start = SteadyClock::now();
        std::string error;
        try {
          auto res = client.Send(req);
          if (res.result_int() != 200 ||
              res.body().find("\"purchased\":true") == std::string::npos) {
            error = std::to_string(res.result_int()) + " " + res.body();
          }
        } catch (const std::exception& e) {
          error = e.what();
        }
        latencies[static_cast<size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
        if (!error.empty()) {
          ++errors;
          std::lock_guard lock(first_error_mu);
          if (first_error.empty()) first_error = error;
        }
      }
    });
  }
  ready.arrive_and_wait();
  auto start = SteadyClock::now();
  for (auto& t : threads) t.join();
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  for (auto& l : latencies)
    report.latencies_ms.insert(report.latencies_ms.end(), l.begin(), l.end());
  report.errors = errors;
  if (!first_error.empty())
    std::fprintf(stderr, "bench_purchase: first error: %s\n", first_error.c_str());
  std::fprintf(stderr, "bench_purchase: %zu buyers × %zu documents, %d clients\n", buyers.size(),
               docs.size(), clients);
  Print("wenku_http", report);
  return report.errors == 0 ? 0 : 1;
}

// One connection's prepared statements: the same SQL text as LedgerStore::Post and
// EntitlementStore::Add.
struct Writer {
  sqlite3* db = nullptr;
  sqlite3_stmt *begin, *commit, *rollback, *tx, *update, *entry, *entitle;

  explicit Writer(const std::string& path) {
    db = Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    begin = Prepare(db, "BEGIN IMMEDIATE");
    commit = Prepare(db, "COMMIT");
    rollback = Prepare(db, "ROLLBACK");
    tx = Prepare(db,
                 "INSERT INTO ledger_transactions (kind, idempotency_key, user_id, document_id, "
                 "related_tx, memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id");
    update = Prepare(db,
                     "UPDATE ledger_accounts SET balance = balance + ? "
                     "WHERE id = ? AND (? = 0 OR balance + ? >= 0) RETURNING balance");
    entry = Prepare(db,
                    "INSERT INTO ledger_entries (tx_id, account_id, amount, balance_after) "
                    "VALUES (?, ?, ?, ?) RETURNING id");
    entitle =
        Prepare(db,
                "INSERT INTO entitlements (user_id, document_id, tx_id, created_at) VALUES "
                "(?, ?, ?, ?) ON CONFLICT (user_id, document_id) DO NOTHING RETURNING user_id");
  }
  ~Writer() {
    for (auto* s : {begin, commit, rollback, tx, update, entry, entitle}) sqlite3_finalize(s);
    sqlite3_close_v2(db);
  }

  // Steps `s` once; a row's first column into *out. Returns SQLITE_ROW, SQLITE_DONE or an error.
  int Step(sqlite3_stmt* s, int64_t* out = nullptr) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out) *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
  }

  struct Leg {
    int64_t account, amount;
    bool guarded;
  };

  // The purchase; an empty string when it was written, else why not (then rolled back).
  std::string Purchase(const std::string& key, const Pair& p, Leg legs[3]) {
    if (Step(begin) != SQLITE_DONE) return std::string("BEGIN: ") + sqlite3_errmsg(db);
    auto fail = [&](const char* what) {
      std::string why = std::string(what) + ": " + sqlite3_errmsg(db);
      Step(rollback);
      return why;
    };
    const int64_t now = NowMs();
    sqlite3_bind_text(tx, 1, "purchase", -1, SQLITE_STATIC);
    sqlite3_bind_text(tx, 2, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(tx, 3, p.user);
    sqlite3_bind_int64(tx, 4, p.document);
    sqlite3_bind_null(tx, 5);
    sqlite3_bind_text(tx, 6, "", 0, SQLITE_STATIC);
    sqlite3_bind_int64(tx, 7, now);
    int64_t tx_id = 0;
    if (Step(tx, &tx_id) != SQLITE_ROW) return fail("ledger_transactions");
    for (int i = 0; i < 3; ++i) {
      const Leg& l = legs[i];
      sqlite3_bind_int64(update, 1, l.amount);
      sqlite3_bind_int64(update, 2, l.account);
      sqlite3_bind_int64(update, 3, l.guarded ? 1 : 0);
      sqlite3_bind_int64(update, 4, l.amount);
      int64_t after = 0;
      if (Step(update, &after) != SQLITE_ROW) return fail("balance update (overdraft?)");
      sqlite3_bind_int64(entry, 1, tx_id);
      sqlite3_bind_int64(entry, 2, l.account);
      sqlite3_bind_int64(entry, 3, l.amount);
      sqlite3_bind_int64(entry, 4, after);
      if (Step(entry) != SQLITE_ROW) return fail("ledger_entries");
    }
    sqlite3_bind_int64(entitle, 1, p.user);
    sqlite3_bind_int64(entitle, 2, p.document);
    sqlite3_bind_int64(entitle, 3, tx_id);
    sqlite3_bind_int64(entitle, 4, now);
    if (Step(entitle) != SQLITE_ROW) return fail("entitlements");
    if (Step(commit) != SQLITE_DONE) return fail("COMMIT");
    return "";
  }
};

// The id of an account, made if missing (as LedgerStore::AccountId does; before the clock).
int64_t AccountId(sqlite3* db, const char* kind, int64_t user) {
  sqlite3_stmt* insert = Prepare(
      db,
      "INSERT INTO ledger_accounts (kind, user_id, balance, created_at) VALUES (?, ?, 0, ?) "
      "ON CONFLICT DO NOTHING");
  sqlite3_stmt* find =
      Prepare(db, user ? "SELECT id FROM ledger_accounts WHERE kind = ? AND user_id = ?"
                       : "SELECT id FROM ledger_accounts WHERE kind = ? AND user_id IS NULL");
  sqlite3_bind_text(insert, 1, kind, -1, SQLITE_STATIC);
  if (user)
    sqlite3_bind_int64(insert, 2, user);
  else
    sqlite3_bind_null(insert, 2);
  sqlite3_bind_int64(insert, 3, NowMs());
  if (user && sqlite3_step(insert) != SQLITE_DONE)
    Die(std::string("account: ") + sqlite3_errmsg(db));
  sqlite3_bind_text(find, 1, kind, -1, SQLITE_STATIC);
  if (user) sqlite3_bind_int64(find, 2, user);
  if (sqlite3_step(find) != SQLITE_ROW) Die(std::string("no ") + kind + " account");
  const int64_t id = sqlite3_column_int64(find, 0);
  sqlite3_finalize(insert);
  sqlite3_finalize(find);
  return id;
}

int RunSqlite(const Args& args) {
  const std::string path = args.Get("db");
  const int threads_n = args.Int("threads", 16);
  const int64_t commission_percent = args.Int("commission", 20);
  std::vector<Pair> pairs = ReadPairs(args.Get("pairs"));
  if (pairs.empty()) Die("no pairs in " + args.Get("pairs"));

  // Account ids, resolved before the clock starts.
  std::map<int64_t, int64_t> wallet, pending;
  int64_t revenue = 0;
  {
    sqlite3* db = Open(path, SQLITE_OPEN_READWRITE);
    Exec(db, "PRAGMA foreign_keys=ON");
    revenue = AccountId(db, "platform_revenue", 0);
    for (const auto& p : pairs) {
      if (!wallet.count(p.user)) wallet[p.user] = AccountId(db, "wallet", p.user);
      if (!pending.count(p.owner)) pending[p.owner] = AccountId(db, "pending", p.owner);
    }
    sqlite3_close_v2(db);
  }

  Report report;
  report.purchases = pairs.size();
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads_n));
  std::atomic<size_t> next{0}, errors{0};
  std::mutex first_error_mu;
  std::string first_error;
  std::latch ready(threads_n + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < threads_n; ++t) {
    threads.emplace_back([&, t] {
      Writer w(path);
      ready.arrive_and_wait();
      for (size_t i; (i = next.fetch_add(1)) < pairs.size();) {
        const Pair& p = pairs[i];
        const int64_t commission = p.price * commission_percent / 100;
        Writer::Leg legs[3] = {{wallet.at(p.user), -p.price, true},
                               {revenue, commission, false},
                               {pending.at(p.owner), p.price - commission, false}};
        std::sort(std::begin(legs), std::end(legs),
                  [](const Writer::Leg& a, const Writer::Leg& b) { return a.account < b.account; });
        const std::string key = "purchase:" + std::to_string(p.user) + ":" + KeyOf(i);
        auto start = SteadyClock::now();
        std::string error = w.Purchase(key, p, legs);
        latencies[static_cast<size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
        if (!error.empty()) {
          ++errors;
          std::lock_guard lock(first_error_mu);
          if (first_error.empty()) first_error = error;
        }
      }
    });
  }
  ready.arrive_and_wait();
  auto start = SteadyClock::now();
  for (auto& t : threads) t.join();
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  for (auto& l : latencies)
    report.latencies_ms.insert(report.latencies_ms.end(), l.begin(), l.end());
  report.errors = errors;
  if (!first_error.empty())
    std::fprintf(stderr, "bench_purchase: first error: %s\n", first_error.c_str());
  Print("bare_sqlite", report);
  return report.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "http") return RunHttp(ParseArgs(argc, argv));
  if (mode == "sqlite") return RunSqlite(ParseArgs(argc, argv));
  std::fprintf(stderr,
               "usage: bench_purchase http|sqlite --option value… (see bench/purchase.cpp)\n");
  return 2;
}
