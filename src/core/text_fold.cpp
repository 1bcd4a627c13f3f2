#include "core/text_fold.hpp"

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include <map>
#include <mutex>

namespace wenku {
namespace {

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, c, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

}  // namespace

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

Result<std::unique_ptr<TextFold>> TextFold::Open(const std::string& opencc_config) {
  std::unique_ptr<TextFold> fold(new TextFold());
  UErrorCode status = U_ZERO_ERROR;
  fold->nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return MakeError(ErrorCode::kInternal, "ICU has no NFKC_Casefold data");

  // t2s, character by character: every Han code point through OpenCC once.
  opencc_t cc = opencc_open(opencc_config.c_str());
  if (cc == reinterpret_cast<opencc_t>(-1)) {
    return MakeError(ErrorCode::kInternal, "OpenCC cannot open " + opencc_config +
                                               " (install libopencc-data): " + opencc_error());
  }
  std::vector<UChar32> all;
  for (UChar32 c = 0x3400; c <= 0x4DBF; ++c) all.push_back(c);
  for (UChar32 c = 0x4E00; c <= 0x9FFF; ++c) all.push_back(c);
  for (UChar32 c = 0x20000; c <= 0x2A6DF; ++c) all.push_back(c);
  std::string input;
  for (UChar32 c : all) {
    AppendUtf8(input, c);
    input += '\n';
  }
  char* converted = opencc_convert_utf8(cc, input.data(), input.size());
  opencc_close(cc);
  if (converted == nullptr) return MakeError(ErrorCode::kInternal, "OpenCC failed to convert");
  std::string out(converted);
  opencc_convert_utf8_free(converted);
  fold->t2s_bmp_.assign(0x10000, 0);
  size_t line_start = 0;
  for (UChar32 original : all) {
    size_t nl = out.find('\n', line_start);
    if (nl == std::string::npos) break;
    const auto* s = reinterpret_cast<const uint8_t*>(out.data() + line_start);
    int32_t len = static_cast<int32_t>(nl - line_start), i = 0;
    UChar32 c = -1;
    if (len > 0) U8_NEXT(s, i, len, c);
    if (c > 0 && i == len && c != original) {  // exactly one, different, code point
      if (original < 0x10000) {
        fold->t2s_bmp_[static_cast<size_t>(original)] = static_cast<char32_t>(c);
      } else {
        fold->t2s_supp_[static_cast<char32_t>(original)] = static_cast<char32_t>(c);
      }
    }
    line_start = nl + 1;
  }
  return fold;
}

Result<const TextFold*> TextFold::Shared(const std::string& opencc_config) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<TextFold>> opened;  // never freed
  std::lock_guard lock(mu);
  auto it = opened.find(opencc_config);
  if (it != opened.end()) return static_cast<const TextFold*>(it->second.get());
  auto fold = Open(opencc_config);
  if (!fold.ok()) return fold.error();
  const TextFold* p = fold->get();
  opened.emplace(opencc_config, std::move(fold).value());
  return p;
}

char32_t TextFold::ToSimplified(char32_t c) const {
  if (c < 0x10000) {
    char32_t s = t2s_bmp_[static_cast<size_t>(c)];
    return s ? s : c;
  }
  auto it = t2s_supp_.find(c);
  return it == t2s_supp_.end() ? c : it->second;
}

void TextFold::Append(char32_t c, std::u32string& out) const {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    out.push_back(c);
    return;
  }
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) {  // NFKC-stable
    out.push_back(ToSimplified(c));
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString one(static_cast<UChar32>(c));
  icu::UnicodeString folded = nfkc_cf_->normalize(one, status);
  if (U_FAILURE(status)) {
    out.push_back(c);
    return;
  }
  for (int32_t i = 0; i < folded.length();) {
    UChar32 f = folded.char32At(i);
    i += U16_LENGTH(f);
    auto fc = static_cast<char32_t>(f);
    out.push_back(IsHan(fc) ? ToSimplified(fc) : fc);
  }
}

namespace {

// Calls `f` with each valid code point of UTF-8 `text`.
template <typename F>
void ForEachCodePoint(std::string_view text, F&& f) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0) f(static_cast<char32_t>(c));
  }
}

}  // namespace

std::string TextFold::Simplified(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  ForEachCodePoint(text, [&](char32_t c) {
    AppendUtf8(out, static_cast<UChar32>(IsHan(c) ? ToSimplified(c) : c));
  });
  return out;
}

double TextFold::TraditionalShare(std::string_view text) const {
  size_t han = 0, traditional = 0;
  ForEachCodePoint(text, [&](char32_t c) {
    if (!IsHan(c)) return;
    ++han;
    traditional += ToSimplified(c) != c;
  });
  return han == 0 ? 0.0 : static_cast<double>(traditional) / static_cast<double>(han);
}

std::u32string TextFold::Fold(std::string_view text) const {
  std::u32string out;
  out.reserve(text.size());
  ForEachCodePoint(text, [&](char32_t c) { Append(c, out); });
  return out;
}

}  // namespace wenku
