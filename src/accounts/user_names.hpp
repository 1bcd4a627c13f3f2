// User names that imitate others: the look-alike rules every new name passes (registration,
// `wenku user add`, `wenku import --owner`; there is no rename yet — one would call these too).
//
//   NameSkeleton     the key two names share when a reader could take one for the other:
//                    ICU's spoof-checker skeleton (Unicode TS #39 confusables: Cyrillic "а"
//                    is Latin "a", "1" is "l", "rn" is "m", fullwidth "ａ" is "a") of the NFC
//                    name, case-folded first (so "ADMIN" and "Admin" are "admin"; the price:
//                    a capital "I" is an "i" there, not an "l"), folded and mapped once more
//                    (some prototypes are capitals: "0" is "O"). A new name whose skeleton
//                    another account holds is refused (Accounts: kConflict
//                    "name_confusable"); the database keeps one account per skeleton
//                    (users.name_skeleton, a unique index, migration 13).
//   CheckNameScripts one name mixing scripts a reader would not expect together is refused
//                    outright ("name_mixed_script"): ICU's "highly restrictive" level (one
//                    script, or Latin with Han and the Japanese or Korean scripts — so "张san"
//                    is fine, Latin "p" + Cyrillic "аypal" is not), and no mixed digit sets.
//
// Threading: safe for concurrent use (one ICU spoof checker, configured once, then only read).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wenku::accounts {

// The skeleton of `name` (UTF-8). REQUIRES: valid UTF-8 (CheckUserName passed).
std::string NameSkeleton(std::string_view name);
// "name_mixed_script" when the name mixes scripts (see above), else nullopt.
std::optional<std::string> CheckNameScripts(std::string_view name);

}  // namespace wenku::accounts
