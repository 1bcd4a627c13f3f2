// Near-duplicate fingerprints, the pure part (library/fingerprint.hpp): normalization, the
// estimate, the band parameters, and measurements on the project's own texts
// (tests/support/passages.hpp): one text written in different ways clusters, a second
// edition with a tenth of its lines edited still matches, unrelated texts stay apart.
// The real formats (DOCX, PDF, RTF, GBK and Big5 TXT through the real pipeline) are
// measured in tests/integration/near_duplicates_test.cpp.
#include "library/fingerprint.hpp"

#include <gtest/gtest.h>
#include <opencc/opencc.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <set>

#include "support/passages.hpp"

namespace wenku::library {
namespace {

using wenku::testing::Passage;
using wenku::testing::Passages;

const TextFold& Fold() {
  auto fold = TextFold::Shared("/usr/share/opencc/t2s.json");
  EXPECT_TRUE(fold.ok()) << (fold.ok() ? "" : fold.error().message);
  return **fold;
}

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string Normalized(std::string_view text) {
  return Utf8(NormalizeForFingerprint(Fold(), text));
}

Signature Sign(const std::string& text) {
  auto sig = SignatureOf(NormalizeForFingerprint(Fold(), text));
  EXPECT_TRUE(sig.has_value()) << "too little text: " << text.substr(0, 60);
  return sig.value_or(Signature{});
}

double Similar(const std::string& a, const std::string& b) { return Similarity(Sign(a), Sign(b)); }

// The exact Jaccard similarity of two texts' shingle sets.
double Jaccard(const std::string& a, const std::string& b) {
  auto sa = ShingleHashes(NormalizeForFingerprint(Fold(), a));
  auto sb = ShingleHashes(NormalizeForFingerprint(Fold(), b));
  std::vector<uint64_t> both;
  std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(both));
  return static_cast<double>(both.size()) /
         static_cast<double>(sa.size() + sb.size() - both.size());
}

std::string Join(const std::vector<std::string>& lines, const std::string& sep = "\n") {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : sep) + l;
  return out;
}

// OpenCC's simplified → traditional conversion (phrase-aware, as a Big5 document has it).
std::string ToTraditional(const std::string& text) {
  opencc_t cc = opencc_open("/usr/share/opencc/s2t.json");
  EXPECT_NE(cc, reinterpret_cast<opencc_t>(-1));
  char* out = opencc_convert_utf8(cc, text.data(), text.size());
  std::string result(out);
  opencc_convert_utf8_free(out);
  opencc_close(cc);
  return result;
}

// Full-width ASCII letters, digits and punctuation, as some Chinese editors write them.
std::string ToFullWidth(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c > 0x20 && c < 0x7f) {
      char32_t w = static_cast<char32_t>(c) - 0x21 + 0xFF01;
      out += Utf8(std::u32string(1, w));
    } else if (c == ' ') {
      out += "\u3000";
    } else {
      out += c;
    }
  }
  return out;
}

TEST(FingerprintNormalize, FullWidthHalfWidthCaseAndPunctuationFoldAway) {
  EXPECT_EQ(Normalized("ＡＢＣ　１２３，Ｈｅｌｌｏ！"), "abc123hello");
  EXPECT_EQ(Normalized("ABC 123, Hello!"), "abc123hello");
  EXPECT_EQ(Normalized("HeLLo WoRLD"), "helloworld");
  EXPECT_EQ(Normalized("你好，世界！\n  The end.\r\n\t“引号”《书名》——破折号…"),
            "你好世界theend引号书名破折号");
  EXPECT_EQ(Normalized("ﬁnance Ⅻ ①"), "financexii1");  // ligature, Roman numeral, circled
  EXPECT_EQ(Normalized("docu\u00ADment zero\u200Bwidth"), "documentzerowidth");
  EXPECT_EQ(Normalized("$100 + 5% = ?"), "1005");  // symbols are not words
}

TEST(FingerprintNormalize, TraditionalChineseFoldsToSimplified) {
  EXPECT_EQ(Normalized("教育宣傳資料"), "教育宣传资料");
  EXPECT_EQ(Normalized("臺灣的電腦與網絡"), "台湾的电脑与网络");
  // A whole passage through OpenCC's s2t and back: character by character, all but the
  // characters OpenCC converts by phrase (反复 → 反覆, and 覆 is simplified too) come back.
  const std::string simplified = wenku::testing::PassageNamed("zh-printing").Text();
  std::u32string back = NormalizeForFingerprint(Fold(), ToTraditional(simplified));
  std::u32string original = NormalizeForFingerprint(Fold(), simplified);
  ASSERT_EQ(back.size(), original.size());
  size_t differ = 0;
  for (size_t i = 0; i < back.size(); ++i) differ += back[i] != original[i] ? 1 : 0;
  EXPECT_LE(differ, original.size() / 100) << differ << " of " << original.size();
}

TEST(FingerprintNormalize, PagesJoinWithoutTheirBreaks) {
  std::vector<Page> pages = {Page{1, "第一页的最后一句话没有说", TextSource::kLayer, 0, 0},
                             Page{2, "完，到第二页才结束。", TextSource::kLayer, 0, 0}};
  EXPECT_EQ(Utf8(NormalizeForFingerprint(Fold(), pages)),
            "第一页的最后一句话没有说完到第二页才结束");
}

TEST(FingerprintSignature, TooLittleTextHasNone) {
  std::u32string text(kMinCharacters - 1, U'文');
  EXPECT_FALSE(SignatureOf(text).has_value());
  text += U'字';
  EXPECT_TRUE(SignatureOf(text).has_value());
  EXPECT_FALSE(SignatureOf(NormalizeForFingerprint(Fold(), "……  ，，，。。。\n\n")).has_value());
}

TEST(FingerprintSignature, ShinglesWeighFiveChineseCharactersOrTenLetters) {
  // 12 Chinese characters: 8 shingles of 5; 20 letters: 11 shingles of 10.
  EXPECT_EQ(ShingleHashes(U"一二三四五六七八九十百千").size(), 8u);
  EXPECT_EQ(ShingleHashes(U"abcdefghijklmnopqrst").size(), 11u);
  // Mixed: 中文 (4) + abcdef (6) = 10: one shingle spans both scripts.
  EXPECT_EQ(ShingleHashes(U"中文abcdef").size(), 1u);
  EXPECT_TRUE(ShingleHashes(U"中文abcde").empty());
}

TEST(FingerprintSignature, EncodesAndDecodesExactly) {
  Signature sig = Sign(Passages()[0].Text());
  std::string hex = EncodeSignature(sig);
  EXPECT_EQ(hex.size(), kHashes * 8);
  EXPECT_EQ(DecodeSignature(hex), sig);
  EXPECT_FALSE(DecodeSignature(hex.substr(1)).has_value());
  hex[5] = 'g';
  EXPECT_FALSE(DecodeSignature(hex).has_value());
  EXPECT_FALSE(DecodeSignature("").has_value());
}

TEST(FingerprintSignature, BucketsAreEqualExactlyWhenTheirBandsAre) {
  Signature a = Sign(Passages()[0].Text());
  Signature b = a;
  b[kRows * 3] ^= 1;  // band 3 differs
  auto ba = BandBuckets(a), bb = BandBuckets(b);
  ASSERT_EQ(ba.size(), kBands);
  for (size_t band = 0; band < kBands; ++band) EXPECT_EQ(ba[band] == bb[band], band != 3) << band;
  b = a;
  b[kHashes - 1] ^= 1;  // past the banded positions: only the estimate sees it
  EXPECT_EQ(BandBuckets(b), ba);
  EXPECT_LT(Similarity(a, b), 1.0);
}

// The contract's table (fingerprint.hpp): the band parameters find what they must.
TEST(FingerprintBands, CandidateProbabilitiesAreTheContracts) {
  EXPECT_GT(CandidateProbability(0.9), 0.9999);
  EXPECT_GT(CandidateProbability(0.85), 0.999);
  EXPECT_GT(CandidateProbability(0.8), 0.985);
  EXPECT_LT(CandidateProbability(0.5), 0.14);
  EXPECT_LT(CandidateProbability(0.3), 0.004);
  EXPECT_LT(CandidateProbability(0.1), 0.00001);
}

TEST(FingerprintEstimate, TracksTheExactJaccardSimilarity) {
  // Pairs from unrelated to identical: generated texts sharing a growing number of lines.
  double worst = 0, total = 0;
  int n = 0;
  for (int shared = 0; shared <= 40; shared += 4) {
    auto a = wenku::testing::GeneratedChinese(7, 40);
    auto b = wenku::testing::GeneratedChinese(8, 40);
    for (int i = 0; i < shared; ++i) b[static_cast<size_t>(i)] = a[static_cast<size_t>(i)];
    double exact = Jaccard(Join(a), Join(b));
    double estimate = Similar(Join(a), Join(b));
    worst = std::max(worst, std::abs(exact - estimate));
    total += std::abs(exact - estimate);
    ++n;
  }
  std::cout << "[measure] estimate vs exact Jaccard: mean error " << total / n << ", max " << worst
            << " (" << n << " pairs)\n";
  EXPECT_LT(total / n, 0.05);
  EXPECT_LT(worst, 0.15);  // 3.4 standard errors at J = 0.5
}

// One text, written the ways its formats give it back: line breaks where a PDF's layout
// put them, pages cut anywhere, full-width punctuation and letters, traditional characters.
TEST(FingerprintMeasure, OneTextWrittenDifferentlyClusters) {
  const std::string text =
      Passages()[0].Text() + "\n" + Passages()[6].Text() + "\n" + Passages()[3].Text();
  std::vector<std::pair<std::string, std::string>> forms = {
      {"rewrapped to 30 columns", Join(wenku::testing::Wrap(text, 30))},
      {"one line", Join(wenku::testing::Wrap(text, 100000), " ")},
      {"full-width", ToFullWidth(text)},
      {"traditional", ToTraditional(text)},
      {"spaced", Join(wenku::testing::Wrap(text, 1), " ")},
  };
  double least = 1;
  for (const auto& [name, form] : forms) {
    double s = Similar(text, form);
    least = std::min(least, s);
    EXPECT_GE(s, 0.9) << name;
  }
  std::cout << "[measure] one text, written 5 ways: least similarity " << least << "\n";
}

TEST(FingerprintMeasure, ASecondEditionWithATenthOfItsLinesEditedStillMatches) {
  std::vector<std::vector<std::string>> documents;
  for (const Passage& p : Passages()) documents.push_back(p.lines);
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    documents.push_back(wenku::testing::GeneratedChinese(seed, 60));
  }
  double least = 1;
  for (const auto& lines : documents) {
    double s = Similar(Join(lines), Join(wenku::testing::EditEveryTenthLine(lines)));
    least = std::min(least, s);
    EXPECT_GE(s, 0.8) << lines[0];
  }
  std::cout << "[measure] every tenth line edited: least similarity " << least << " ("
            << documents.size() << " documents)\n";
}

TEST(FingerprintMeasure, UnrelatedTextsStayApart) {
  std::vector<std::string> texts;
  for (const Passage& p : Passages()) texts.push_back(p.Text());
  // Generated documents share one vocabulary: unrelated, yet full of the same words.
  for (uint64_t seed = 11; seed <= 16; ++seed) {
    texts.push_back(Join(wenku::testing::GeneratedChinese(seed, 60)));
  }
  double most = 0;
  size_t a_most = 0, b_most = 0;
  for (size_t a = 0; a < texts.size(); ++a) {
    for (size_t b = a + 1; b < texts.size(); ++b) {
      double s = Similar(texts[a], texts[b]);
      if (s > most) most = s, a_most = a, b_most = b;
      EXPECT_LT(s, 0.3) << a << " vs " << b;
    }
  }
  std::cout << "[measure] unrelated: most similar pair " << most << " (texts " << a_most << ", "
            << b_most << " of " << texts.size() << ")\n";
}

}  // namespace
}  // namespace wenku::library
