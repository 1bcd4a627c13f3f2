// The archive unpacker (`wenku __archive`, the real binary) on archives the test writes with
// libarchive: a zip bomb, a zip-slip path, too many files; and a normal one.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/files.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

using wenku::testing::RunCommand;
using wenku::testing::TempDir;

// Writes a zip with `files` (name → content).
void WriteZip(const std::filesystem::path& path,
              const std::vector<std::pair<std::string, std::string>>& files) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, content] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::string Unpack(const TempDir& dir, const std::filesystem::path& zip, int* status) {
  auto r = RunCommand(
      {wenku::testing::WenkuBinary(), "__archive", zip.string(), (dir / "out").string()});
  *status = r.status;
  return r.out;
}

TEST(ArchiveToolTest, ListsAndUnpacksUnderNamesOfItsOwn) {
  TempDir dir;
  WriteZip(dir / "a.zip", {{"报告/第一章.txt", "第一章的内容"}, {"notes.txt", "hello"}});
  int status = 0;
  Unpack(dir, dir / "a.zip", &status);
  ASSERT_EQ(status, 0);
  auto list = ReadFile(dir / "out" / "members.jsonl");
  ASSERT_TRUE(list.ok());
  EXPECT_NE(list->find("\"path\":\"报告/第一章.txt\""), std::string::npos) << *list;
  EXPECT_EQ(*ReadFile(dir / "out" / "m-0001"), "第一章的内容");
  EXPECT_EQ(*ReadFile(dir / "out" / "m-0002"), "hello");
}

TEST(ArchiveToolTest, AZipBombIsStoppedEarly) {
  TempDir dir;
  WriteZip(dir / "bomb.zip", {{"zeros.bin", std::string(60 << 20, '\0')}});
  ASSERT_LT(std::filesystem::file_size(dir / "bomb.zip"), 1u << 20);
  int status = 0;
  std::string out = Unpack(dir, dir / "bomb.zip", &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("error resource_limit"), std::string::npos) << out;
  EXPECT_NE(out.find("zip bomb"), std::string::npos) << out;
  uintmax_t written = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "out"))
    written += std::filesystem::file_size(e.path());
  EXPECT_LT(written, 20u << 20);  // stopped a little past 10 MB, not at 60
}

TEST(ArchiveToolTest, ZipSlipPathsAreRefusedAndNothingLandsOutside) {
  TempDir dir;
  WriteZip(dir / "slip.zip", {{"good.txt", "fine"}, {"../../evil.txt", "gotcha"}});
  int status = 0;
  std::string out = Unpack(dir, dir / "slip.zip", &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("zip-slip"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path() / "evil.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "evil.txt"));
}

TEST(ArchiveToolTest, TooManyMembersAreRefused) {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 0; i < 1001; ++i) files.emplace_back("f" + std::to_string(i) + ".txt", "x");
  WriteZip(dir / "many.zip", files);
  int status = 0;
  std::string out = Unpack(dir, dir / "many.zip", &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("more than 1000 files"), std::string::npos) << out;
}

// Found by tests/fuzz/archive_fuzz.cpp (crashes/archive/truncated_gzip): a damaged gzip that
// libarchive refuses at open without saying why crashed the child on the missing reason.
TEST(ArchiveToolTest, AnArchiveRefusedWithoutAReasonIsReportedDamaged) {
  TempDir dir;
  const unsigned char bytes[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb,
                                 0x2a, 0x2d, 0x2e, 0x51, 0xc8, 0xcf, 0x4b, 0x55, 0x48, 0xce, 0xcf,
                                 0x2d, 0x28, 0x4a, 0x2d, 0x2e, 0x4e, 0x28, 0x51, 0x28, 0xad, 0x4d,
                                 0x49, 0x51, 0x48, 0xcb, 0xcc, 0x49, 0xe5, 0x02, 0x22, 0x56, 0x00,
                                 0x7b, 0x72, 0x1e, 0x00, 0x1b, 0x00, 0x00};
  std::ofstream(dir / "damaged.gz", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  int status = 0;
  std::string out = Unpack(dir, dir / "damaged.gz", &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("error corrupt The archive cannot be opened: unknown error."),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace wenku::ingest
