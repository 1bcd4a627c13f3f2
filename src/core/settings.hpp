// Settings: the read side of the site's settings, and the description of each setting.
//
// Two kinds of setting share the one list (kSettings in config.cpp):
//   start-time  read once when a process starts (data folder, listen address, threads,
//               sandbox, paths…): only Config (defaults < wenku.toml < WENKU_* < flags).
//   runtime     may change while processes run (preview pages, economy.*, copyright.*,
//               site texts, some limits, moderation words): an admin edits them on
//               /admin/settings; the database value beats every Config layer. Code that uses
//               a runtime setting reads it through a Settings at use time, never a copy made
//               at start (settings/live_settings.hpp is the database-backed implementation).
//
// Config implements Settings too (its values never change), for commands and tests that run
// without a database.
//
// ValidateSetting is the one set of type and range rules: Config applies it to every layer it
// loads, LiveSettings to every value an admin saves.
// Threading: implementations are safe to read from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wenku {

enum class SettingType { kString, kInt };

// One entry of the list. Groups of runtime settings (the admin page's sections):
// "preview", "economy", "copyright", "site", "limits", "moderation"; "" for start-time ones.
struct SettingInfo {
  const char* key;
  SettingType type;
  const char* default_value;  // "" for computed defaults (see Config)
  const char* help;
  const char* group = "";    // non-empty: a runtime setting (editable while running)
  long min = 0;              // kInt: smallest value allowed (when min <= max)
  long max = -1;             // kInt: largest value allowed; max < min: no range
  size_t max_length = 4096;  // kString: longest value in bytes

  bool runtime() const { return group[0] != '\0'; }
  bool has_range() const { return min <= max; }
};

// Every setting in list order.
const std::vector<SettingInfo>& AllSettings();
// nullptr for an unknown key.
const SettingInfo* FindSettingInfo(const std::string& key);

// Why a value is not allowed for a setting.
struct SettingProblem {
  enum class Kind { kUnknown, kNotANumber, kOutOfRange, kTooLong, kNotRuntime };
  Kind kind = Kind::kUnknown;
  const SettingInfo* info = nullptr;  // null for kUnknown
  // An English sentence naming the setting ("preview.pages must be 1-50, not \"99\"").
  std::string Describe(const std::string& key, const std::string& value) const;
};

// The one type/range check (not whether the key is runtime: the caller decides that).
// nullopt: `value` is allowed for `key`.
std::optional<SettingProblem> ValidateSetting(const std::string& key, const std::string& value);

// Parses a whole number (no spaces, no suffix). False for anything else.
bool ParseSettingInt(const std::string& text, long* out);

class Settings {
 public:
  virtual ~Settings() = default;
  // REQUIRES: `key` is in the list (an unknown key aborts: a programming error).
  virtual std::string GetString(const std::string& key) const = 0;
  // REQUIRES: `key` is an integer setting.
  virtual long GetInt(const std::string& key) const = 0;
};

}  // namespace wenku
