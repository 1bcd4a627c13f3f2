// The one Ceph RGW (S3 endpoint) of a test binary run: started by scripts/start-s3.sh on the
// first Rgw::Get() (about 12 s), stopped by PID when the tests end; a run that never asks
// for it starts nothing. When it cannot start (packages missing, a daemon fails), ok() is
// false and reason() says why: tests then FAIL with that reason (ASSERT_TRUE(ok()) <<
// reason()), never skip. Each test should use a bucket of its own (UniqueBucket()).
#pragma once

#include <filesystem>
#include <string>

namespace wenku::testing {

class Rgw {
 public:
  static Rgw& Get();
  bool ok() const { return ok_; }
  const std::string& reason() const { return reason_; }
  const std::string& endpoint() const { return endpoint_; }
  const std::string& access_key() const { return access_key_; }
  const std::string& secret_key() const { return secret_key_; }
  void Stop();

 private:
  Rgw();
  std::filesystem::path dir_;
  bool started_ = false;
  bool ok_ = false;
  std::string reason_, endpoint_, access_key_, secret_key_;
};

// A bucket name no other test of this run uses.
std::string UniqueBucket();

// `blobs` setting for `bucket` on the test RGW (s3://bucket?endpoint=…&region=us-east-1), with
// WENKU_S3_ACCESS_KEY / WENKU_S3_SECRET_KEY set in this process's environment.
std::string RgwBlobsSetting(const std::string& bucket);

}  // namespace wenku::testing
