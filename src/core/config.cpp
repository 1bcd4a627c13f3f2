#include "core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace wenku {
namespace {

enum class Type { kString, kInt };

struct Setting {
  const char* key;
  Type type;
  const char* default_value;  // "" for computed defaults (see DefaultFor)
  const char* help;
};

// The one list of settings.
constexpr Setting kSettings[] = {
    {"data", Type::kString, "./data", "data folder: database, blobs, derived files, logs"},
    {"log.level", Type::kString, "info", "trace, debug, info, warn, error"},
    {"ingest.workers", Type::kInt, "", "ingest worker threads (default: number of cores)"},
    {"ingest.lease_seconds", Type::kInt, "60", "a claimed job is re-claimable after this"},
    {"ingest.max_attempts", Type::kInt, "3", "tries per job before the document fails"},
    {"ingest.max_file_mb", Type::kInt, "200", "largest file accepted for import"},
    {"preview.pages", Type::kInt, "5", "free-preview pages rendered at ingest"},
    {"preview.width", Type::kInt, "1000", "page image width in pixels"},
    {"preview.cover_width", Type::kInt, "240", "cover thumbnail width in pixels"},
    {"preview.webp_quality", Type::kInt, "80", "WebP quality 0-100"},
    {"economy.signup_bonus", Type::kInt, "20", "points a new account gets"},
    {"economy.checkin_bonus", Type::kInt, "5", "points for the daily sign-in (签到)"},
    {"economy.upload_reward", Type::kInt, "10", "points for an upload when it becomes ready"},
    {"economy.commission_percent", Type::kInt, "20", "the site's share of a sale, 0-100"},
    {"economy.settle_days", Type::kInt, "7", "days a sale's earnings stay pending"},
    {"site.time_zone", Type::kString, "Asia/Shanghai",
     "time zone of the site's calendar (one check-in a day)"},
    {"limits.cpu_seconds", Type::kInt, "120", "CPU seconds per converter process"},
    {"limits.memory_mb", Type::kInt, "1536", "address space per converter process"},
    {"limits.file_size_mb", Type::kInt, "512", "largest file a converter may write"},
    {"limits.open_files", Type::kInt, "256", "open files per converter process"},
    {"limits.timeout_seconds", Type::kInt, "300", "wall clock per converter process"},
    {"ocr.languages", Type::kString, "chi_sim+eng", "Tesseract languages for pages without text"},
    {"ocr.dpi", Type::kInt, "300", "resolution scanned pages are read at"},
    {"ocr.max_pages", Type::kInt, "200", "pages recognised per document at most"},
    {"office.memory_mb", Type::kInt, "3072", "address space per LibreOffice process"},
    {"office.timeout_seconds", Type::kInt, "180", "wall clock per LibreOffice conversion"},
    {"office.warm", Type::kInt, "1", "keep LibreOffice running between documents (0: cold only)"},
    {"office.recycle_after", Type::kInt, "50", "documents per warm LibreOffice before a restart"},
    {"office.processes", Type::kInt, "", "LibreOffice conversions at once (default: cores)"},
    {"sandbox.mode", Type::kString, "bwrap",
     "converter sandbox: bwrap (bubblewrap + seccomp; fail closed) or off (no isolation)"},
    {"sandbox.bwrap", Type::kString, "/usr/bin/bwrap", "the bubblewrap program"},
    {"render.threads", Type::kInt, "2", "page images past the free preview drawn at once"},
    {"render.queue", Type::kInt, "8", "page drawings waiting at most; more are answered 503"},
    {"render.per_visitor", Type::kInt, "2", "page drawings one visitor may have at once"},
    {"search.per_minute", Type::kInt, "30",
     "searches a visitor may make a minute (per account, or per IP when anonymous)"},
    {"web.listen", Type::kString, "127.0.0.1:8080", "address the website listens on"},
    {"web.threads", Type::kInt, "4", "threads that answer requests (database, templates)"},
    {"web.io_threads", Type::kInt, "", "network threads (default: number of cores)"},
    {"web.max_upload_mb", Type::kInt, "200", "largest upload accepted over the web"},
    {"web.idle_timeout_seconds", Type::kInt, "30", "keep-alive connections close after this"},
    {"web.request_timeout_seconds", Type::kInt, "60",
     "longest pause while a request or answer is sent"},
    {"web.trusted_proxies", Type::kString, "",
     "proxy addresses (comma-separated) whose X-Forwarded-For names the visitor"},
    {"web.registrations_per_hour", Type::kInt, "10", "new accounts per IP address an hour"},
    {"web.page_cache_ms", Type::kInt, "1000", "anonymous pages are redrawn at most this often"},
    {"web.secure_cookies", Type::kInt, "0", "1 behind TLS: cookies get the Secure flag"},
    {"web.public_url", Type::kString, "", "https://example.org for links in Open Graph tags"},
    {"web.assets", Type::kString, "", "folder holding templates/ and static/ (default: found)"},
    {"search.friso_ini", Type::kString, "/etc/friso/friso.ini",
     "friso's configuration (its lex_dir: the UTF-8 dictionary)"},
    {"search.opencc_config", Type::kString, "/usr/share/opencc/t2s.json",
     "OpenCC's traditional-to-simplified configuration"},
    {"copyright.block_similarity", Type::kInt, "85",
     "percent of the same text (near-duplicate fingerprint) at which a new document that "
     "matches one taken down is refused"},
    {"copyright.flag_similarity", Type::kInt, "85",
     "percent of the same text at which a new document that matches another uploader's is "
     "recorded as a near-duplicate for moderation"},
    {"moderation.sensitive_words", Type::kString, "",
     "words that hold a new title, description or comment for review (one a line, or , | 、)"},
    {"copyright.refuse_duplicates", Type::kInt, "0",
     "1: refuse such a near-duplicate of another uploader's document instead of publishing it"},
    {"site.name", Type::kString, "文库", "the site's name, shown in every page"},
    {"site.contact", Type::kString, "copyright@example.org", "address for copyright notices"},
    {"site.tips", Type::kString, "", "温馨提示 lines separated by |  (default: built-in)"},
};

const Setting* FindSetting(const std::string& key) {
  for (const auto& s : kSettings) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

std::string DefaultFor(const Setting& s) {
  if (std::string(s.key) == "ingest.workers" || std::string(s.key) == "office.processes" ||
      std::string(s.key) == "web.io_threads") {
    return std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  }
  return s.default_value;
}

std::string EnvName(const std::string& key) {
  std::string name = "WENKU_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(c));
  return name;
}

bool ParseInt(const std::string& text, long* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

// Flattens a TOML table into dotted keys: [preview] pages = 5 → "preview.pages" = "5".
Status Flatten(const toml::table& table, const std::string& prefix,
               std::map<std::string, std::string>* out) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      WENKU_TRY(Flatten(*sub, key, out));
    } else if (auto s = node.value<std::string>(); s && node.is_string()) {
      (*out)[key] = *s;
    } else if (auto i = node.value<int64_t>(); i && node.is_integer()) {
      (*out)[key] = std::to_string(*i);
    } else if (auto b = node.value<bool>(); b && node.is_boolean()) {
      (*out)[key] = *b ? "1" : "0";
    } else {
      return MakeError(ErrorCode::kInvalidInput, "setting " + key + " has a type Wenku cannot use");
    }
  }
  return {};
}

}  // namespace

Status Config::Set(const std::string& key, const std::string& value, const std::string& source) {
  const Setting* s = FindSetting(key);
  if (s == nullptr) {
    return MakeError(ErrorCode::kInvalidInput, "unknown setting \"" + key + "\" in " + source);
  }
  long ignored = 0;
  if (s->type == Type::kInt && !ParseInt(value, &ignored)) {
    return MakeError(
        ErrorCode::kInvalidInput,
        "setting " + key + " in " + source + " must be a whole number, not \"" + value + "\"");
  }
  values_[key] = value;
  sources_[key] = source;
  return {};
}

Config Config::Defaults(const std::map<std::string, std::string>& overrides) {
  Config c;
  for (const auto& s : kSettings) {
    c.values_[s.key] = DefaultFor(s);
    c.sources_[s.key] = "default";
  }
  for (const auto& [k, v] : overrides) {
    if (!c.Set(k, v, "test").ok()) std::abort();  // a test passed a bad key: a bug
  }
  return c;
}

Result<Config> Config::Load(const std::string& config_file,
                            const std::map<std::string, std::string>& overrides) {
  Config c = Defaults();
  std::string file = config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("WENKU_CONFIG"); env != nullptr && *env != '\0') file = env;
  }
  bool explicit_file = !file.empty();
  if (!explicit_file && std::filesystem::exists("wenku.toml")) file = "wenku.toml";
  if (!file.empty()) {
    if (!std::filesystem::exists(file)) {
      return MakeError(ErrorCode::kInvalidInput, "config file " + file + " does not exist");
    }
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      return MakeError(ErrorCode::kInvalidInput, "config file " + file + " is not valid TOML: " +
                                                     std::string(e.description()));
    }
    std::map<std::string, std::string> flat;
    WENKU_TRY(Flatten(table, "", &flat));
    for (const auto& [k, v] : flat) WENKU_TRY(c.Set(k, v, file));
  }
  for (const auto& s : kSettings) {
    std::string name = EnvName(s.key);
    if (const char* env = std::getenv(name.c_str()); env != nullptr) {
      WENKU_TRY(c.Set(s.key, env, "environment " + name));
    }
  }
  for (const auto& [k, v] : overrides) WENKU_TRY(c.Set(k, v, "command line"));
  return c;
}

std::string Config::GetString(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) std::abort();  // unknown key: a programming error
  return it->second;
}

long Config::GetInt(const std::string& key) const {
  long v = 0;
  if (!ParseInt(GetString(key), &v)) std::abort();  // checked at load
  return v;
}

std::vector<std::pair<std::string, std::string>> Config::Describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : kSettings) {
    out.emplace_back(s.key, values_.at(s.key) + "  (" + sources_.at(s.key) + ")");
  }
  return out;
}

}  // namespace wenku
