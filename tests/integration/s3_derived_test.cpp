// Scale-out (issue 13): with `blobs = "s3://…"` nothing is kept in the data folder's blobs/
// or derived/ — a real ingest (the wenku binary, its sandbox), a page drawn on demand, `wenku
// check`, and the web's download and page-image answers all go through the bucket (the test
// run's Ceph RGW, support/rgw.hpp).
#include <gtest/gtest.h>

#include "app/app.hpp"
#include "blob/derived_store.hpp"
#include "core/config.hpp"
#include "core/data_layout.hpp"
#include "core/files.hpp"
#include "integration/integration_support.hpp"
#include "support/rgw.hpp"
#include "web/file_response.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

// Every byte of a streamed answer.
std::string BodyOf(const web::Response& r) {
  std::string all, chunk;
  if (!r.source) return r.body;
  for (int64_t left = r.file_length; left > 0; left -= static_cast<int64_t>(chunk.size())) {
    if (!r.source->Next(1 << 16, chunk) || chunk.empty()) break;
    all += chunk;
  }
  return all;
}

TEST(IntegrationS3Derived, IngestPagesCheckAndDownloadsGoThroughTheBucket) {
  ASSERT_TRUE(Rgw::Get().ok()) << Rgw::Get().reason();
  TempDir dir;
  std::vector<std::vector<std::string>> pages;
  for (int n = 1; n <= 7; ++n)
    pages.push_back({"第" + std::to_string(n) + "页 page " + std::to_string(n)});
  ASSERT_TRUE(MakePdf(dir / "报告.pdf", pages));
  const fs::path data = dir / "data";
  const std::string blobs = RgwBlobsSetting(UniqueBucket());
  const std::vector<std::string> env = {"WENKU_BLOBS=" + blobs,
                                        "WENKU_S3_ACCESS_KEY=" + Rgw::Get().access_key(),
                                        "WENKU_S3_SECRET_KEY=" + Rgw::Get().secret_key()};
  ImportRun run = Import(data, {(dir / "报告.pdf").string()}, {}, env);
  ASSERT_EQ(run.status, 0);
  ASSERT_EQ(run.rows.size(), 1u);
  ASSERT_EQ(run.rows[0]["state"], "ready") << FailureReason(run.rows[0]);
  const int64_t id = run.rows[0]["id"];
  CommandResult page = RunCommand(
      {WenkuBinary(), "page-image", "--data", data.string(), std::to_string(id), "6"}, env);
  ASSERT_EQ(page.status, 0);
  EXPECT_EQ(page.out.rfind("derived/" + std::to_string(id) + "/pages/0006.webp ", 0), 0u)
      << page.out;
  CommandResult check = RunCommand({WenkuBinary(), "check", "--data", data.string()}, env);
  EXPECT_EQ(check.status, 0) << check.out;

  // Nothing of the document is in the data folder: no original, no derived file.
  DataLayout layout(data);
  EXPECT_EQ(CountFiles(layout.blobs()), 0u);
  EXPECT_EQ(CountFiles(layout.derived()), 0u);

  // The web's answers, read from the bucket.
  auto config = Config::Load("", {{"data", data.string()}, {"blobs", blobs}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto app = app::App::Open(*config);
  ASSERT_TRUE(app.ok()) << app.error().message;
  auto doc = (*app)->documents().Find(id);
  ASSERT_TRUE(doc.ok());
  const std::string original = ReadFile(dir / "报告.pdf").value();
  web::Request req;
  req.method = "GET";
  auto whole =
      web::BlobResponse(req, (*app)->blobs(), doc->blob_sha256, "application/pdf", "private", true);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(BodyOf(*whole), original);
  req.headers = {{"range", "bytes=5-14"}};
  auto part =
      web::BlobResponse(req, (*app)->blobs(), doc->blob_sha256, "application/pdf", "private", true);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(BodyOf(*part), original.substr(5, 10));
  req.headers = {{"if-none-match", whole->Get("ETag")}};
  EXPECT_EQ(
      web::BlobResponse(req, (*app)->blobs(), doc->blob_sha256, "application/pdf", "private", true)
          ->status,
      304);
  // Page 6 was drawn on demand (by `wenku page-image`) into the bucket; page 7 not yet. (Not
  // drawn here: in this process the pdf tool would be the test binary.)
  auto info = (*app)->page_images().Drawn(id, 6);
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_TRUE(info->has_value());
  auto seven = (*app)->page_images().Drawn(id, 7);
  ASSERT_TRUE(seven.ok());
  EXPECT_FALSE(seven->has_value());
  for (int64_t n : {1, 5, 6}) {
    auto stat = (*app)->derived().Stat(id, blob::derived_name::PageImage(n));
    ASSERT_TRUE(stat.ok()) << n;
    req.headers.clear();
    auto image = web::DerivedResponse(req, (*app)->derived(), id, blob::derived_name::PageImage(n),
                                      *stat, "image/webp", "");
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->body.substr(0, 4), "RIFF") << n;
  }
  EXPECT_TRUE((*app)->derived().Stat(id, blob::derived_name::kCover).ok());
  EXPECT_EQ(CountFiles(layout.derived()), 0u);
  // Presigned: a URL of the bucket (fetched in tests/blob/derived_store_suite_test.cpp).
  EXPECT_EQ(
      (*app)->blobs().Presign(doc->blob_sha256, 300, 1, "", "").rfind(Rgw::Get().endpoint(), 0),
      0u);
}

}  // namespace
}  // namespace wenku::testing
