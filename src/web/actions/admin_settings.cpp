// GET /admin/settings — the runtime settings (admins; the route table says so), grouped
// (预览 preview, 积分 economy, 版权 copyright, 站点文字 site texts, 限制 limits, 审核
// moderation): each field with its help text from the one list (core/config.cpp), its value
// now and where that value comes from (default, file, environment, command line, database).
// POST /admin/settings — saves the form through settings::LiveSettings::Save: every value
// is checked with the rules Config uses; if any is refused, nothing is saved and the page
// comes back (400) with the sentence next to each refused field and the values as sent;
// otherwise the changed values apply at once in this process (within ~2 s in others) and
// each change is in the audit log (who, key, old → new).
#include "web/actions/admin_settings.hpp"
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr const char* kGroups[] = {"preview", "economy", "copyright",
                                   "site",    "limits",  "moderation"};

}  // namespace

std::string SettingProblemText(Context& ctx, const SettingProblem& p) {
  switch (p.kind) {
    case SettingProblem::Kind::kUnknown:
      return T(ctx.lang, "settings_unknown");
    case SettingProblem::Kind::kNotANumber:
      return T(ctx.lang, "settings_not_a_number");
    case SettingProblem::Kind::kOutOfRange:
      return Format(ctx.lang, "settings_out_of_range",
                    {std::to_string(p.info->min), std::to_string(p.info->max)});
    case SettingProblem::Kind::kTooLong:
      return Format(ctx.lang, "settings_too_long", {std::to_string(p.info->max_length)});
    case SettingProblem::Kind::kNotRuntime:
      return T(ctx.lang, "settings_not_runtime");
  }
  return T(ctx.lang, "settings_unknown");
}

Response RenderSettingsPage(Context& ctx, const std::map<std::string, std::string>& sent,
                            const std::map<std::string, SettingProblem>& problems,
                            const std::string& notice, int status) {
  View v = BaseView(ctx, T(ctx.lang, "settings_heading"));
  v.set("nav_settings", View::type::bool_true);
  v.set("csrf", ctx.CsrfToken());
  if (!notice.empty()) v.set("notice", notice);
  if (!problems.empty()) v.set("form_error", T(ctx.lang, "settings_not_saved"));
  const auto states = ctx.site.settings().Describe();
  ViewList groups;
  for (const char* group : kGroups) {
    ViewList fields;
    for (const auto& st : states) {
      if (std::string_view(st.info->group) != group) continue;
      View f;
      f.set("key", std::string(st.info->key));
      f.set("id", "setting-" + std::string(st.info->key));
      f.set("help", std::string(st.info->help));
      auto it = sent.find(st.info->key);
      f.set("value", it != sent.end() ? it->second : st.value);
      f.set("current", st.value);
      f.set("source", st.source);
      f.set("source_label", T(ctx.lang, "settings_source_" + st.source));
      const bool multiline = std::string_view(st.info->key) == "moderation.sensitive_words";
      f.set(multiline ? "multiline" : "line", View::type::bool_true);
      if (st.info->type == SettingType::kInt) {
        f.set("number", View::type::bool_true);
        if (st.info->has_range()) {
          f.set("min", std::to_string(st.info->min));
          f.set("max", std::to_string(st.info->max));
        }
      } else {
        f.set("maxlength", std::to_string(st.info->max_length));
      }
      if (auto p = problems.find(st.info->key); p != problems.end()) {
        f.set("error", SettingProblemText(ctx, p->second));
      }
      fields.push_back(f);
    }
    View g;
    g.set("group", std::string(group));
    g.set("label", T(ctx.lang, "settings_group_" + std::string(group)));
    g.set("fields", fields);
    groups.push_back(g);
  }
  v.set("groups", groups);
  return RenderPage(ctx, "admin_settings", v, status);
}

Response ShowSettings(Context& ctx) { return RenderSettingsPage(ctx, {}, {}, "", 200); }

Response SaveSettings(Context& ctx) {
  std::map<std::string, std::string> values;
  for (const auto& info : AllSettings()) {
    if (!info.runtime()) continue;
    for (const auto& [name, value] : ctx.form) {
      if (name == info.key) {
        std::string v = value;
        // A browser's textarea sends CRLF; one word a line is stored with LF.
        for (size_t pos; (pos = v.find("\r\n")) != std::string::npos;) v.erase(pos, 1);
        values[info.key] = std::move(v);
      }
    }
  }
  settings::Actor actor{ctx.user->id, ctx.user->name};
  auto saved = ctx.site.settings().Save(values, actor);
  if (!saved.ok()) return Fail(ctx, saved.error());
  if (!saved->problems.empty()) return RenderSettingsPage(ctx, values, saved->problems, "", 400);
  ctx.site.page_cache.Clear();  // pages show the site's name, tips and preview
  const std::string notice =
      saved->changed.empty()
          ? T(ctx.lang, "settings_unchanged")
          : Format(ctx.lang, "settings_saved", {std::to_string(saved->changed.size())});
  return RenderSettingsPage(ctx, {}, {}, notice, 200);
}

}  // namespace wenku::web
