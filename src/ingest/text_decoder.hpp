// Text decoding: which character encoding a plain-text file uses, and its text as UTF-8.
//
// Detection, in order: a byte-order mark (UTF-8/16/32); UTF-16 without one (a zero byte in
// every other position); HZ-GB-2312 (7-bit text with
// "~{" … "~}" shifts, which uchardet does not know); EBCDIC (IBM cp500: mostly bytes
// 0x40 and 0x81-0xE9, which no ASCII-based text has); then uchardet, which names GBK text
// "GB18030" (decoded as GB18030, its superset), Big5, Shift_JIS, EUC-*, UTF-8 and the
// single-byte code pages. Decoding is ICU's (ucnv), which knows every one of these,
// HZ included.
//
// Pure functions on bytes in memory; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace wenku::ingest {

struct DecodedText {
  std::string encoding;  // the name decoded with, e.g. "GB18030", "UTF-16LE", "HZ-GB-2312"
  std::string utf8;      // line ends normalised to \n; no BOM
};

// The encoding `bytes` most likely uses ("" when it cannot tell: binary data).
std::string DetectEncoding(std::string_view bytes);

// `bytes` as UTF-8. Errors: kEmptyFile (no bytes), kUnsupportedType (not text: binary data,
// or an encoding nothing recognises), kCorrupt (too many bytes that do not decode).
Result<DecodedText> DecodeText(std::string_view bytes);

// Decodes with a given encoding (an ICU converter name). Errors: kUnsupportedType for an
// unknown encoding name; kCorrupt when more than 2% of the characters do not decode.
Result<std::string> DecodeWith(std::string_view bytes, const std::string& encoding);

}  // namespace wenku::ingest
