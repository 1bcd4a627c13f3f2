// SensitiveWords: the site's list of sensitive words (the runtime setting
// moderation.sensitive_words) and the one way text is checked against it. Titles and
// descriptions of new documents and new comments are checked; a hit holds the item for a
// moderator's review instead of publishing it (the rule that acts on a hit lives in
// moderation.hpp: HoldIfSensitive).
//
// The list: words separated by new lines, commas (, ，), 、 or |; surrounding white space
// dropped, empty entries ignored; at most kMaxWords words of at most kMaxWordChars
// characters each (the rest is ignored, and `wenku` logs it once).
// Matching: the text and every word are normalized the way near-duplicate fingerprints are
// (library::NormalizeForFingerprint: NFKC, case folded, 繁→简, everything but letters and
// digits dropped), then a word hits when it occurs in the text. So "ＡＢＣ", "a b c" and
// "A.B.C" all hit the word "abc", and 賭博 hits 赌博. A word that normalizes to nothing
// (punctuation only) is ignored. Substring search per word: O(words × length) — titles,
// descriptions and comments are at most a few thousand characters and lists a few hundred
// words; an Aho–Corasick automaton would only pay off at lists far beyond kMaxWords.
// Threading: immutable after Parse; safe for concurrent use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/text_fold.hpp"

namespace wenku::moderation {

inline constexpr size_t kMaxWords = 2000;
inline constexpr size_t kMaxWordChars = 50;

class SensitiveWords {
 public:
  SensitiveWords() = default;  // an empty list: nothing hits
  static SensitiveWords Parse(std::string_view list, const TextFold& fold);

  // The words of the list found in `text`, as the list spells them, in list order, each once.
  std::vector<std::string> Hits(std::string_view text) const;
  bool empty() const { return words_.empty(); }
  size_t size() const { return words_.size(); }

 private:
  struct Word {
    std::string spelled;
    std::u32string normalized;
  };
  const TextFold* fold_ = nullptr;
  std::vector<Word> words_;
};

}  // namespace wenku::moderation
