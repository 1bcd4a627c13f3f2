#include "core/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace wenku {
namespace {

// Decodes one code point at `i`; advances `i`. Invalid bytes count as one narrow column.
char32_t Next(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = Utf8SequenceLength(c);
  if (len == 0 || i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  i += len;
  return cp;
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
         (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
         (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
         (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
         (cp >= 0x20000 && cp <= 0x3fffd);
}

bool IsCjk(char32_t cp) {
  return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
         (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3fffd) ||
         (cp >= 0x3000 && cp <= 0x303f) || cp == 0x201c || cp == 0x201d;
}

}  // namespace

std::string CollapseCjkSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t previous = 0;
  for (size_t i = 0; i < text.size();) {
    size_t start = i;
    char32_t cp = Next(text, i);
    if (cp == ' ' && IsCjk(previous)) {
      size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      size_t k = j;
      if (j < text.size() && IsCjk(Next(text, k))) {
        i = j;  // drop the run of spaces between two CJK characters
        continue;
      }
    }
    out.append(text.substr(start, i - start));
    previous = cp;
  }
  return out;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) width += IsWide(Next(text, i)) ? 2 : 1;
  return width;
}

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Bar(int64_t done, int64_t total, size_t width) {
  size_t filled = total > 0 ? static_cast<size_t>(std::min<int64_t>(done, total) *
                                                  static_cast<int64_t>(width) / total)
                            : 0;
  std::string s;
  for (size_t i = 0; i < width; ++i) s += i < filled ? "█" : "░";
  return s;
}

std::string FitColumns(std::string_view text, size_t columns, bool pad) {
  std::string out;
  size_t width = 0;
  if (DisplayWidth(text) > columns) {
    for (size_t i = 0; i < text.size();) {
      size_t start = i;
      size_t w = IsWide(Next(text, i)) ? 2 : 1;
      if (width + w + 1 > columns) break;
      out.append(text.substr(start, i - start));
      width += w;
    }
    out += "…";
    width += 1;
  } else {
    out = text;
    width = DisplayWidth(text);
  }
  if (pad && width < columns) out.append(columns - width, ' ');
  return out;
}

std::string NormalizeNfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string result;
  out.toUTF8String(result);
  return result;
}

std::string DropControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t n = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    if (n == 0 || i + n > text.size()) n = 1;
    char32_t c = static_cast<unsigned char>(text[i]);
    if (n > 1) {
      c &= 0xFFu >> (n + 1);
      for (size_t k = 1; k < n; ++k)
        c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (!IsControl(c) && !IsBidiControl(c)) out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

size_t CodePointCount(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t len = Utf8SequenceLength(lead);
    if (len == 0 || i + len > text.size()) return false;
    uint32_t cp = len == 1 ? lead : lead & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

std::string TruncateCodePoints(std::string_view text, size_t max_points) {
  size_t i = 0, points = 0;
  while (i < text.size() && points < max_points) {
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    i += len == 0 ? 1 : len;
    ++points;
  }
  if (i >= text.size()) return std::string(text);
  return std::string(text.substr(0, i)) + "…";
}

}  // namespace wenku
