// Near-duplicate fingerprints: a signature of a document's text such that two documents
// holding nearly the same text have nearly the same signature, whatever format they came
// in (a DOCX, its PDF, an RTF, a GBK or Big5 TXT of it), and such that the documents
// resembling a new one are found among millions without comparing against each. Pure
// functions: no I/O (the rows are storage/fingerprint_store.hpp's; what a match means is
// near_duplicates.hpp's).
//
// The steps, and their parameters (changing any of them is a new kScheme):
//   normalize  every page's text folded by core/text_fold.hpp (NFKC, case, traditional →
//              simplified Chinese) and stripped of everything that is not a letter or a
//              digit (whitespace, line and page breaks, punctuation, symbols): a PDF's line
//              layout, a DOCX's paragraphs and a TXT's full-width punctuation vanish.
//   shingle    from every character of the normalized text, the shortest run weighing at
//              least kShingleWeight = 10, a CJK character (Han, kana, hangul) weighing 2
//              and any other letter or digit 1: 5 Chinese characters, 10 Latin letters
//              (measured on the corpus: 5-letter shingles made two unrelated long English
//              books 25% alike; 10 letters, under 7%).
//   MinHash    each distinct shingle hashed to 64 bits, then kHashes = 128 hash functions
//              (that hash xor a fixed seed, through murmur3's 64-bit finaliser); the
//              signature is each function's minimum, kept as 32 bits. Two signatures agree
//              at a position with probability the Jaccard similarity J of the two shingle
//              sets (shared shingles / all shingles).
//   similarity the share of the 128 positions where two signatures agree: an estimate of
//              J with standard error √(J(1−J)/128), at most 0.044 (0.032 at J = 0.85).
//   bands      locality-sensitive hashing: the first 126 positions cut into kBands = 18
//              bands of kRows = 7; a band's bucket is a 64-bit hash of (band, its 7 values).
//              Two documents become candidates when they share a bucket, with probability
//              1 − (1 − J⁷)¹⁸ (CandidateProbability): J 0.9 → 99.999%, 0.85 → 99.9%,
//              0.8 → 98.6%, 0.7 → 79%, 0.5 → 13%, 0.3 → 0.39%, 0.1 → 0.0002%.
//              A lookup reads 18 index ranges; candidates are then confirmed by Similarity
//              on their full signatures.
// A text of fewer than kMinCharacters = 200 normalized characters (a scan without OCR text,
// a drawing, a title page) gets no signature: too little to tell copies from coincidence.
//
// Measured (tests/library/fingerprint_test.cpp, tests/integration/near_duplicates_test.cpp,
// bench/fingerprint; docs/architecture.md §6 keeps the figures): one text as TXT, GBK TXT,
// DOCX, RTF and PDF through the real pipeline ≥ 0.9 alike; a version with 10% of its lines
// edited ≥ 0.8; unrelated texts ≤ 0.3.
// Threading: pure functions; safe for concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/text_fold.hpp"

namespace wenku::library {

inline constexpr int64_t kFingerprintScheme = 1;  // stored with each signature
inline constexpr size_t kHashes = 128;
inline constexpr size_t kBands = 18;
inline constexpr size_t kRows = 7;
inline constexpr int kShingleWeight = 10;
inline constexpr size_t kMinCharacters = 200;
static_assert(kBands * kRows <= kHashes);

using Signature = std::array<uint32_t, kHashes>;

// The normalized text of `text`, and of a document's pages joined (page breaks dropped).
std::u32string NormalizeForFingerprint(const TextFold& fold, std::string_view text);
std::u32string NormalizeForFingerprint(const TextFold& fold, const std::vector<Page>& pages);

// The distinct shingles of normalized text, hashed (unordered).
std::vector<uint64_t> ShingleHashes(std::u32string_view normalized);

// The signature of normalized text; none under kMinCharacters characters.
std::optional<Signature> SignatureOf(std::u32string_view normalized);

// The estimated Jaccard similarity of two texts, 0..1.
double Similarity(const Signature& a, const Signature& b);
// As a whole percentage, rounded down (so a stored 85 means at least 0.85).
int64_t SimilarityPercent(double similarity);

// Band i's bucket (as a signed 64-bit value, for a BIGINT column) at index i.
std::vector<int64_t> BandBuckets(const Signature& signature);

// 1 − (1 − j^kRows)^kBands: the chance two texts of Jaccard similarity `j` become candidates.
double CandidateProbability(double j);

// The signature as stored: kHashes × 8 lower-case hex digits; Decode answers none for
// anything else.
std::string EncodeSignature(const Signature& signature);
std::optional<Signature> DecodeSignature(std::string_view text);

}  // namespace wenku::library
