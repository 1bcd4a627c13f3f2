// Messages: every string the website shows, in one catalog, in Chinese (the default) and
// English. Templates name them as {{t.key}} (replaced when the templates load, so a missing
// key fails the start); code names them with T(lang, "key") and Format(…).
// Categories (library/categories.hpp, names in the database) are shown by their name in the
// page's language (CategoryLabel).
// Threading: immutable; safe everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "library/categories.hpp"

namespace wenku::web {

enum class Lang { kZh, kEn };

std::string_view LangTag(Lang lang);   // "zh-CN", "en"
std::string_view LangCode(Lang lang);  // "zh", "en"
std::optional<Lang> ParseLang(std::string_view code);
// The language an Accept-Language header prefers among ours (zh when none matches).
Lang LangFromAcceptLanguage(std::string_view header);

// The message, or nullopt when the key is not in the catalog.
std::optional<std::string_view> Find(Lang lang, std::string_view key);
// The message; the key itself when missing (a test checks every key code uses exists).
std::string T(Lang lang, std::string_view key);
// The message with {0}, {1}, … replaced by `args`.
std::string Format(Lang lang, std::string_view key, const std::vector<std::string>& args);
// Every key (for checks).
std::vector<std::string_view> AllKeys();

using library::Category;
// The category's name in `lang`.
std::string CategoryLabel(Lang lang, const Category& category);

}  // namespace wenku::web
