#include "ingest/file_type.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

using namespace std::string_literals;

TEST(FileTypeTest, BytesDecideNotTheName) {
  struct Case {
    std::string head;
    const char* name;
    FileKind kind;
    const char* format;
  } cases[] = {
      {"%PDF-1.7\n1 0 obj", "report.doc", FileKind::kPdf, "pdf"},
      {"AC1024\0\0\0\0\0\0"s, "plan.pdf", FileKind::kDwg, "dwg"},
      {"  0\r\nSECTION\r\n  2\r\nHEADER\r\n", "drawing.txt", FileKind::kDrawing, "dxf"},
      {"999\ncomment\n0\nSECTION\n", "x.dxf", FileKind::kDrawing, "dxf"},
      {"{\\rtf1\\ansi\\deff0 {\\fonttbl}} hello", "a.txt", FileKind::kOffice, "rtf"},
      {"成华区教育局关于进一步加强宣传工作的意见。\n", "notes", FileKind::kText, "txt"},
      {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0"s, "photo.pdf",
       FileKind::kImage, "png"},
      {"\x1f\x8b\x08\0\0\0\0\0\0\x03"s, "a.pdf", FileKind::kArchive, "gz"},
      {std::string("\x00\x01\x02\x03\xfe\xfd\xfc\x80\x81\x82\x83\x84", 12), "a.pdf",
       FileKind::kUnknown, ""},
      {"", "empty.pdf", FileKind::kEmpty, ""},
  };
  for (const auto& c : cases) {
    FileType t = DetectFileType(c.head, c.name);
    EXPECT_EQ(t.kind, c.kind) << c.name << " " << t.mime << " " << t.description;
    EXPECT_EQ(t.format, c.format) << c.name;
  }
}

TEST(FileTypeTest, CorpusFilesAreWhatTheManifestSays) {
  std::string corpus = wenku::testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  struct Case {
    const char* file;
    FileKind kind;
  } cases[] = {
      {"zh-ssd-design.docx", FileKind::kOffice},
      {"zh-chapters.doc", FileKind::kOffice},
      {"zh-test-steps.xls", FileKind::kOffice},
      {"en-ppt-various.ppt", FileKind::kOffice},
      {"en-lo-calc-1.3.ods", FileKind::kOffice},
      {"en-rtf-various.rtf", FileKind::kOffice},
      {"en-epub-tika.epub", FileKind::kOffice},
      {"en-dxf-text.dxf", FileKind::kDrawing},
      {"en-dxf-binary-r2000.dxf", FileKind::kDrawing},
      {"dwg-2010.dwg", FileKind::kDwg},
      {"bad-docx-encrypted.docx", FileKind::kEncryptedOffice},
      {"bad-xlsx-encrypted.xlsx", FileKind::kEncryptedOffice},
      {"zh-sunzi-gbk.txt", FileKind::kText},
      {"en-utf16le-bom.txt", FileKind::kText},
      {"en-ebcdic-cp500.txt", FileKind::kText},
      {"zh-sunzi-hz.txt", FileKind::kText},
      {"zh-ad-text.jpeg", FileKind::kImage},
      {"en-multipage.tif", FileKind::kImage},
      {"zh-gbk-names.zip", FileKind::kArchive},
      {"en-test-documents.7z", FileKind::kArchive},
      {"rar5-multiple-files.rar", FileKind::kArchive},
      {"bad-gz-quine.gz", FileKind::kArchive},
      {"bad-odt-notzip.odt", FileKind::kText},
      {"bad-epub-is-xml.epub", FileKind::kText},
  };
  for (const auto& c : cases) {
    std::ifstream in(corpus + "/" + c.file, std::ios::binary);
    std::string head(64 << 10, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    FileType t = DetectFileType(head, c.file);
    EXPECT_EQ(t.kind, c.kind) << c.file << ": " << t.mime << " / " << t.description;
  }
}

}  // namespace
}  // namespace wenku::ingest
