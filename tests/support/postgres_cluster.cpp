#include "support/postgres_cluster.hpp"

#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "storage/database.hpp"
#include "support/test_support.hpp"

namespace wenku::testing {
namespace {

// Each test gets a schema of its own, named in the URL as the connection's search_path:
// CREATE DATABASE costs ~0.4 s on this machine, a schema next to nothing, and the schema's
// tables, sequences and functions are all the test sees.
const std::string kSearchPath = "options=-csearch_path%3D";

class Server {
 public:
  static Server& Get() {
    static Server server;
    return server;
  }

  ~Server() {
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
    Status s = admin_->ExecScript("CREATE SCHEMA " + name);
    if (!s.ok()) return s.error();
    return url_ + (url_.find('?') == std::string::npos ? "?" : "&") + kSearchPath + name;
  }

  void Drop(const std::string& url) {
    std::lock_guard lock(mu_);
    size_t at = url.rfind(kSearchPath);
    if (!admin_ || at == std::string::npos) return;
    (void)admin_->ExecScript("DROP SCHEMA IF EXISTS " + url.substr(at + kSearchPath.size()) +
                             " CASCADE");
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
  }

  std::mutex mu_;
  bool started_ = false;
  std::string error_;
  std::string url_;
  std::string folder_;  // of the cluster we started; empty for WENKU_TEST_POSTGRES_URL
  std::unique_ptr<storage::Database> admin_;
  int count_ = 0;
};

}  // namespace

Result<std::string> FreshPostgresDatabase() { return Server::Get().Fresh(); }

void DropPostgresDatabase(const std::string& url) { Server::Get().Drop(url); }

}  // namespace wenku::testing
