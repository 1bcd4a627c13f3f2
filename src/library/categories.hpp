// Categories: the fixed list a document is filed under — a slug (in URLs, the database and
// the index) and its Chinese and English names. A document's category is one of these
// (library::Submit refuses others); kDefaultCategory when none is chosen.
// Threading: immutable; safe everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::library {

struct Category {
  std::string_view slug;
  std::string_view zh;
  std::string_view en;
};

inline constexpr std::string_view kDefaultCategory = "other";

// In the order pages list them.
const std::vector<Category>& Categories();
// The category with this slug, or nullptr.
const Category* FindCategory(std::string_view slug);
// The words a category is searched by: its Chinese and English names ("教育 Education "),
// or the slug itself when unknown (the index stage and `wenku reindex`).
std::string CategoryWords(const std::string& slug);

}  // namespace wenku::library
