// PdfConverter::UnpackArchive reads the members.jsonl that the sandboxed archive child
// wrote. The child has read a hostile archive, so the list is checked: a field of the wrong
// type, a file name outside the output folder or a line that is not JSON fails the document
// with "The archive's file list was unreadable." — never an exception.
#include <gtest/gtest.h>

#include <fstream>

#include "ingest/pdf_converter.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::FakeRunner;

// A pretend `wenku __archive ARCHIVE OUT` that writes `list` as OUT/members.jsonl.
Result<std::vector<UnpackedMember>> Unpack(const std::string& list) {
  wenku::testing::TempDir dir;
  FakeRunner runner([&](const ProcessSpec& spec, const std::function<void(std::string_view)>&) {
    fs::path out = spec.argv.at(3);
    std::ofstream(out / "members.jsonl", std::ios::binary) << list;
    std::ofstream(out / "m-0001") << "bytes";
    ProcessOutcome o;
    o.end = ProcessEnd::kExited;
    o.exit_code = 0;
    return o;
  });
  PdfConverter pdf(runner, "/fake/wenku", ProcessLimits{});
  std::ofstream(dir.path() / "a.zip") << "PK";
  return pdf.UnpackArchive(dir.path() / "a.zip", dir.path() / "out", nullptr);
}

TEST(UnpackArchiveTest, ReadsTheMembersTheChildListed) {
  auto members = Unpack(R"({"idx":1,"path":"a/报告.docx","size":5,"file":"m-0001","note":null})"
                        "\n"
                        R"({"idx":2,"path":"b.exe","size":9,"file":null,"note":"not a document"})"
                        "\n");
  ASSERT_TRUE(members.ok()) << members.error().message;
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].member.path, "a/报告.docx");
  EXPECT_EQ((*members)[0].member.size, 5);
  EXPECT_EQ((*members)[0].file.filename(), "m-0001");
  EXPECT_EQ((*members)[1].member.note, "not a document");
  EXPECT_TRUE((*members)[1].file.empty());
}

TEST(UnpackArchiveTest, AForgedListFailsWithAReasonInsteadOfThrowing) {
  for (const std::string line :
       {R"({"idx":"1","path":"a.pdf","size":5,"file":"m-0001"})",       // idx a string
        R"({"idx":1,"path":7,"size":5,"file":"m-0001"})",               // path a number
        R"({"idx":1,"path":"a.pdf","size":[1],"file":"m-0001"})",       // size an array
        R"({"idx":1,"path":"a.pdf","size":5,"file":{"x":1}})",          // file an object
        R"({"idx":1,"path":"a.pdf","size":5,"note":false})",            // note a boolean
        R"({"idx":1,"path":"a.pdf","size":5,"file":"../etc/passwd"})",  // outside
        R"({"idx":1.5,"path":"a.pdf","size":5})",                       // not an integer
        R"(["idx",1])",                                                 // not an object
        R"(not json)"}) {
    auto members = Unpack(line + "\n");
    ASSERT_FALSE(members.ok()) << line;
    EXPECT_EQ(members.error().code, ErrorCode::kConversionFailed) << line;
    EXPECT_EQ(members.error().message, "The archive's file list was unreadable.") << line;
  }
}

}  // namespace
}  // namespace wenku::ingest
