// Templates: the page templates under templates/, loaded and checked at start-up.
//
// Loading reads every template the site declares (kTemplateNames in templates.cpp),
// expands `{{> name}}` includes, replaces each `{{t.key}}` with that message of the catalog
// (HTML-escaped) once per language, and parses the result with kainjow mustache, which
// escapes every `{{value}}` (only `{{{body}}}`, our own rendered HTML, is inserted raw).
// A missing file, a parse error or an unknown message key fails the start, not a page view.
//
// Threading: immutable after Load; Render is safe from many threads (no partials or lambdas
// are used at render time, so the parsed templates are only read).
#pragma once

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "web/messages.hpp"

namespace wenku::web {

using View = kainjow::mustache::data;
using ViewList = kainjow::mustache::list;

class Templates {
 public:
  // Errors: kNotFound (a declared template file is missing), kInvalidInput (a parse error or
  // an unknown message key; the message names the template).
  static Result<std::unique_ptr<Templates>> Load(const std::filesystem::path& dir);
  // REQUIRES: `name` is a declared template.
  std::string Render(std::string_view name, Lang lang, const View& view) const;

 private:
  std::map<std::pair<std::string, Lang>, std::unique_ptr<kainjow::mustache::mustache>> parsed_;
};

}  // namespace wenku::web
