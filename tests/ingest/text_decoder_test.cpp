#include "ingest/text_decoder.hpp"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

// Encodes UTF-8 `text` into `encoding` with ICU (through DecodeWith's inverse: iconv-free).
std::string Encode(const std::string& text, const char* encoding);

constexpr const char* kSunzi =
    "孙子曰：兵者，国之大事，死生之地，存亡之道，不可不察也。故经之以五事，校之以计，而索其情：一曰"
    "道，二曰天，"
    "三曰地，四曰将，五曰法。道者，令民与上同意也，故可以与之死，可以与之生，而不畏危。\n";

TEST(TextDecoderTest, DetectsAndDecodesTheEncodingsChineseWindowsUsersHave) {
  struct Case {
    const char* encode_as;
    const char* detected;
  } cases[] = {{"GB18030", "GB18030"}, {"UTF-8", "UTF-8"}, {"HZ", "HZ-GB-2312"}};
  for (const auto& c : cases) {
    std::string bytes = Encode(std::string(kSunzi) + kSunzi, c.encode_as);
    auto decoded = DecodeText(bytes);
    ASSERT_TRUE(decoded.ok()) << c.encode_as << ": " << decoded.error().message;
    EXPECT_EQ(decoded->encoding, c.detected);
    EXPECT_EQ(decoded->utf8, std::string(kSunzi) + kSunzi) << c.encode_as;
  }
}

TEST(TextDecoderTest, TraditionalChineseInBig5) {
  std::string trad =
      "孫子曰：兵者，國之大事，死生之地，存亡之道，不可不察也。故經之以五事，校之以計，而索其情：一"
      "曰道，二曰天，"
      "三曰地，四曰將，五曰法。道者，令民與上同意也，故可以與之死，可以與之生，而不畏危。\n";
  auto decoded = DecodeText(Encode(trad + trad + trad, "Big5"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->encoding, "BIG5");
  EXPECT_EQ(decoded->utf8, trad + trad + trad);
}

TEST(TextDecoderTest, ByteOrderMarksAndEbcdic) {
  std::string english =
      "It is a truth universally acknowledged that a single man in possession of a good fortune\n";
  auto utf16 = DecodeText(std::string("\xFF\xFE", 2) + Encode(english + english, "UTF-16LE"));
  ASSERT_TRUE(utf16.ok());
  EXPECT_EQ(utf16->encoding, "UTF-16LE");
  EXPECT_EQ(utf16->utf8, english + english);
  auto ebcdic = DecodeText(Encode(english + english + english, "ibm-500"));
  ASSERT_TRUE(ebcdic.ok());
  EXPECT_EQ(ebcdic->encoding, "IBM500");
  EXPECT_EQ(ebcdic->utf8, english + english + english);
}

TEST(TextDecoderTest, WindowsLineEndsBecomeNewlines) {
  auto decoded = DecodeText("first line\r\nsecond line\r\n");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->utf8, "first line\nsecond line\n");
}

TEST(TextDecoderTest, EmptyAndBinaryAreRefused) {
  EXPECT_EQ(DecodeText("").error().code, ErrorCode::kEmptyFile);
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) % 256);
  EXPECT_EQ(DecodeText(binary).error().code, ErrorCode::kUnsupportedType);
}

TEST(TextDecoderTest, CorpusFilesDecodeToTheSameText) {
  std::string corpus = wenku::testing::CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  auto read = [&](const char* name) {
    std::ifstream in(corpus + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto utf8 = DecodeText(read("zh-sunzi-utf8.txt"));
  auto gbk = DecodeText(read("zh-sunzi-gbk.txt"));
  auto hz = DecodeText(read("zh-sunzi-hz.txt"));
  auto big5 = DecodeText(read("zh-sunzi-big5.txt"));
  auto sjis = DecodeText(read("ja-rashomon-sjis.txt"));
  auto ebcdic = DecodeText(read("en-ebcdic-cp500.txt"));
  auto utf16 = DecodeText(read("en-utf16le-bom.txt"));
  const std::pair<const char*, const Result<DecodedText>*> all[] = {
      {"utf8", &utf8}, {"gbk", &gbk},       {"hz", &hz},      {"big5", &big5},
      {"sjis", &sjis}, {"ebcdic", &ebcdic}, {"utf16", &utf16}};
  for (const auto& [name, r] : all) ASSERT_TRUE(r->ok()) << name << ": " << r->error().message;
  EXPECT_EQ(gbk->encoding, "GB18030");
  EXPECT_EQ(hz->encoding, "HZ-GB-2312");
  EXPECT_EQ(big5->encoding, "BIG5");
  EXPECT_EQ(sjis->encoding, "SHIFT_JIS");
  EXPECT_EQ(ebcdic->encoding, "IBM500");
  EXPECT_EQ(utf16->encoding, "UTF-16LE");
  // (EXPECT_TRUE: a failure would print the whole book.)
  EXPECT_TRUE(wenku::testing::WithoutSpace(gbk->utf8) == wenku::testing::WithoutSpace(utf8->utf8));
  // The HZ copy lost the characters GB2312 lacks ('?'); the opening is the same.
  EXPECT_EQ(wenku::testing::WithoutSpace(hz->utf8).substr(0, 600),
            wenku::testing::WithoutSpace(utf8->utf8).substr(0, 600));
  EXPECT_NE(big5->utf8.find("孫子"), std::string::npos);
  EXPECT_NE(sjis->utf8.find("羅生門"), std::string::npos);
}

std::string Encode(const std::string& text, const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(text.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           text.data(), static_cast<int32_t>(text.size()), &status);
  EXPECT_FALSE(U_FAILURE(status)) << encoding;
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace
}  // namespace wenku::ingest
