#include "support/rgw.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "support/test_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

Rgw* started = nullptr;  // set once Get() ran: stopped by the environment below

class StopRgwIfUsed : public ::testing::Environment {
 public:
  void TearDown() override {
    if (started) started->Stop();
  }
};
[[maybe_unused]] auto* const kStopRgw = ::testing::AddGlobalTestEnvironment(new StopRgwIfUsed);

}  // namespace

Rgw& Rgw::Get() {
  static Rgw* rgw = [] {
    auto* r = new Rgw();
    started = r;
    return r;
  }();
  return *rgw;
}

Rgw::Rgw() {
  dir_ = fs::temp_directory_path() / ("wenku-rgw-" + std::to_string(getpid()));
  const std::string script = std::string(WENKU_SOURCE_DIR) + "/scripts/start-s3.sh";
  auto r = RunCommand({"/bin/bash", "-c", "\"$0\" \"$1\" 2>&1", script, dir_.string()});
  started_ = true;  // the script stops what it started on failure; --stop is harmless
  std::istringstream lines(r.out);
  std::string line;
  std::string seconds;
  while (std::getline(lines, line)) {
    auto take = [&](const std::string& key, std::string& into) {
      if (line.rfind(key + "=", 0) == 0) into = line.substr(key.size() + 1);
    };
    take("endpoint", endpoint_);
    take("access_key", access_key_);
    take("secret_key", secret_key_);
    take("seconds", seconds);
  }
  ok_ = r.status == 0 && !endpoint_.empty();
  if (!ok_) {
    reason_ = "Ceph RGW did not start (scripts/start-s3.sh exited " + std::to_string(r.status) +
              "):\n" + r.out;
  } else {
    std::fprintf(stderr, "[ RGW      ] %s ready in %s s\n", endpoint_.c_str(), seconds.c_str());
  }
}

void Rgw::Stop() {
  if (started_) {
    RunCommand({std::string(WENKU_SOURCE_DIR) + "/scripts/start-s3.sh", "--stop", dir_.string()});
    started_ = false;
  }
}

std::string UniqueBucket() {
  static int n = 0;
  return "wenku-test-" + std::to_string(getpid()) + "-" + std::to_string(++n);
}

std::string RgwBlobsSetting(const std::string& bucket) {
  Rgw& rgw = Rgw::Get();
  setenv("WENKU_S3_ACCESS_KEY", rgw.access_key().c_str(), 1);
  setenv("WENKU_S3_SECRET_KEY", rgw.secret_key().c_str(), 1);
  return "s3://" + bucket + "?endpoint=" + rgw.endpoint() + "&region=us-east-1";
}

}  // namespace wenku::testing
