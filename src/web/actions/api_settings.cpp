// The settings API (admins; the route table says so):
//   GET  /api/v1/admin/settings → {"settings":[{"key","group","type":"int|string","value",
//        "source":"default|file|environment|command line|database","help","min","max"}]}
//        (the runtime settings, in list order; min/max only for ranged integers)
//   POST /api/v1/admin/settings {"preview.pages":2,"site.name":"…",…} → 200
//        {"changed":["preview.pages",…]}; values may be JSON numbers or strings. Any refused
//        value → 400 {"error":"invalid_input","message":…,"fields":{"key":"sentence"}} and
//        nothing saved. Changes are audit-logged like the page's (settings/live_settings.hpp).
#include "web/actions/actions.hpp"
#include "web/actions/admin_settings.hpp"
#include "web/actions/api_json.hpp"

namespace wenku::web {

Response ApiShowSettings(Context& ctx) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& st : ctx.site.settings().Describe()) {
    nlohmann::json j = {{"key", st.info->key},
                        {"group", st.info->group},
                        {"type", st.info->type == SettingType::kInt ? "int" : "string"},
                        {"source", st.source},
                        {"help", st.info->help}};
    if (st.info->type == SettingType::kInt) {
      long n = 0;
      ParseSettingInt(st.value, &n);
      j["value"] = n;
      if (st.info->has_range()) {
        j["min"] = st.info->min;
        j["max"] = st.info->max;
      }
    } else {
      j["value"] = st.value;
    }
    list.push_back(std::move(j));
  }
  return Json(200, nlohmann::json{{"settings", list}}.dump());
}

Response ApiSaveSettings(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  std::map<std::string, std::string> values;
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [key, value] : body->items()) {
    if (value.is_string()) {
      values[key] = value.get<std::string>();
    } else if (value.is_number_integer()) {
      values[key] = std::to_string(value.get<int64_t>());
    } else {
      fields[key] = T(ctx.lang, "settings_not_a_value");
    }
  }
  if (!fields.empty()) {
    return Json(400, nlohmann::json{{"error", "invalid_input"},
                                    {"message", T(ctx.lang, "settings_not_saved")},
                                    {"fields", fields}}
                         .dump());
  }
  auto saved = ctx.site.settings().Save(values, settings::Actor{ctx.user->id, ctx.user->name});
  if (!saved.ok()) return Fail(ctx, saved.error());
  if (!saved->problems.empty()) {
    for (const auto& [key, problem] : saved->problems) {
      fields[key] = SettingProblemText(ctx, problem);
    }
    return Json(400, nlohmann::json{{"error", "invalid_input"},
                                    {"message", T(ctx.lang, "settings_not_saved")},
                                    {"fields", fields}}
                         .dump());
  }
  ctx.site.page_cache.Clear();
  return Json(200, nlohmann::json{{"changed", saved->changed}}.dump());
}

}  // namespace wenku::web
