#include "ingest/text_decoder.hpp"

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <memory>

namespace wenku::ingest {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool LooksLikeHz(std::string_view bytes) {
  if (std::any_of(bytes.begin(), bytes.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return false;
  }
  return bytes.find("~{") != std::string_view::npos && bytes.find("~}") != std::string_view::npos;
}

// EBCDIC text: space is 0x40 and letters live at 0x81-0xA9 and 0xC1-0xE9; line ends are
// 0x15 or 0x25. ASCII-based text is dominated by 0x20 and 0x61-0x7A instead.
bool LooksLikeEbcdic(std::string_view bytes) {
  size_t sample = std::min<size_t>(bytes.size(), 64 << 10);
  if (sample < 16) return false;
  std::array<size_t, 256> counts{};
  for (size_t i = 0; i < sample; ++i) ++counts[static_cast<unsigned char>(bytes[i])];
  size_t letters = 0, ascii_letters = 0;
  for (int b = 0x81; b <= 0xE9; ++b) letters += counts[static_cast<size_t>(b)];
  for (int b = 'a'; b <= 'z'; ++b) ascii_letters += counts[static_cast<size_t>(b)];
  size_t space = counts[0x40];
  return space * 20 > sample && (letters + space) * 10 > sample * 7 &&
         ascii_letters * 20 < sample && counts[0x20] * 50 < sample;
}

// UTF-16 without a byte-order mark: Latin text has a zero byte in every other position
// (odd positions for little-endian), which no 8-bit text has.
std::string Utf16WithoutBom(std::string_view bytes) {
  size_t sample = std::min<size_t>(bytes.size(), 64 << 10) & ~size_t{1};
  if (sample < 16) return "";
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i < sample; i += 2) {
    even_zero += bytes[i] == '\0';
    odd_zero += bytes[i + 1] == '\0';
  }
  size_t pairs = sample / 2;
  if (odd_zero * 10 > pairs * 3 && even_zero * 20 < pairs) return "UTF-16LE";
  if (even_zero * 10 > pairs * 3 && odd_zero * 20 < pairs) return "UTF-16BE";
  return "";
}

}  // namespace

std::string DetectEncoding(std::string_view bytes) {
  if (StartsWith(bytes, "\xEF\xBB\xBF")) return "UTF-8";
  if (StartsWith(bytes, std::string_view("\xFF\xFE\x00\x00", 4))) return "UTF-32LE";
  if (StartsWith(bytes, std::string_view("\x00\x00\xFE\xFF", 4))) return "UTF-32BE";
  if (StartsWith(bytes, "\xFF\xFE")) return "UTF-16LE";
  if (StartsWith(bytes, "\xFE\xFF")) return "UTF-16BE";
  if (std::string utf16 = Utf16WithoutBom(bytes); !utf16.empty()) return utf16;
  if (LooksLikeHz(bytes)) return "HZ-GB-2312";
  if (LooksLikeEbcdic(bytes)) return "IBM500";
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, decltype(&uchardet_delete)> detector(
      uchardet_new(), uchardet_delete);
  // uchardet reads a prefix well; 256 KiB is plenty and keeps large files quick.
  size_t len = std::min<size_t>(bytes.size(), 256 << 10);
  if (uchardet_handle_data(detector.get(), bytes.data(), len) != 0) return "";
  uchardet_data_end(detector.get());
  std::string name = uchardet_get_charset(detector.get());
  if (name == "ASCII") return "UTF-8";  // ASCII is UTF-8
  return name;
}

Result<std::string> DecodeWith(std::string_view bytes, const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> from(ucnv_open(encoding.c_str(), &status),
                                                          ucnv_close);
  if (U_FAILURE(status))
    return MakeError(ErrorCode::kUnsupportedType, "unknown text encoding " + encoding);
  // Undecodable bytes become U+FFFD; counted to tell damaged text from a wrong guess.
  ucnv_setToUCallBack(from.get(), UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr,
                      &status);
  status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> to(ucnv_open("UTF-8", &status), ucnv_close);
  std::string out;
  out.resize(bytes.size() * 3 + 16);  // UTF-8 needs at most 3 bytes per UTF-16 unit
  char* target = out.data();
  const char* source = bytes.data();
  status = U_ZERO_ERROR;
  ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source,
                 bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, true, true,
                 &status);
  if (U_FAILURE(status))
    return MakeError(ErrorCode::kCorrupt, "the text cannot be decoded as " + encoding);
  out.resize(static_cast<size_t>(target - out.data()));
  // Normalise: no BOM, \n line ends (EBCDIC's NEL U+0085 too).
  if (StartsWith(out, "\xEF\xBB\xBF")) out.erase(0, 3);
  std::string clean;
  clean.reserve(out.size());
  size_t replaced = 0, chars = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    if (c == '\r') {
      if (i + 1 < out.size() && out[i + 1] == '\n') continue;
      clean += '\n';
    } else if (c == '\xC2' && i + 1 < out.size() && out[i + 1] == '\x85') {
      clean += '\n';
      ++i;
    } else {
      if (out.compare(i, 3, "\xEF\xBF\xBD") == 0) ++replaced;
      clean += c;
    }
  }
  if (chars > 0 && replaced * 50 > chars) {
    return MakeError(ErrorCode::kCorrupt, "the text does not decode cleanly as " + encoding + " (" +
                                              std::to_string(replaced) +
                                              " undecodable characters)");
  }
  return clean;
}

Result<DecodedText> DecodeText(std::string_view bytes) {
  if (bytes.empty())
    return MakeError(ErrorCode::kEmptyFile, "empty file: the upload has no content (0 bytes).");
  std::string encoding = DetectEncoding(bytes);
  if (encoding.empty()) {
    return MakeError(ErrorCode::kUnsupportedType,
                     "the file is not text in any encoding Wenku recognises");
  }
  auto utf8 = DecodeWith(bytes, encoding);
  if (!utf8.ok()) return utf8.error();
  // Text has no NULs and few control characters; binary data decoded as text does.
  size_t control = 0;
  for (unsigned char c : *utf8) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\f' && c != '\x1b') ++control;
  }
  if (control * 100 > utf8->size() + 100) {
    return MakeError(ErrorCode::kUnsupportedType, "the file is binary data, not text");
  }
  return DecodedText{encoding, std::move(utf8).value()};
}

}  // namespace wenku::ingest
