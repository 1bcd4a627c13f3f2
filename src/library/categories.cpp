#include "library/categories.hpp"

#include <iterator>

namespace wenku::library {
namespace {

constexpr Category kCategoryList[] = {
    {"education", "教育", "Education"},
    {"exam", "考试", "Exams"},
    {"business", "经管营销", "Business"},
    {"technology", "IT 技术", "Technology"},
    {"engineering", "工程科技", "Engineering"},
    {"medicine", "医药卫生", "Medicine"},
    {"law", "法律", "Law"},
    {"literature", "文学", "Literature"},
    {"guides", "使用指南", "Guides"},
    {"other", "其他", "Other"},
};

}  // namespace

const std::vector<Category>& Categories() {
  static const std::vector<Category> list(std::begin(kCategoryList), std::end(kCategoryList));
  return list;
}

const Category* FindCategory(std::string_view slug) {
  for (const auto& c : Categories()) {
    if (c.slug == slug) return &c;
  }
  return nullptr;
}

std::string CategoryWords(const std::string& slug) {
  const Category* c = FindCategory(slug);
  if (c == nullptr) return slug;
  return std::string(c->zh) + " " + std::string(c->en) + " ";
}

}  // namespace wenku::library
