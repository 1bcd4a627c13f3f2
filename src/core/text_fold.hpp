// TextFold: the one character folding Wenku compares texts by, so that the same words
// written differently count as the same. Search (search/segmenter.hpp: index terms and
// queries) and near-duplicate fingerprints (library/fingerprint.hpp) both fold with it.
//
// Each code point is folded on its own (so a caller can keep track of where every folded
// code point came from):
//   1. NFKC + case folding (ICU's nfkc_cf): full-width Ａ１ → a1, ﬁ → fi, Ⅻ → xii, A → a;
//      default-ignorable code points (soft hyphen, zero-width space) fold to nothing;
//   2. traditional → simplified Chinese, character by character: OpenCC's t2s conversion
//      of every Han code point, made once into a table at Open (教育宣傳 → 教育宣传,
//      臺灣 → 台湾). Phrase-level conversions OpenCC would make (one character becoming
//      two) are not applied: one code point stays one code point.
// Threading: immutable after Open; safe for concurrent use.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <unicode/uversion.h>

#include "core/result.hpp"

U_NAMESPACE_BEGIN
class Normalizer2;
U_NAMESPACE_END

namespace wenku {

// A Han ideograph (CJK unified ideographs and their extensions, compatibility ideographs, 〇).
bool IsHan(char32_t c);

class TextFold {
 public:
  // Builds the t2s table from OpenCC's configuration `opencc_config` (e.g.
  // /usr/share/opencc/t2s.json; ~0.1 s). Errors: kInternal naming what is missing (ICU's
  // nfkc_cf data, the libopencc-data package).
  static Result<std::unique_ptr<TextFold>> Open(const std::string& opencc_config);
  // One TextFold per configuration for the whole process, opened on first use (later
  // calls return the same one). Errors: as Open (not cached: a later call tries again).
  static Result<const TextFold*> Shared(const std::string& opencc_config);

  // Appends what `c` folds to (usually one code point, sometimes several, none for a
  // default-ignorable one) to `out`.
  void Append(char32_t c, std::u32string& out) const;
  // Valid UTF-8 `text` folded; invalid bytes are skipped.
  std::u32string Fold(std::string_view text) const;
  // A Han code point's simplified form (itself when it has none).
  char32_t ToSimplified(char32_t c) const;
  // `text` (UTF-8) with every Han code point in its simplified form, nothing else changed
  // (no NFKC, no case folding); invalid bytes are skipped.
  std::string Simplified(std::string_view text) const;
  // Of the Han code points in `text`, the share that have a different simplified form (0 when
  // there are none): how traditional a text is.
  double TraditionalShare(std::string_view text) const;

 private:
  TextFold() = default;
  const icu::Normalizer2* nfkc_cf_ = nullptr;
  std::vector<char32_t> t2s_bmp_;                    // 0 when unchanged
  std::unordered_map<char32_t, char32_t> t2s_supp_;  // beyond the BMP
};

}  // namespace wenku
