// The derived store suite: the same tests on every DerivedStore implementation.
//
// - Local/DerivedStoreSuite.*          FsDerivedStore in a temp folder (unit tests).
// - Memory/DerivedStoreSuite.*         the fake the unit tests use (it must behave the same).
// - IntegrationRgw/DerivedStoreSuite.* S3DerivedStore on the test run's Ceph RGW
//   (support/rgw.hpp), a bucket per test, beside an S3BlobStore on the same client.
// Plus: presigned URLs fetched without credentials, and the `blobs` setting opening both.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <memory>

#include "blob/derived_store.hpp"
#include "blob/s3_blob_store.hpp"
#include "blob/s3_client.hpp"
#include "core/files.hpp"
#include "support/rgw.hpp"
#include "support/test_support.hpp"

namespace wenku::blob {
namespace {

namespace fs = std::filesystem;
namespace names = derived_name;

std::shared_ptr<S3Client> RgwClient() {
  S3Options o;
  o.endpoint = testing::Rgw::Get().endpoint();
  o.region = "us-east-1";
  o.bucket = testing::UniqueBucket();
  o.prefix = "lib/";
  o.access_key = testing::Rgw::Get().access_key();
  o.secret_key = testing::Rgw::Get().secret_key();
  o.part_bytes = 5 << 20;
  return std::make_shared<S3Client>(o);
}

enum class Backend { kLocal, kMemory, kRgw };

class DerivedStoreSuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kLocal:
        store_ = std::make_unique<FsDerivedStore>(dir_ / "derived", dir_ / "tmp");
        return;
      case Backend::kMemory:
        store_ = std::make_unique<testing::MemoryDerivedStore>();
        return;
      case Backend::kRgw:
        ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
        client_ = RgwClient();
        Status made = client_->EnsureBucket();
        ASSERT_TRUE(made.ok()) << made.error().message;
        store_ = std::make_unique<S3DerivedStore>(client_);
        return;
    }
  }

  testing::TempDir dir_;
  std::shared_ptr<S3Client> client_;
  std::unique_ptr<DerivedStore> store_;
};

TEST_P(DerivedStoreSuite, PutStatReadAndRanges) {
  ASSERT_TRUE(store_->Put(7, names::PageImage(3), "0123456789").ok());
  auto info = store_->Stat(7, "pages/0003.webp");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->size, 10);
  EXPECT_FALSE(info->version.empty());
  EXPECT_EQ(store_->Get(7, names::PageImage(3)).value(), "0123456789");
  EXPECT_EQ(store_->Get(7, names::PageImage(3), {2, 3}).value(), "234");
  EXPECT_EQ(store_->Get(7, names::PageImage(3), {8, 100}).value(), "89");
  EXPECT_EQ(store_->Get(7, names::PageImage(3), {10, 1}).error().code, ErrorCode::kInvalidInput);
  // Replaced whole, with a new version.
  ASSERT_TRUE(store_->Put(7, names::PageImage(3), "new").ok());
  EXPECT_EQ(store_->Get(7, names::PageImage(3)).value(), "new");
  EXPECT_NE(store_->Stat(7, names::PageImage(3))->version, info->version);
}

TEST_P(DerivedStoreSuite, PutFileLeavesTheSourceAndCopiesOut) {
  ASSERT_TRUE(WriteFileAtomic(dir_ / "render" / "cover.webp", "a cover").ok());
  ASSERT_TRUE(store_->PutFile(9, names::kCover, dir_ / "render" / "cover.webp").ok());
  EXPECT_TRUE(fs::exists(dir_ / "render" / "cover.webp"));
  EXPECT_EQ(store_->Get(9, "cover.webp").value(), "a cover");
  auto local = store_->CopyToLocal(9, names::kCover, dir_ / "scratch");
  ASSERT_TRUE(local.ok()) << local.error().message;
  EXPECT_EQ(ReadFile(*local).value(), "a cover");
  EXPECT_EQ(store_->PutFile(9, names::kCover, dir_ / "none").error().code, ErrorCode::kIo);
}

TEST_P(DerivedStoreSuite, MissingFilesAndBadNames) {
  EXPECT_EQ(store_->Stat(5, names::kCover).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Get(5, names::kNormalizedPdf).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->CopyToLocal(5, names::kCover, dir_ / "s").error().code, ErrorCode::kNotFound);
  for (const std::string bad : {"../x", "/etc/passwd", "a/b/c", "Cover.webp", "", ".hidden"}) {
    EXPECT_EQ(store_->Put(5, bad, "x").error().code, ErrorCode::kInvalidInput) << bad;
    EXPECT_FALSE(store_->Stat(5, bad).ok()) << bad;
  }
  EXPECT_EQ(store_->Put(0, names::kCover, "x").error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(store_->RemoveAll(5).ok());  // nothing there: fine
}

TEST_P(DerivedStoreSuite, RemoveAllForgetsOneDocumentOnly) {
  ASSERT_TRUE(store_->Put(1, names::kCover, "c1").ok());
  ASSERT_TRUE(store_->Put(1, names::PageImage(1), "p1").ok());
  ASSERT_TRUE(store_->Put(1, names::PageFailure(2), "broken").ok());
  ASSERT_TRUE(store_->Put(12, names::kCover, "c12").ok());
  EXPECT_EQ(store_->List().value(), (std::vector<int64_t>{1, 12}));
  ASSERT_TRUE(store_->RemoveAll(1).ok());
  EXPECT_EQ(store_->Stat(1, names::kCover).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Stat(1, names::PageFailure(2)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Get(12, names::kCover).value(), "c12");
  EXPECT_EQ(store_->List().value(), (std::vector<int64_t>{12}));
}

INSTANTIATE_TEST_SUITE_P(Local, DerivedStoreSuite, ::testing::Values(Backend::kLocal));
INSTANTIATE_TEST_SUITE_P(Memory, DerivedStoreSuite, ::testing::Values(Backend::kMemory));
INSTANTIATE_TEST_SUITE_P(IntegrationRgw, DerivedStoreSuite, ::testing::Values(Backend::kRgw));

TEST(DerivedNames, PagesCoversAndTheirChecks) {
  EXPECT_EQ(names::PageImage(7), "pages/0007.webp");
  EXPECT_EQ(names::PageFailure(12345), "pages/12345.failed");
  EXPECT_TRUE(IsDerivedName("document.pdf"));
  EXPECT_FALSE(IsDerivedName("pages/../x"));
  EXPECT_FALSE(IsDerivedName("pages/"));
}

// A plain GET, no credentials: status, body and one header.
struct Fetched {
  long status = 0;
  std::string body;
  std::string disposition;
};
Fetched Fetch(const std::string& url) {
  Fetched f;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f.body);
  curl_easy_setopt(
      curl, CURLOPT_HEADERFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
        std::string line(d, s * n);
        if (line.rfind("Content-Disposition:", 0) == 0 ||
            line.rfind("content-disposition:", 0) == 0) {
          *static_cast<std::string*>(out) = line.substr(21, line.find_last_not_of("\r\n") - 20);
        }
        return s * n;
      });
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &f.disposition);
  curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.status);
  curl_easy_cleanup(curl);
  return f;
}

TEST(IntegrationRgwPresign, APresignedUrlWorksWithoutKeysUntilItExpires) {
  ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
  auto client = RgwClient();
  ASSERT_TRUE(client->EnsureBucket().ok());
  S3BlobStore blobs(client);
  auto ref = blobs.Put("the original bytes");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  const int64_t now = time(nullptr);
  const std::string disposition = "attachment; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf";
  std::string url = blobs.Presign(ref->sha256, 300, now, disposition, "application/pdf");
  ASSERT_EQ(url.rfind(testing::Rgw::Get().endpoint() + "/", 0), 0u) << url;
  Fetched ok = Fetch(url);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, "the original bytes");
  EXPECT_EQ(ok.disposition, disposition);
  // Tampered with, or expired: refused.
  std::string other = url;
  other.replace(other.find(ref->sha256), 4, "0000");
  EXPECT_EQ(Fetch(other).status, 403);
  EXPECT_EQ(Fetch(blobs.Presign(ref->sha256, 60, now - 3600, "", "")).status, 403);
  // Derived files too, from the same bucket.
  S3DerivedStore derived(client);
  ASSERT_TRUE(derived.Put(4, names::PageImage(9), "webp bytes").ok());
  EXPECT_EQ(Fetch(derived.Presign(4, names::PageImage(9), 300, now, "image/webp")).body,
            "webp bytes");
  // The blob list holds only blobs, not derived files.
  EXPECT_EQ(blobs.List(), std::vector<std::string>{ref->sha256});
}

TEST(IntegrationRgwPresign, TheLocalStoresMakeNoUrls) {
  testing::TempDir dir;
  FsBlobStore blobs(dir / "b", dir / "t");
  auto ref = blobs.Put("x");
  EXPECT_EQ(blobs.Presign(ref->sha256, 300, time(nullptr), "", ""), "");
  FsDerivedStore derived(dir / "d", dir / "t");
  EXPECT_EQ(derived.Presign(1, names::kCover, 300, time(nullptr), ""), "");
}

TEST(IntegrationRgwStores, TheBlobsSettingOpensBothInOneBucket) {
  ASSERT_TRUE(testing::Rgw::Get().ok()) << testing::Rgw::Get().reason();
  testing::TempDir dir;
  auto stores = OpenStores(testing::RgwBlobsSetting(testing::UniqueBucket()), dir / "blobs",
                           dir / "derived", dir / "tmp");
  ASSERT_TRUE(stores.ok()) << stores.error().message;
  ASSERT_TRUE(stores->derived->Put(3, names::kCover, "cover").ok());
  EXPECT_EQ(stores->derived->Get(3, names::kCover).value(), "cover");
  EXPECT_FALSE(fs::exists(dir / "derived" / "3"));  // nothing local
  auto local = OpenStores("", dir / "blobs", dir / "derived", dir / "tmp");
  ASSERT_TRUE(local.ok());
  ASSERT_TRUE(local->derived->Put(3, names::kCover, "cover").ok());
  EXPECT_TRUE(fs::exists(dir / "derived" / "3" / "cover.webp"));
}

}  // namespace
}  // namespace wenku::blob
