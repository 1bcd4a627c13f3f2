#include "accounts/user_names.hpp"

#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <stdexcept>

#include "core/text.hpp"

namespace wenku::accounts {
namespace {

// One checker for the process: configured here, then only read (ICU allows concurrent
// checks on an unchanging checker).
const USpoofChecker* Checker() {
  static USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* sc = uspoof_open(&status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU spoof checker unavailable");
    uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS, &status);
    uspoof_setRestrictionLevel(sc, USPOOF_HIGHLY_RESTRICTIVE);
    if (U_FAILURE(status)) throw std::runtime_error("ICU spoof checker unavailable");
    return sc;
  }();
  return checker;
}

icu::UnicodeString Skeleton(const icu::UnicodeString& in) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  uspoof_getSkeletonUnicodeString(Checker(), 0, in, out, &status);
  if (U_FAILURE(status)) return in;
  return out;
}

}  // namespace

std::string NameSkeleton(std::string_view name) {
  const std::string nfc = NormalizeNfc(name);
  icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(nfc.data(), static_cast<int32_t>(nfc.size())));
  // Case folded first: names differing only in case are one name to a reader ("ADMIN",
  // "Admin", "admin").
  s.foldCase();
  s = Skeleton(s);
  // Some prototypes are capitals ("0" → "O"): folded and mapped once more.
  s.foldCase();
  s = Skeleton(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::optional<std::string> CheckNameScripts(std::string_view name) {
  const std::string nfc = NormalizeNfc(name);
  UErrorCode status = U_ZERO_ERROR;
  int32_t result =
      uspoof_checkUTF8(Checker(), nfc.data(), static_cast<int32_t>(nfc.size()), nullptr, &status);
  if (U_FAILURE(status) || result != 0) return "name_mixed_script";
  return std::nullopt;
}

}  // namespace wenku::accounts
