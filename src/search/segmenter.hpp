// Segmenter: text → index terms, the one component both the index and the queries use, so
// a query finds exactly what indexing put there.
//
// Each code point is folded first, one to one (so every term still knows where it came
// from in the original text) by core/text_fold.hpp, the folding near-duplicate
// fingerprints use too: NFKC + case folding (ICU's nfkc_cf: full-width Ａ１ → a1), then
// traditional → simplified Chinese (OpenCC's t2s, applied character by character:
// 教育宣傳 and 教育宣传 give the same terms).
//
// The folded text is cut into runs:
//   - CJK runs (Han, kana, hangul): every pair of neighbouring characters is a bigram
//     term at the position of its first character, so any 2-character sequence is found;
//     words of 3+ characters from friso's dictionary segmentation (成华区, 学位论文) are
//     added at the position of their first character, for ranking. A run of one
//     character is that character; for the index (Options::unigrams) every character
//     is also a term at its own position. A run of n characters takes n positions.
//   - Letters and digits of other scripts: one term per word, English-stemmed with
//     libstemmer (documents → document); digits stay as they are, "3.5" is one term.
//   - Anything else separates terms.
//
// friso is used only for CJK runs, with its synonym output off (synonyms break phrases).
// Threading: a Segmenter is immutable after Open and safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace wenku::search {

enum class TokenKind : uint8_t {
  kBigram,  // two CJK characters
  kWord,    // a dictionary word of 3+ CJK characters
  kChar,    // a CJK run of one character
  kLatin,   // a stemmed word of another script
  kNumber,  // digits (with inner dots: 3.5)
};

struct Token {
  std::string term;  // folded; what the index holds
  uint32_t position = 0;
  uint32_t begin = 0;  // byte offsets of the token in the original text
  uint32_t end = 0;
  TokenKind kind = TokenKind::kLatin;
};

struct SegmenterOptions {
  std::string friso_ini = "/etc/friso/friso.ini";  // its lex_dir must be the UTF-8 dictionary
  std::string opencc_config = "/usr/share/opencc/t2s.json";
};

class Segmenter {
 public:
  // Loads friso's dictionary (~0.2 s) and builds the t2s table. Errors: kInternal with
  // what is missing (the friso-dict or libopencc-data package).
  static Result<std::unique_ptr<Segmenter>> Open(const SegmenterOptions& options = {});
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // What to produce besides bigrams, single-character runs and Latin words.
  struct Options {
    bool words = true;      // dictionary words (the costly part: snippets skip them)
    bool unigrams = false;  // every CJK character, not only runs of one (the index wants
                            // them: a query 第9节 must find 节 inside 第9节第40行)
  };
  // Every term of `text` in position order (tokens at one position: bigram, then
  // character, then word). Positions start at `first_position`; *next_position (when
  // given) is one past the last.
  std::vector<Token> Tokenize(std::string_view text, uint32_t first_position = 0,
                              uint32_t* next_position = nullptr) const {
    return Tokenize(text, Options{}, first_position, next_position);
  }
  std::vector<Token> Tokenize(std::string_view text, const Options& options,
                              uint32_t first_position = 0, uint32_t* next_position = nullptr) const;

  // The folding alone, for tests and for display: NFKC, case-folded, simplified.
  std::string Fold(std::string_view text) const;

 private:
  struct Impl;
  explicit Segmenter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wenku::search
