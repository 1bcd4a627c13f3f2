#include "accounts/password.hpp"

#include <sodium.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <stdexcept>

#include "accounts/user_names.hpp"
#include "core/text.hpp"

namespace wenku::accounts {

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string NormalizeUserName(std::string_view name) { return NormalizeNfc(name); }

std::optional<std::string> CheckUserName(std::string_view raw) {
  if (!IsValidUtf8(raw)) return "name_invalid";
  const std::string normal = NormalizeUserName(raw);
  std::string_view name = normal;
  size_t points = CodePointCount(name);
  if (points < 2 || points > 32) return "name_invalid";
  int32_t i = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(name.data());
  auto length = static_cast<int32_t>(name.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return "name_invalid";
    if (IsControl(c) || IsBidiControl(c) || u_charType(c) == U_FORMAT_CHAR) return "name_invalid";
    if (!(u_isalnum(c) || c == '_' || c == '-')) return "name_invalid";
  }
  return CheckNameScripts(name);
}

std::optional<std::string> CheckPassword(std::string_view password) {
  // Bytes first: anything longer cannot be 256 code points (4 bytes each at most).
  if (password.size() > 4 * kPasswordMaxChars || !IsValidUtf8(password)) {
    return "password_invalid";
  }
  size_t points = CodePointCount(NormalizeNfc(password));
  if (points < kPasswordMinChars || points > kPasswordMaxChars) return "password_invalid";
  return std::nullopt;
}

}  // namespace wenku::accounts
