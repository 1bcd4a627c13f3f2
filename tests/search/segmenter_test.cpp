// The segmenter's terms, as the index and the queries both get them.
#include "search/segmenter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wenku::search {
namespace {

const Segmenter& Seg() {
  static std::unique_ptr<Segmenter> seg = [] {
    auto s = Segmenter::Open();
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return std::move(s).value();
  }();
  return *seg;
}

// "term@position" for every token, in order.
std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : Seg().Tokenize(text))
    out.push_back(t.term + "@" + std::to_string(t.position));
  return out;
}

TEST(Segmenter, ChineseRunsGiveBigramsAndDictionaryWords) {
  EXPECT_EQ(Terms("学位论文"),
            (std::vector<std::string>{"学位@0", "学位论文@0", "位论@1", "论文@2"}));
  EXPECT_EQ(Terms("上传文档"), (std::vector<std::string>{"上传@0", "传文@1", "文档@2"}));
  // A single character is itself; punctuation separates runs.
  EXPECT_EQ(Terms("书，文档"), (std::vector<std::string>{"书@0", "文档@1"}));
}

TEST(Segmenter, TheIndexAlsoGetsEveryCharacter) {
  std::vector<std::string> got;
  for (const auto& t : Seg().Tokenize("上传文档", Segmenter::Options{true, true})) {
    got.push_back(t.term + "@" + std::to_string(t.position));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"上传@0", "上@0", "传文@1", "传@1", "文档@2", "文@2",
                                           "档@3"}));
}

TEST(Segmenter, TraditionalFoldsToSimplified) {
  EXPECT_EQ(Seg().Fold("教育宣傳"), "教育宣传");
  EXPECT_EQ(Terms("教育宣傳"), Terms("教育宣传"));
  EXPECT_EQ(Seg().Fold("臺灣資料"), "台湾资料");
}

TEST(Segmenter, LatinIsNormalisedCaseFoldedAndStemmed) {
  EXPECT_EQ(Terms("Documents RUNNING"), (std::vector<std::string>{"document@0", "run@1"}));
  EXPECT_EQ(Terms("ＡＢＣ　１２３"), (std::vector<std::string>{"abc@0", "123@1"}));
  EXPECT_EQ(Terms("version 3.5, 2024"), (std::vector<std::string>{"version@0", "3.5@1", "2024@2"}));
  // Mixed: a CJK run takes one position per character.
  EXPECT_EQ(Terms("Word文档下载 files"),
            (std::vector<std::string>{"word@0", "文档@1", "档下@2", "下载@3", "file@5"}));
}

TEST(Segmenter, OffsetsPointIntoTheOriginalText) {
  std::string text = "Ａ 教育宣傳";
  auto tokens = Seg().Tokenize(text);
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Ａ");
  EXPECT_EQ(tokens[0].term, "a");
  const Token& last = tokens.back();
  EXPECT_EQ(last.term, "宣传");
  EXPECT_EQ(text.substr(last.begin, last.end - last.begin), "宣傳");
}

TEST(Segmenter, HostileInputNeverBreaksIt) {
  std::string bad = "\xff\xfe abc \xe6\x96";  // invalid UTF-8, a cut character
  auto tokens = Seg().Tokenize(bad);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].term, "abc");
  EXPECT_TRUE(Seg().Tokenize("").empty());
  std::string long_word(500, 'x');
  EXPECT_TRUE(Seg().Tokenize(long_word).empty());  // too long to be a word
}

}  // namespace
}  // namespace wenku::search
