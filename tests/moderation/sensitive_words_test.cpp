// SensitiveWords: the list's format and what counts as a hit.
#include "moderation/sensitive_words.hpp"

#include <gtest/gtest.h>

namespace wenku::moderation {
namespace {

const TextFold& Fold() {
  static const TextFold* fold = *TextFold::Shared("/usr/share/opencc/t2s.json");
  return *fold;
}

using Words = std::vector<std::string>;

TEST(SensitiveWordsTest, AnEmptyListHitsNothing) {
  SensitiveWords none = SensitiveWords::Parse(" \n , | ", Fold());
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.Hits("赌博网站"), Words{});
  EXPECT_EQ(SensitiveWords().Hits("anything"), Words{});
}

TEST(SensitiveWordsTest, WordsAreSeparatedByLinesCommasAndBars) {
  SensitiveWords w = SensitiveWords::Parse("赌博\n 代写论文 ，发票|casino、刷单\r\n", Fold());
  EXPECT_EQ(w.size(), 5u);
  EXPECT_EQ(w.Hits("专业代写论文，价格优惠"), Words{"代写论文"});
  EXPECT_EQ(w.Hits("Best CASINO and 刷单 here"), (Words{"casino", "刷单"}));
  EXPECT_EQ(w.Hits("二年级数学期末试卷"), Words{});
}

TEST(SensitiveWordsTest, SpellingVariantsAndSeparatorsInsideAWordStillHit) {
  SensitiveWords w = SensitiveWords::Parse("赌博\nabc", Fold());
  EXPECT_EQ(w.Hits("網上賭博"), Words{"赌博"});             // traditional characters
  EXPECT_EQ(w.Hits("赌 . 博"), Words{"赌博"});              // punctuation and spaces between
  EXPECT_EQ(w.Hits("ＡＢＣ"), Words{"abc"});                // full-width, upper case
  EXPECT_EQ(w.Hits("a-b-c 赌博"), (Words{"赌博", "abc"}));  // list order, each once
}

TEST(SensitiveWordsTest, OverlongAndPunctuationOnlyEntriesAreIgnored) {
  std::string long_word(kMaxWordChars + 1, 'x');
  SensitiveWords w = SensitiveWords::Parse(long_word + "\n!!!\n。\nok词", Fold());
  EXPECT_EQ(w.size(), 1u);
  EXPECT_EQ(w.Hits(long_word), Words{});
  EXPECT_EQ(w.Hits("OK词"), Words{"ok词"});
}

TEST(SensitiveWordsTest, DuplicatesAfterNormalizingCountOnce) {
  SensitiveWords w = SensitiveWords::Parse("賭博\n赌博\nＡＢ\nab", Fold());
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(w.Hits("赌博ab"), (Words{"賭博", "ＡＢ"}));
}

}  // namespace
}  // namespace wenku::moderation
