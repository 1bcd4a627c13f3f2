#include "web/templates.hpp"

#include <regex>
#include <stdexcept>

#include "core/files.hpp"

namespace wenku::web {
namespace {

// Every template the site uses; each must exist and parse.
constexpr const char* kTemplateNames[] = {
    "layout",
    "home",
    "document",
    "listing",
    "upload",
    "login",
    "register",
    "message",
    "doc_list",
    "search",
    "document_search",
    "buy",
    "me",
    "me_password",
    "report",
    "claim",
    "admin",
    "admin_nav",
    "admin_categories",
    "admin_users",
    "admin_documents",
    "admin_stats",
    "admin_settings",
};

std::string EscapeHtml(std::string_view s) {
  return kainjow::mustache::html_escape(std::string(s));
}

Result<std::string> ExpandIncludes(const std::string& text, const std::filesystem::path& dir,
                                   int depth) {
  static const std::regex kInclude(R"(\{\{>\s*([a-z_]+)\s*\}\})");
  if (depth > 5) return MakeError(ErrorCode::kInvalidInput, "templates include each other");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kInclude);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(text, last, it->position() - last);
    auto included = ReadFile(dir / ((*it)[1].str() + ".mustache"));
    if (!included.ok()) {
      return MakeError(ErrorCode::kNotFound, "template include " + (*it)[1].str() + " is missing");
    }
    auto expanded = ExpandIncludes(*included, dir, depth + 1);
    if (!expanded.ok()) return expanded.error();
    out += *expanded;
    last = it->position() + it->length();
  }
  out.append(text, last, std::string::npos);
  return out;
}

}  // namespace

Result<std::unique_ptr<Templates>> Templates::Load(const std::filesystem::path& dir) {
  static const std::regex kMessage(R"(\{\{t\.([a-z0-9_]+)\}\})");
  auto templates = std::unique_ptr<Templates>(new Templates());
  for (const char* name : kTemplateNames) {
    auto text = ReadFile(dir / (std::string(name) + ".mustache"));
    if (!text.ok()) {
      return MakeError(ErrorCode::kNotFound,
                       "template " + std::string(name) + " is missing in " + dir.string());
    }
    auto expanded = ExpandIncludes(*text, dir, 0);
    if (!expanded.ok()) return expanded.error();
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      std::string out;
      size_t last = 0;
      for (auto it = std::sregex_iterator(expanded->begin(), expanded->end(), kMessage);
           it != std::sregex_iterator(); ++it) {
        out.append(*expanded, last, it->position() - last);
        auto message = Find(lang, (*it)[1].str());
        if (!message) {
          return MakeError(
              ErrorCode::kInvalidInput,
              "template " + std::string(name) + " uses the unknown message key " + (*it)[1].str());
        }
        out += EscapeHtml(*message);
        last = it->position() + it->length();
      }
      out.append(*expanded, last, std::string::npos);
      auto parsed = std::make_unique<kainjow::mustache::mustache>(out);
      if (!parsed->is_valid()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "template " + std::string(name) + ": " + parsed->error_message());
      }
      templates->parsed_[{name, lang}] = std::move(parsed);
    }
  }
  return templates;
}

std::string Templates::Render(std::string_view name, Lang lang, const View& view) const {
  auto it = parsed_.find({std::string(name), lang});
  if (it == parsed_.end()) throw std::logic_error("undeclared template " + std::string(name));
  return it->second->render(view);
}

}  // namespace wenku::web
