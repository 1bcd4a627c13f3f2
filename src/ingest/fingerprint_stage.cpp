// fingerprint: the exact identity of the original is its SHA-256, computed once when the
// blob store took the bytes (the blob's name; not hashed again here). This stage adds the
// near-duplicate signature of the text: a 64-bit SimHash over 3-code-point shingles, each shingle
// hashed with libsodium's SipHash (crypto_shorthash). Documents whose signatures differ in few bits
// have nearly the same text.
#include <sodium.h>

#include <array>
#include <cstring>

#include "core/text.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

// Splits UTF-8 into code points (as byte slices), dropping whitespace and control bytes.
std::vector<std::string_view> CodePoints(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = std::min(std::max<size_t>(Utf8SequenceLength(c), 1), text.size() - i);
    if (!(len == 1 && (c <= 0x20 || c == 0x7f))) out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace

std::string TextSimHash(const std::vector<Page>& pages) {
  static const unsigned char kKey[crypto_shorthash_KEYBYTES] = {
      'w', 'e', 'n', 'k', 'u', '-', 's', 'i', 'm', 'h', 'a', 's', 'h', '-', 'v', '1'};
  std::array<int64_t, 64> weights{};
  bool any = false;
  for (const Page& p : pages) {
    auto cps = CodePoints(p.text);
    for (size_t i = 0; i + 3 <= cps.size(); ++i) {
      // Three code points in a row, as bytes (whitespace inside the window is skipped, so
      // the shingle is hashed from its pieces' bytes joined).
      unsigned char bytes[12];
      size_t len = 0;
      for (size_t k = 0; k < 3; ++k) {
        std::memcpy(bytes + len, cps[i + k].data(), cps[i + k].size());
        len += cps[i + k].size();
      }
      unsigned char h[crypto_shorthash_BYTES];
      crypto_shorthash(h, bytes, len, kKey);
      uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(h[b]) << (8 * b);
      for (int bit = 0; bit < 64; ++bit)
        weights[static_cast<size_t>(bit)] += (v >> bit) & 1 ? 1 : -1;
      any = true;
    }
  }
  if (!any) return "";
  uint64_t sig = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (weights[static_cast<size_t>(bit)] > 0) sig |= uint64_t{1} << bit;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sig));
  return hex;
}

namespace {

class FingerprintStage final : public Stage {
 public:
  std::string_view name() const override { return "fingerprint"; }

  Status Run(JobContext& ctx) const override {
    ctx.text_simhash = TextSimHash(ctx.pages);
    return {};
  }
};

}  // namespace

std::unique_ptr<Stage> MakeFingerprintStage() { return std::make_unique<FingerprintStage>(); }

}  // namespace wenku::ingest
