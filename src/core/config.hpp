// Config: every setting Wenku reads, with its default, layered from four sources. A later
// source beats an earlier one:
//   1. the built-in default (kSettings in config.cpp, the one list of settings),
//   2. the file `wenku.toml` (or the file named by --config / WENKU_CONFIG),
//   3. the environment: WENKU_<KEY> with dots as underscores (preview.pages → WENKU_PREVIEW_PAGES),
//   4. command-line flags (--data, --workers, --set key=value).
// Unknown keys, values of the wrong type and numbers out of their range (ValidateSetting,
// core/settings.hpp: the one set of rules) are errors at load time, never at use time.
// A loaded Config is immutable and safe to read from any thread. Runtime settings (those with
// a group in the list) may be overridden in the database: read them through a Settings
// (settings/live_settings.hpp) where they are used, not from a Config copied at start.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/settings.hpp"

namespace wenku {

class Config : public Settings {
 public:
  // Loads defaults < file < environment < `overrides` (key → value, from flags).
  // `config_file` empty means: ./wenku.toml when it exists, else none.
  // Errors: kInvalidInput naming the key or file that is wrong.
  static Result<Config> Load(const std::string& config_file,
                             const std::map<std::string, std::string>& overrides);
  // Defaults only, with `overrides` on top (for tests).
  static Config Defaults(const std::map<std::string, std::string>& overrides = {});

  std::string GetString(const std::string& key) const override;
  // REQUIRES: `key` is an integer setting (checked at load).
  long GetInt(const std::string& key) const override;
  // "default", the file's path, "environment WENKU_…", "command line" or "test".
  std::string SourceOf(const std::string& key) const;

  // Where each setting's value came from, for `wenku config`-style diagnostics.
  std::vector<std::pair<std::string, std::string>> Describe() const;

 private:
  Status Set(const std::string& key, const std::string& value, const std::string& source);
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
};

}  // namespace wenku
