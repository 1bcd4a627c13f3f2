// Fuzz target: the plain-text decoder (ingest/text_decoder.hpp) an uploaded .txt goes through.
// Input: the file's bytes. Feeds DetectEncoding, DecodeText, and DecodeWith with the encodings
// detection can name that carry state or multi-byte sequences (GB18030, HZ, UTF-16, Big5).
// Asserts: detection is deterministic; decoded text is valid UTF-8 with no '\r' and no U+0085,
// without the UTF-8 file's byte-order mark; decoding an empty input fails, and a success names
// a non-empty encoding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "ingest/text_decoder.hpp"

namespace {

void CheckText(const std::string& utf8) {
  FUZZ_CHECK(wenku::IsValidUtf8(utf8), "decoded text is not UTF-8");
  FUZZ_CHECK(utf8.find('\r') == std::string::npos, "a \\r left in decoded text");
  FUZZ_CHECK(utf8.find("\xC2\x85") == std::string::npos, "a NEL left in decoded text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string encoding = wenku::ingest::DetectEncoding(bytes);
  FUZZ_CHECK(wenku::ingest::DetectEncoding(bytes) == encoding, "detection not deterministic");

  auto decoded = wenku::ingest::DecodeText(bytes);
  if (bytes.empty()) FUZZ_CHECK(!decoded.ok(), "an empty file decoded");
  if (decoded.ok()) {
    FUZZ_CHECK(!decoded->encoding.empty(), "decoded without an encoding");
    CheckText(decoded->utf8);
    // The byte-order mark is dropped (a second one, U+FEFF, is text and stays).
    if (bytes.rfind("\xEF\xBB\xBF", 0) == 0 && bytes.rfind("\xEF\xBB\xBF\xEF\xBB\xBF", 0) != 0) {
      FUZZ_CHECK(decoded->utf8.rfind("\xEF\xBB\xBF", 0) != 0, "the BOM left in decoded text");
    }
  }
  for (const char* name : {"GB18030", "HZ-GB-2312", "UTF-16LE", "Big5", "IBM500"}) {
    auto text = wenku::ingest::DecodeWith(bytes, name);
    if (text.ok()) CheckText(*text);
  }
  return 0;
}
