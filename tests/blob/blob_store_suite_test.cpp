// The blob store suite: the same tests on every BlobStore implementation.
//
// - Local/BlobStoreSuite.*          FsBlobStore in a temp folder (unit tests).
// - IntegrationRgw/BlobStoreSuite.* S3BlobStore on a Ceph RGW that scripts/start-s3.sh starts
//   once per test run (about 12 s) and stops when the tests end. When RGW cannot start
//   (packages missing, a daemon fails), every RGW test FAILS with the script's reason.
// Each RGW test gets a bucket of its own. Plus: S3 settings parsing, wrong keys, an
// unreachable endpoint.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>

#include "blob/blob_store.hpp"
#include "blob/s3_blob_store.hpp"
#include "core/files.hpp"
#include "support/rgw.hpp"
#include "support/test_support.hpp"

namespace wenku::blob {
namespace {

namespace fs = std::filesystem;

S3Options RgwOptions() {
  S3Options o;
  o.endpoint = testing::Rgw::Get().endpoint();
  o.region = "us-east-1";
  o.bucket = testing::UniqueBucket();
  o.access_key = testing::Rgw::Get().access_key();
  o.secret_key = testing::Rgw::Get().secret_key();
  o.part_bytes = 8 << 20;  // a 50 MB file goes up in 7 parts
  return o;
}

enum class Backend { kLocal, kRgw };

class BlobStoreSuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kLocal) {
      store_ = std::make_unique<FsBlobStore>(dir_ / "blobs", dir_ / "tmp");
      return;
    }
    ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
    auto s3 = std::make_unique<S3BlobStore>(RgwOptions());
    Status made = s3->EnsureBucket();
    ASSERT_TRUE(made.ok()) << made.error().message;
    store_ = std::move(s3);
  }

  // A file of `size` pseudo-random bytes (so no part looks like another).
  fs::path MakeFile(const std::string& name, int64_t size) {
    fs::path p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    std::mt19937_64 rng(42);
    std::string chunk(1 << 20, '\0');
    for (int64_t done = 0; done < size;) {
      for (size_t i = 0; i + 8 <= chunk.size(); i += 8) {
        uint64_t v = rng();
        memcpy(&chunk[i], &v, 8);
      }
      auto n = static_cast<size_t>(std::min<int64_t>(size - done, chunk.size()));
      out.write(chunk.data(), static_cast<std::streamsize>(n));
      done += static_cast<int64_t>(n);
    }
    return p;
  }

  testing::TempDir dir_;
  std::unique_ptr<BlobStore> store_;
};

TEST_P(BlobStoreSuite, PutThenGetGivesTheSameBytesUnderTheirHash) {
  auto a = store_->Put("hello, 文库");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->sha256, Sha256Hex("hello, 文库"));
  EXPECT_EQ(a->size, 13);
  EXPECT_TRUE(store_->Exists(a->sha256));
  auto got = store_->Get(a->sha256);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, "hello, 文库");

  // The same bytes from a file: the same blob, stored once.
  std::ofstream(dir_ / "same.txt", std::ios::binary) << "hello, 文库";
  auto b = store_->PutFile(dir_ / "same.txt");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->sha256, a->sha256);
  auto other = store_->Put("other bytes");
  ASSERT_TRUE(other.ok());
  auto list = store_->List();
  std::sort(list.begin(), list.end());
  std::vector<std::string> want = {a->sha256, other->sha256};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(list, want);
}

TEST_P(BlobStoreSuite, RangesReadPartOfABlob) {
  auto ref = store_->Put("0123456789");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(*store_->Get(ref->sha256, {3, 4}), "3456");
  EXPECT_EQ(*store_->Get(ref->sha256, {7, -1}), "789");
  EXPECT_EQ(*store_->Get(ref->sha256, {8, 100}), "89");  // cut at the end
  EXPECT_EQ(*store_->Get(ref->sha256, {0, 1}), "0");
  auto past = store_->Get(ref->sha256, {10, 2});
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code, ErrorCode::kInvalidInput);
}

TEST_P(BlobStoreSuite, MissingBlobsAreNotFound) {
  const std::string missing = Sha256Hex("never stored");
  EXPECT_FALSE(store_->Exists(missing));
  auto got = store_->Get(missing);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  auto path = store_->LocalPath(missing, dir_ / "scratch");
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->Remove(missing).ok());  // already gone is fine
  // A name that is not a hash is refused, never turned into a path or key.
  EXPECT_FALSE(store_->Exists("../../etc/passwd"));
  EXPECT_EQ(store_->Get("../x").error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(store_->Remove("../x").ok());
}

TEST_P(BlobStoreSuite, RemovedBlobsAreGone) {
  auto ref = store_->Put("to be removed");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  // A local copy too (S3: in the scratch folder, the caller's to remove).
  ASSERT_TRUE(store_->LocalPath(ref->sha256, dir_ / "scratch").ok());
  ASSERT_TRUE(store_->Remove(ref->sha256).ok());
  EXPECT_FALSE(store_->Exists(ref->sha256));
  EXPECT_EQ(store_->Get(ref->sha256).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->LocalPath(ref->sha256, dir_ / "scratch2").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->List().empty());
}

TEST_P(BlobStoreSuite, LocalPathHoldsTheBytes) {
  auto ref = store_->Put("for a converter");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  auto path = store_->LocalPath(ref->sha256, dir_ / "scratch");
  ASSERT_TRUE(path.ok()) << path.error().message;
  EXPECT_EQ(*ReadFile(*path), "for a converter");
}

TEST_P(BlobStoreSuite, AReaderCanStopEarly) {
  auto ref = store_->Put(std::string(3 << 20, 'x'));
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  int64_t seen = 0;
  Status s = store_->Read(ref->sha256, {}, [&](std::string_view chunk) {
    seen += static_cast<int64_t>(chunk.size());
    return false;
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_LT(seen, 3 << 20);
}

TEST_P(BlobStoreSuite, A50MegabyteFileStreamsInAndOut) {
  const int64_t size = 50LL << 20;
  fs::path file = MakeFile("big.bin", size);
  auto want = Sha256File(file);
  ASSERT_TRUE(want.ok());
  auto ref = store_->PutFile(file);
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(ref->sha256, *want);
  EXPECT_EQ(ref->size, size);

  // Read back in chunks (never the whole blob in one piece) and hash what arrives.
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  int64_t total = 0;
  size_t largest_chunk = 0;
  Status s = store_->Read(ref->sha256, {}, [&](std::string_view chunk) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                              chunk.size());
    total += static_cast<int64_t>(chunk.size());
    largest_chunk = std::max(largest_chunk, chunk.size());
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(total, size);
  EXPECT_LE(largest_chunk, 4u << 20);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  EXPECT_EQ(std::string(hex), *want);

  // A range across the boundary of the first two 8 MiB parts.
  std::ifstream in(file, std::ios::binary);
  const int64_t at = (8 << 20) - 10;
  std::string expected(20, '\0');
  in.seekg(at);
  in.read(expected.data(), 20);
  auto part = store_->Get(ref->sha256, {at, 20});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(*part, expected);
}

TEST_P(BlobStoreSuite, AWorkingStorePassesItsHealthCheck) {
  Status s = store_->Check();
  EXPECT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(store_->List().empty());  // the probe leaves nothing behind
}

INSTANTIATE_TEST_SUITE_P(Local, BlobStoreSuite, ::testing::Values(Backend::kLocal));
INSTANTIATE_TEST_SUITE_P(IntegrationRgw, BlobStoreSuite, ::testing::Values(Backend::kRgw));

// --- S3 only ------------------------------------------------------------------------------

TEST(IntegrationRgwKeys, WrongKeysAreAClearError) {
  ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
  S3Options wrong_secret = RgwOptions();
  wrong_secret.secret_key = "not-the-secret";
  S3BlobStore store(wrong_secret);
  Status s = store.EnsureBucket();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kForbidden);
  EXPECT_NE(s.error().message.find("WENKU_S3_SECRET_KEY"), std::string::npos) << s.error().message;
  auto put = store.Put("bytes");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kForbidden);
  EXPECT_NE(put.error().message.find("SignatureDoesNotMatch"), std::string::npos)
      << put.error().message;

  S3Options unknown_key = RgwOptions();
  unknown_key.access_key = "NOSUCHACCESSKEY";
  S3BlobStore unknown(unknown_key);
  Status u = unknown.EnsureBucket();
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, ErrorCode::kForbidden);
  EXPECT_NE(u.error().message.find("WENKU_S3_ACCESS_KEY"), std::string::npos);
}

TEST(IntegrationRgwKeys, TheHealthCheckNamesAMissingBucket) {
  ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
  S3Options o = RgwOptions();  // a fresh bucket name, never created
  S3BlobStore store(o);
  Status s = store.Check();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_NE(s.error().message.find(o.bucket), std::string::npos) << s.error().message;
  ASSERT_TRUE(store.EnsureBucket().ok());
  EXPECT_TRUE(store.Check().ok());
}

TEST(IntegrationRgwKeys, OpenBlobStoreTakesKeysFromTheEnvironment) {
  ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
  testing::TempDir dir;
  const std::string url = "s3://" + testing::UniqueBucket() +
                          "/originals?endpoint=" + testing::Rgw::Get().endpoint() +
                          "&region=us-east-1";
  unsetenv("WENKU_S3_ACCESS_KEY");
  unsetenv("WENKU_S3_SECRET_KEY");
  auto none = OpenBlobStore(url, dir / "blobs", dir / "tmp");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("WENKU_S3_ACCESS_KEY"), std::string::npos);
  setenv("WENKU_S3_ACCESS_KEY", testing::Rgw::Get().access_key().c_str(), 1);
  setenv("WENKU_S3_SECRET_KEY", testing::Rgw::Get().secret_key().c_str(), 1);
  auto store = OpenBlobStore(url, dir / "blobs", dir / "tmp");
  unsetenv("WENKU_S3_ACCESS_KEY");
  unsetenv("WENKU_S3_SECRET_KEY");
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto ref = (*store)->Put("through the setting");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(*(*store)->Get(ref->sha256), "through the setting");
  EXPECT_EQ((*store)->List(), std::vector<std::string>{ref->sha256});
  EXPECT_FALSE(fs::exists(dir / "blobs" / ref->sha256.substr(0, 2)));  // nothing local
}

TEST(S3OptionsTest, ParsesTheBlobsSetting) {
  auto o = S3Options::FromUrl(
      "s3://wenku-docs/lib1?endpoint=http%3A%2F%2F127.0.0.1%3A7480&region=cn-north-1");
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->bucket, "wenku-docs");
  EXPECT_EQ(o->prefix, "lib1/");
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:7480");
  EXPECT_EQ(o->region, "cn-north-1");
  auto plain = S3Options::FromUrl("s3://docs?endpoint=http://127.0.0.1:7480/");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->endpoint, "http://127.0.0.1:7480");
  EXPECT_EQ(plain->region, "us-east-1");
  EXPECT_EQ(plain->prefix, "");
  EXPECT_FALSE(plain->presign);
  EXPECT_TRUE(S3Options::FromUrl("s3://docs?endpoint=http://x&presign=1")->presign);

  auto error_of = [](const std::string& url) {
    auto r = S3Options::FromUrl(url);
    return r.ok() ? std::string("accepted") : r.error().message;
  };
  EXPECT_NE(error_of("s3://docs").find("endpoint"), std::string::npos);
  EXPECT_NE(error_of("s3://docs?endpoint=ftp://x").find("endpoint"), std::string::npos);
  EXPECT_NE(error_of("s3://Docs_1?endpoint=http://x").find("bucket"), std::string::npos);
  EXPECT_NE(error_of("s3://docs?endpoint=http://x&colour=red").find("colour"), std::string::npos);
  EXPECT_NE(error_of("s3://docs/../x?endpoint=http://x").find("prefix"), std::string::npos);
  EXPECT_NE(error_of("/var/blobs").find("s3://"), std::string::npos);
  EXPECT_NE(error_of("s3://docs?endpoint=http://x&presign=yes").find("presign"), std::string::npos);
}

TEST(S3BlobStoreTest, AnUnreachableEndpointIsUnavailable) {
  testing::TempDir dir;
  int port;
  {
    testing::LoopbackListener probe;  // a free port, closed again below
    port = probe.port();
  }
  S3Options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port);
  o.bucket = "docs";
  o.access_key = "a";
  o.secret_key = "b";
  S3BlobStore store(o);
  auto r = store.Put("x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find(o.endpoint), std::string::npos) << r.error().message;
}

// An endpoint that takes the connection and never answers: the health check gives up after
// its 2 s, once (a normal request would wait 600 s, three times).
TEST(S3BlobStoreTest, TheHealthCheckOfASilentEndpointEndsWithinTwoSeconds) {
  testing::TempDir dir;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);  // the kernel completes connections; nobody reads them
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  S3Options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.bucket = "docs";
  o.access_key = "a";
  o.secret_key = "b";
  S3BlobStore store(o);
  const auto start = std::chrono::steady_clock::now();
  Status s = store.Check();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(seconds, 1.5);
  EXPECT_LT(seconds, 3.0);
}

TEST(S3BlobStoreTest, TheDefaultBlobsSettingIsTheLocalFolder) {
  testing::TempDir dir;
  auto store = OpenBlobStore("", dir / "blobs", dir / "tmp");
  ASSERT_TRUE(store.ok());
  auto ref = (*store)->Put("local");
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(fs::exists(dir / "blobs" / ref->sha256.substr(0, 2) / ref->sha256.substr(2, 2) /
                         ref->sha256));
}

}  // namespace
}  // namespace wenku::blob
