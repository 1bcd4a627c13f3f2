#include <gtest/gtest.h>

#include <fstream>

#include "blob/blob_store.hpp"
#include "core/files.hpp"
#include "support/test_support.hpp"

namespace wenku::blob {
namespace {

TEST(FsBlobStoreTest, StoresIdenticalBytesOnceUnderTheirHash) {
  testing::TempDir dir;
  FsBlobStore store(dir / "blobs", dir / "tmp");
  std::ofstream(dir / "a.pdf", std::ios::binary) << "same bytes";
  std::ofstream(dir / "b.pdf", std::ios::binary) << "same bytes";
  auto a = store.PutFile(dir / "a.pdf");
  auto b = store.PutFile(dir / "b.pdf");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sha256, Sha256Hex("same bytes"));
  EXPECT_EQ(a->sha256, b->sha256);
  EXPECT_EQ(a->size, 10);
  EXPECT_EQ(store.List().size(), 1u);
  auto path = store.LocalPath(a->sha256, dir / "scratch");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*ReadFile(*path), "same bytes");
  EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp"));  // no temp file left behind
}

TEST(FsBlobStoreTest, TheHealthCheckFailsWhenTheFolderIsGone) {
  testing::TempDir dir;
  FsBlobStore store(dir / "blobs", dir / "tmp");
  ASSERT_TRUE(store.Check().ok());
  std::filesystem::remove_all(dir / "blobs");
  Status s = store.Check();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_NE(s.error().message.find((dir / "blobs").string() + " is missing"), std::string::npos)
      << s.error().message;
}

TEST(FsBlobStoreTest, RemoveAndMissingBlobs) {
  testing::TempDir dir;
  FsBlobStore store(dir / "blobs", dir / "tmp");
  auto ref = store.Put("hello");
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(store.Exists(ref->sha256));
  ASSERT_TRUE(store.Remove(ref->sha256).ok());
  EXPECT_FALSE(store.Exists(ref->sha256));
  EXPECT_EQ(store.LocalPath(ref->sha256, dir / "scratch").error().code, ErrorCode::kNotFound);
  // A name that is not a hash never becomes a path.
  EXPECT_FALSE(store.Exists("../../etc/passwd"));
  EXPECT_FALSE(store.Remove("../x").ok());
}

TEST(FsBlobStoreTest, UnreadableSourceIsAnIoError) {
  testing::TempDir dir;
  FsBlobStore store(dir / "blobs", dir / "tmp");
  auto r = store.PutFile(dir / "missing.pdf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_NE(r.error().message.find("missing.pdf"), std::string::npos);
}

}  // namespace
}  // namespace wenku::blob
