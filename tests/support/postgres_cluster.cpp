#include "support/postgres_cluster.hpp"

#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_support.hpp"

namespace wenku::testing {
namespace {

// `url` with its database name replaced by `name` (postgresql://user@host:port/NAME?opts).
std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  size_t query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + rest;
}

std::string DatabaseName(const std::string& url) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "";
  size_t query = url.find('?', slash);
  return url.substr(slash + 1, query == std::string::npos ? std::string::npos : query - slash - 1);
}

class Server {
 public:
  static Server& Get() {
    static Server server;
    return server;
  }

  ~Server() {
    if (admin_ && error_.empty()) (void)admin_->ExecScript("DROP DATABASE IF EXISTS " + tmpl_);
    admin_.reset();
    if (!folder_.empty()) {
      RunCommand({std::string(WENKU_SOURCE_DIR) + "/scripts/stop-postgres.sh", folder_});
    }
  }

  Result<std::string> Fresh() {
    std::lock_guard lock(mu_);
    if (!started_) Start();
    if (!error_.empty()) return MakeError(ErrorCode::kIo, error_);
    std::string name = "wenku_test_" + std::to_string(getpid()) + "_" + std::to_string(++count_);
    Status s = admin_->ExecScript("CREATE DATABASE " + name + " TEMPLATE " + tmpl_);
    if (!s.ok()) return s.error();
    return WithDatabase(url_, name);
  }

  void Drop(const std::string& url) {
    std::lock_guard lock(mu_);
    if (!admin_) return;
    (void)admin_->ExecScript("DROP DATABASE IF EXISTS " + DatabaseName(url));
  }

 private:
  void Start() {
    started_ = true;
    if (const char* given = std::getenv("WENKU_TEST_POSTGRES_URL"); given && *given) {
      url_ = given;
    } else {
      std::string script = std::string(WENKU_SOURCE_DIR) + "/scripts/start-postgres.sh";
      CommandResult r = RunCommand({"bash", "-c", "\"$0\" 2>&1", script});
      if (r.status != 0) {
        error_ = "PostgreSQL did not start (scripts/start-postgres.sh exited " +
                 std::to_string(r.status) + "): " + r.out;
        return;
      }
      size_t nl = r.out.find('\n');
      url_ = r.out.substr(0, nl);
      folder_ = nl == std::string::npos ? "" : r.out.substr(nl + 1);
      while (!folder_.empty() && folder_.back() == '\n') folder_.pop_back();
    }
    auto admin = storage::OpenPostgres(url_, 1);
    if (!admin.ok()) {
      error_ = "cannot reach the test PostgreSQL at " + url_ + ": " + admin.error().message;
      return;
    }
    admin_ = std::move(admin).value();
    // One migrated template per run; each test's database is a copy of it (a copy is much
    // faster than running every migration again).
    tmpl_ = "wenku_template_" + std::to_string(getpid());
    const std::string& tmpl = tmpl_;
    (void)admin_->ExecScript("DROP DATABASE IF EXISTS " + tmpl);
    if (Status s = admin_->ExecScript("CREATE DATABASE " + tmpl + " TEMPLATE template0"); !s.ok()) {
      error_ = "cannot create the template database: " + s.error().message;
      return;
    }
    auto db = storage::OpenPostgres(WithDatabase(url_, tmpl), 1);
    if (!db.ok()) {
      error_ = db.error().message;
      return;
    }
    auto ran = storage::Migrate(**db);
    if (!ran.ok()) error_ = "migrations failed on PostgreSQL: " + ran.error().message;
  }

  std::mutex mu_;
  bool started_ = false;
  std::string error_;
  std::string url_;
  std::string folder_;  // of the cluster we started; empty for WENKU_TEST_POSTGRES_URL
  std::unique_ptr<storage::Database> admin_;
  std::string tmpl_;  // the migrated template database
  int count_ = 0;
};

}  // namespace

Result<std::string> FreshPostgresDatabase() { return Server::Get().Fresh(); }

void DropPostgresDatabase(const std::string& url) { Server::Get().Drop(url); }

}  // namespace wenku::testing
