#include "support/xapian_server.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "support/test_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

XapianServer* started = nullptr;  // set once Get() ran: stopped by the environment below

class StopXapianIfUsed : public ::testing::Environment {
 public:
  void TearDown() override {
    if (started) started->Stop();
  }
};
[[maybe_unused]] auto* const kStopXapian =
    ::testing::AddGlobalTestEnvironment(new StopXapianIfUsed);

}  // namespace

XapianServer& XapianServer::Get() {
  static XapianServer* server = [] {
    auto* s = new XapianServer();
    started = s;
    return s;
  }();
  return *server;
}

XapianServer::XapianServer() {
  dir_ = fs::temp_directory_path() / ("wenku-xapian-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(dir_, ec);
  const std::string script = std::string(WENKU_SOURCE_DIR) + "/scripts/start-xapian.sh";
  auto r = RunCommand({"/bin/bash", "-c", "\"$0\" \"$1\" 2>&1", script, dir_.string()});
  started_ = true;  // the script stops what it started on failure; --stop is harmless
  std::istringstream lines(r.out);
  std::string line, seconds;
  while (std::getline(lines, line)) {
    if (line.rfind("url=", 0) == 0) url_ = line.substr(4);
    if (line.rfind("seconds=", 0) == 0) seconds = line.substr(8);
  }
  ok_ = r.status == 0 && !url_.empty();
  if (!ok_) {
    reason_ = "xapian-tcpsrv did not start (scripts/start-xapian.sh exited " +
              std::to_string(r.status) + "):\n" + r.out;
  } else {
    std::fprintf(stderr, "[ XAPIAN   ] %s ready in %s s\n", url_.c_str(), seconds.c_str());
  }
}

void XapianServer::Stop() {
  if (!started_) return;
  RunCommand({std::string(WENKU_SOURCE_DIR) + "/scripts/start-xapian.sh", "--stop", dir_.string()});
  std::error_code ec;
  fs::remove_all(dir_, ec);
  started_ = false;
}

int64_t UniqueDocumentIds(int64_t n) {
  static int64_t next = 1'000'000;
  const int64_t first = next;
  next += n;
  return first;
}

std::string UniqueCategory() {
  static int n = 0;
  return "remote-test-" + std::to_string(++n);
}

std::string UnreachableSearchUrl() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return "tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

}  // namespace wenku::testing
