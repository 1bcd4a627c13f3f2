// Text helpers for terminal output: UTF-8 aware widths (East Asian wide characters take two
// columns) so that tables with Chinese file names line up.
#pragma once

#include <string>
#include <string_view>

namespace wenku {

// Bytes in the UTF-8 sequence that starts with `lead`: 1-4, or 0 when `lead` cannot start one.
inline size_t Utf8SequenceLength(unsigned char lead) {
  return lead < 0x80           ? 1
         : (lead >> 5) == 0x6  ? 2
         : (lead >> 4) == 0xe  ? 3
         : (lead >> 3) == 0x1e ? 4
                               : 0;
}

// Columns `text` takes in a terminal.
size_t DisplayWidth(std::string_view text);
// `text` cut to at most `columns` columns (ending in "…" when cut), padded with spaces to
// exactly `columns` when `pad`.
std::string FitColumns(std::string_view text, size_t columns, bool pad = true);
// &, <, >, " and ' as entities: safe in HTML text, attributes and XML.
std::string EscapeMarkup(std::string_view text);
// A progress bar `width` columns wide: █ for done, ░ for the rest.
std::string Bar(int64_t done, int64_t total, size_t width);

// Removes the spaces OCR puts between Chinese or Japanese characters ("新 鲜 甘 草" →
// "新鲜甘草"); spaces next to Latin letters or digits stay.
std::string CollapseCjkSpaces(std::string_view text);

// `text` in Unicode normalization form C (ICU). Invalid UTF-8 becomes U+FFFD.
std::string NormalizeNfc(std::string_view text);
// Unicode code points in valid UTF-8 `text` (a Chinese character counts 1).
size_t CodePointCount(std::string_view text);
// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);
// Bidirectional formatting controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069): they
// make text display in another order than it is stored ("evil\u202Etxt.exe" shows as
// "evilexe.txt"), so names shown to others never keep them.
inline bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}
// Control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F).
inline bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }
// `text` (valid UTF-8) without control characters and bidirectional formatting controls.
std::string DropControls(std::string_view text);
// At most `max_points` code points of `text` (whole characters), "…" appended when cut.
std::string TruncateCodePoints(std::string_view text, size_t max_points);

}  // namespace wenku
