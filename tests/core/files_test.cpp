#include "core/files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/text.hpp"
#include "support/test_support.hpp"

namespace wenku {
namespace {

TEST(FilesTest, Sha256MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "a.txt", "abc").ok());
  auto sha = Sha256File(dir / "a.txt");
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha, Sha256Hex("abc"));
}

TEST(FilesTest, AtomicWriteReplacesWholeAndLeavesNoTempFile) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "f", "first version").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "f", "second").ok());
  EXPECT_EQ(*ReadFile(dir / "f"), "second");
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FilesTest, RemovesTempFilesOfDeadProcessesOnly) {
  testing::TempDir dir;
  std::ofstream(dir / "999999-0-aa.tmp") << "left by a dead process";  // pid_max is lower
  std::ofstream(dir / (std::to_string(getpid()) + "-0-bb.tmp")) << "ours";
  std::ofstream(dir / "keep.txt") << "not a temp file";
  EXPECT_EQ(RemoveStaleTempFiles(dir.path()), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "999999-0-aa.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir / (std::to_string(getpid()) + "-0-bb.tmp")));
  EXPECT_TRUE(std::filesystem::exists(dir / "keep.txt"));
}

TEST(TextTest, OcrSpacesBetweenChineseCharactersGo) {
  EXPECT_EQ(CollapseCjkSpaces("新 鲜 甘 草 黄酮养分 ， 是 扫除"), "新鲜甘草黄酮养分，是扫除");
  EXPECT_EQ(CollapseCjkSpaces("营养 MAS, FR 倍 感"), "营养 MAS, FR 倍感");
  EXPECT_EQ(CollapseCjkSpaces("Happy New Year 2003!"), "Happy New Year 2003!");
}

TEST(TextTest, ChineseTakesTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("文档"), 4u);
  EXPECT_EQ(FitColumns("文档abc", 8), "文档abc ");
  EXPECT_EQ(DisplayWidth(FitColumns("成华区教育局宣传工作总结", 10)), 10u);
}

}  // namespace
}  // namespace wenku
