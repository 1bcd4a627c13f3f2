// The settings page's view (/admin/settings), shared by ShowSettings and SaveSettings, and
// the catalog's sentence for a refused value, shared with the JSON API (api_settings.cpp).
#pragma once

#include <map>
#include <string>

#include "core/settings.hpp"
#include "web/context.hpp"

namespace wenku::web {

// The sentence shown next to a field whose value was refused, in the page's language.
std::string SettingProblemText(Context& ctx, const SettingProblem& problem);

// `sent`: values to show instead of the current ones (a refused form); `problems`: by key;
// `notice`: the success line, "" for none.
Response RenderSettingsPage(Context& ctx, const std::map<std::string, std::string>& sent,
                            const std::map<std::string, SettingProblem>& problems,
                            const std::string& notice, int status);

}  // namespace wenku::web
