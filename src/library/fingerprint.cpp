#include "library/fingerprint.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace wenku::library {
namespace {

// murmur3's 64-bit finaliser: a bijection that mixes every input bit into every output bit.
constexpr uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The 128 hash functions' seeds: a fixed splitmix64 sequence (part of kFingerprintScheme).
constexpr std::array<uint64_t, kHashes> MakeSeeds() {
  std::array<uint64_t, kHashes> seeds{};
  uint64_t state = 0x77656e6b75763031ULL;  // "wenkuv01"
  for (auto& s : seeds) {
    state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    s = z ^ (z >> 31);
  }
  return seeds;
}
constexpr std::array<uint64_t, kHashes> kSeeds = MakeSeeds();

bool Kept(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  return u_isalnum(static_cast<UChar32>(c));
}

// A CJK character carries about as much as two Latin letters.
int Weight(char32_t c) {
  if (IsHan(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF)) return 2;
  return 1;
}

}  // namespace

std::u32string NormalizeForFingerprint(const TextFold& fold, std::string_view text) {
  std::u32string out;
  out.reserve(text.size() / 2);
  std::u32string folded;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0;
  const auto n = static_cast<int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) continue;  // invalid UTF-8
    folded.clear();
    fold.Append(static_cast<char32_t>(c), folded);
    for (char32_t f : folded) {
      if (Kept(f)) out.push_back(f);
    }
  }
  return out;
}

std::u32string NormalizeForFingerprint(const TextFold& fold, const std::vector<Page>& pages) {
  std::u32string out;
  for (const Page& p : pages) out += NormalizeForFingerprint(fold, p.text);
  return out;
}

std::vector<uint64_t> ShingleHashes(std::u32string_view t) {
  std::vector<uint64_t> out;
  out.reserve(t.size());
  size_t end = 0;
  int weight = 0;  // of t[begin, end)
  for (size_t begin = 0; begin < t.size(); ++begin) {
    while (end < t.size() && weight < kShingleWeight) weight += Weight(t[end++]);
    if (weight < kShingleWeight) break;  // the tail is shorter than a shingle
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the code points
    for (size_t k = begin; k < end; ++k) {
      h ^= t[k];
      h *= 0x100000001b3ULL;
    }
    out.push_back(Mix(h));
    weight -= Weight(t[begin]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<Signature> SignatureOf(std::u32string_view normalized) {
  if (normalized.size() < kMinCharacters) return std::nullopt;
  std::vector<uint64_t> shingles = ShingleHashes(normalized);
  if (shingles.empty()) return std::nullopt;
  Signature sig;
  sig.fill(std::numeric_limits<uint32_t>::max());
  for (uint64_t h : shingles) {
    for (size_t i = 0; i < kHashes; ++i) {
      auto v = static_cast<uint32_t>(Mix(h ^ kSeeds[i]) >> 32);
      sig[i] = std::min(sig[i], v);
    }
  }
  return sig;
}

double Similarity(const Signature& a, const Signature& b) {
  size_t same = 0;
  for (size_t i = 0; i < kHashes; ++i) same += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(same) / static_cast<double>(kHashes);
}

int64_t SimilarityPercent(double similarity) {
  // Signatures agree at k of 128 positions: k·100/128 in integers, so 109/128 = 85.16 → 85.
  return static_cast<int64_t>(std::floor(similarity * 100.0 + 1e-9));
}

std::vector<int64_t> BandBuckets(const Signature& signature) {
  std::vector<int64_t> buckets(kBands);
  for (size_t band = 0; band < kBands; ++band) {
    uint64_t x = Mix(0x62616e6473000000ULL + band);  // "bands"
    for (size_t r = 0; r < kRows; ++r) x = Mix(x ^ signature[band * kRows + r]);
    buckets[band] = static_cast<int64_t>(x);
  }
  return buckets;
}

double CandidateProbability(double j) {
  return 1.0 - std::pow(1.0 - std::pow(j, static_cast<double>(kRows)), static_cast<double>(kBands));
}

std::string EncodeSignature(const Signature& signature) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kHashes * 8);
  for (uint32_t v : signature) {
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xf]);
  }
  return out;
}

std::optional<Signature> DecodeSignature(std::string_view text) {
  if (text.size() != kHashes * 8) return std::nullopt;
  Signature sig{};
  for (size_t i = 0; i < kHashes; ++i) {
    uint32_t v = 0;
    for (size_t k = 0; k < 8; ++k) {
      char c = text[i * 8 + k];
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else {
        return std::nullopt;
      }
      v = (v << 4) | d;
    }
    sig[i] = v;
  }
  return sig;
}

}  // namespace wenku::library
