#include "settings/live_settings.hpp"

#include <spdlog/spdlog.h>

namespace wenku::settings {

std::string SourceKind(const std::string& config_source) {
  if (config_source == "default" || config_source == "command line" || config_source == "test") {
    return config_source;
  }
  if (config_source.rfind("environment", 0) == 0) return "environment";
  return "file";
}

LiveSettings::LiveSettings(Config config, storage::Database& db, storage::CaseStore& cases,
                           const Clock& clock, int64_t refresh_ms)
    : config_(std::move(config)),
      db_(db),
      store_(db, clock),
      cases_(cases),
      clock_(clock),
      refresh_ms_(refresh_ms) {}

Status LiveSettings::LoadLocked() const {
  loaded_at_ = clock_.NowMs();  // a failure is tried again after refresh_ms_, not on every Get
  auto rows = store_.All();
  if (!rows.ok()) return rows.error();
  stored_.clear();
  for (const auto& r : *rows) {
    const SettingInfo* info = FindSettingInfo(r.key);
    // A row this binary does not know, no longer runtime, or not valid now is ignored.
    if (info == nullptr || !info->runtime() || ValidateSetting(r.key, r.value)) continue;
    stored_[r.key] = r.value;
  }
  loaded_ = true;
  return {};
}

Status LiveSettings::Refresh() const {
  std::lock_guard lock(mu_);
  return LoadLocked();
}

const std::map<std::string, std::string>& LiveSettings::CurrentLocked() const {
  if (!loaded_ || clock_.NowMs() - loaded_at_ >= refresh_ms_) {
    if (Status s = LoadLocked(); !s.ok()) {
      spdlog::warn("settings: cannot re-read the settings table: {}", s.error().message);
    }
  }
  return stored_;
}

std::string LiveSettings::ValueLocked(const std::string& key, const SettingInfo& info) const {
  if (info.runtime()) {
    const auto& stored = CurrentLocked();
    if (auto it = stored.find(key); it != stored.end()) return it->second;
  }
  return config_.GetString(key);
}

std::string LiveSettings::GetString(const std::string& key) const {
  const SettingInfo* info = FindSettingInfo(key);
  if (info == nullptr) std::abort();  // unknown key: a programming error
  if (!info->runtime()) return config_.GetString(key);
  std::lock_guard lock(mu_);
  return ValueLocked(key, *info);
}

long LiveSettings::GetInt(const std::string& key) const {
  long v = 0;
  if (!ParseSettingInt(GetString(key), &v)) std::abort();  // validated when set
  return v;
}

std::vector<SettingState> LiveSettings::Describe() const {
  std::lock_guard lock(mu_);
  const auto& stored = CurrentLocked();
  std::vector<SettingState> out;
  for (const auto& info : AllSettings()) {
    if (!info.runtime()) continue;
    if (auto it = stored.find(info.key); it != stored.end()) {
      out.push_back(SettingState{&info, it->second, "database"});
    } else {
      out.push_back(
          SettingState{&info, config_.GetString(info.key), SourceKind(config_.SourceOf(info.key))});
    }
  }
  return out;
}

Result<SaveOutcome> LiveSettings::Save(const std::map<std::string, std::string>& values,
                                       const Actor& actor) {
  SaveOutcome outcome;
  for (const auto& [key, value] : values) {
    if (auto problem = ValidateSetting(key, value)) {
      outcome.problems.emplace(key, *problem);
    } else if (!FindSettingInfo(key)->runtime()) {
      outcome.problems.emplace(
          key, SettingProblem{SettingProblem::Kind::kNotRuntime, FindSettingInfo(key)});
    }
  }
  if (!outcome.problems.empty()) return outcome;

  std::lock_guard lock(mu_);
  // Compare with what the database holds now, not a copy up to refresh_ms_ old.
  std::map<std::string, std::string> stored;
  Status s = db_.Transaction([&](storage::Sql& tx) -> Status {
    auto rows = store_.All(tx);
    if (!rows.ok()) return rows.error();
    for (const auto& r : *rows) stored[r.key] = r.value;
    for (const auto& info : AllSettings()) {
      auto it = values.find(info.key);
      if (it == values.end()) continue;
      auto old_it = stored.find(info.key);
      const std::string old = old_it != stored.end() ? old_it->second : config_.GetString(info.key);
      if (old == it->second) continue;
      WENKU_TRY(store_.Put(tx, info.key, it->second, actor.id));
      storage::AuditEntry entry;
      entry.actor = actor.id;
      entry.actor_name = actor.name;
      entry.action = "setting";
      entry.note = std::string(info.key) + ": " + old + " → " + it->second;
      WENKU_TRY(cases_.Log(tx, entry));
      stored[info.key] = it->second;
      outcome.changed.push_back(info.key);
    }
    return {};
  });
  if (!s.ok()) return s.error();
  // This process sees the change at once.
  stored_.clear();
  for (const auto& [k, v] : stored) {
    const SettingInfo* info = FindSettingInfo(k);
    if (info != nullptr && info->runtime() && !ValidateSetting(k, v)) stored_[k] = v;
  }
  loaded_ = true;
  loaded_at_ = clock_.NowMs();
  for (const auto& key : outcome.changed) {
    spdlog::info("settings: {} changed by {}", key, actor.name);
  }
  return outcome;
}

}  // namespace wenku::settings
