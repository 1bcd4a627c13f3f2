#include "core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace wenku {
namespace {

// The one list of settings. A group marks a runtime setting (core/settings.hpp): editable
// on /admin/settings while the site runs. {min, max}: the range an integer must be in.
const std::vector<SettingInfo> kSettings = {
    {"data", SettingType::kString, "./data", "data folder: database, blobs, derived files, logs"},
    {"database", SettingType::kString, "",
     "empty: SQLite in the data folder; postgresql://user@host:port/db: that PostgreSQL "
     "database"},
    {"blobs", SettingType::kString, "",
     "where originals are kept: empty = the data folder; s3://bucket?endpoint=http://host:port"
     "&region=us-east-1 = an S3 bucket (keys: WENKU_S3_ACCESS_KEY, WENKU_S3_SECRET_KEY); "
     "derived files (page images, covers, converted PDFs) are kept beside them"},
    {"blobs.presign", SettingType::kInt, "0",
     "1: downloads answer 302 to a presigned S3 URL valid 300 s (S3 only; the local folder "
     "ignores it). In wenku.toml, where `blobs` is a string, write &presign=1 in its URL"},
    {"log.level", SettingType::kString, "info", "trace, debug, info, warn, error"},
    {"ingest.workers", SettingType::kInt, "", "ingest worker threads (default: number of cores)"},
    {"ingest.lease_seconds", SettingType::kInt, "60", "a claimed job is re-claimable after this"},
    {"ingest.max_attempts", SettingType::kInt, "3", "tries per job before the document fails"},
    {"ingest.max_file_mb", SettingType::kInt, "200", "largest file accepted for import"},
    {"ingest.warm_pdf", SettingType::kInt, "1",
     "keep one Poppler child per ingest worker running between documents, each in a sandbox "
     "of its own (0: a child per call)",
     "", 0, 1},
    {"ingest.warm_pdf_recycle_after", SettingType::kInt, "200",
     "calls per warm Poppler child before a fresh one", "", 1, 1000000},
    {"preview.pages", SettingType::kInt, "5",
     "free-preview pages every visitor may read (0-50); pages past those drawn at ingest are "
     "drawn on first request",
     "preview", 0, 50},
    {"preview.width", SettingType::kInt, "1000", "page image width in pixels"},
    {"preview.cover_width", SettingType::kInt, "240", "cover thumbnail width in pixels"},
    {"preview.webp_quality", SettingType::kInt, "80", "WebP quality 0-100", "", 0, 100},
    {"economy.signup_bonus", SettingType::kInt, "20", "points a new account gets", "economy", 0,
     1000000},
    {"economy.checkin_bonus", SettingType::kInt, "5", "points for the daily sign-in (签到)",
     "economy", 0, 1000000},
    {"economy.upload_reward", SettingType::kInt, "10", "points for an upload when it becomes ready",
     "economy", 0, 1000000},
    {"economy.commission_percent", SettingType::kInt, "20", "the site's share of a sale, 0-100",
     "economy", 0, 100},
    {"economy.settle_days", SettingType::kInt, "7", "days a sale's earnings stay pending",
     "economy", 0, 365},
    {"site.time_zone", SettingType::kString, "Asia/Shanghai",
     "time zone of the site's calendar (one check-in a day)"},
    {"limits.cpu_seconds", SettingType::kInt, "120", "CPU seconds per converter process"},
    {"limits.memory_mb", SettingType::kInt, "1536", "address space per converter process"},
    {"limits.file_size_mb", SettingType::kInt, "512", "largest file a converter may write"},
    {"limits.open_files", SettingType::kInt, "256", "open files per converter process"},
    {"limits.timeout_seconds", SettingType::kInt, "300", "wall clock per converter process"},
    {"ocr.languages", SettingType::kString, "chi_sim+chi_tra+eng",
     "Tesseract languages for pages without text"},
    {"ocr.dpi", SettingType::kInt, "300", "resolution scanned pages are read at"},
    {"ocr.max_pages", SettingType::kInt, "200", "pages recognised per document at most"},
    {"ocr.workers", SettingType::kInt, "1",
     "threads recognising the text of published scans, beside the ingest workers (0: none "
     "in this process)"},
    {"office.memory_mb", SettingType::kInt, "3072", "address space per LibreOffice process"},
    {"office.timeout_seconds", SettingType::kInt, "180", "wall clock per LibreOffice conversion"},
    {"office.warm", SettingType::kInt, "1",
     "keep LibreOffice running between documents (0: cold only)"},
    {"office.recycle_after", SettingType::kInt, "50",
     "documents per warm LibreOffice before a restart"},
    {"office.processes", SettingType::kInt, "", "LibreOffice conversions at once (default: cores)"},
    {"cad.max_entities", SettingType::kInt, "200000",
     "most entities a DWG/DXF drawing may have (the corpus's largest has about 7,000)"},
    {"cad.memory_mb", SettingType::kInt, "3072",
     "address space for the drawing renderer (Node + LibreDWG's WebAssembly)"},
    {"cad.timeout_seconds", SettingType::kInt, "180", "wall clock per drawing"},
    {"cad.node", SettingType::kString, "/usr/bin/node", "the Node.js that runs the renderer"},
    {"cad.tool_dir", SettingType::kString, "",
     "the renderer and its npm packages (default: tools/cad of the source tree)"},
    {"sandbox.mode", SettingType::kString, "bwrap",
     "converter sandbox: bwrap (bubblewrap + seccomp; fail closed) or off (no isolation)"},
    {"sandbox.bwrap", SettingType::kString, "/usr/bin/bwrap", "the bubblewrap program"},
    {"render.threads", SettingType::kInt, "2", "page images past the free preview drawn at once"},
    {"render.queue", SettingType::kInt, "8",
     "page drawings waiting at most; more are answered 503"},
    {"render.per_visitor", SettingType::kInt, "2", "page drawings one visitor may have at once"},
    {"search.per_minute", SettingType::kInt, "30",
     "searches a visitor may make a minute (per account, or per IP when anonymous)", "limits", 1,
     100000},
    {"session.idle_minutes", SettingType::kInt, "120",
     "a log-in ends after this many minutes without a request (each request renews it)", "", 1,
     525600},
    {"session.max_days", SettingType::kInt, "30",
     "a log-in ends this many days after it was made, however much it is used", "", 1, 3650},
    {"upload.max_seconds", SettingType::kInt, "3600",
     "longest time one upload's body may take, however fast it still arrives", "", 1, 86400},
    {"upload.min_bytes_per_second", SettingType::kInt, "8192",
     "slowest average an upload may arrive at once past upload.grace_seconds (0: any)", "", 0,
     100000000},
    {"upload.grace_seconds", SettingType::kInt, "20",
     "seconds an upload may start slowly before its average rate counts", "", 0, 3600},
    {"upload.max_concurrent", SettingType::kInt, "16",
     "uploads arriving at once over the whole site; more are answered 503", "", 1, 10000},
    {"upload.per_account", SettingType::kInt, "2", "uploads one account may send at once", "limits",
     1, 1000},
    {"upload.per_address", SettingType::kInt, "4",
     "uploads one address (IPv6: its /64) may send at once (proxies: the visitor's address)",
     "limits", 1, 10000},
    {"upload.documents_per_day", SettingType::kInt, "50",
     "documents one user may upload in 24 hours (moderators and admins: no limit)", "limits", 1,
     1000000},
    {"upload.mb_per_day", SettingType::kInt, "1024",
     "megabytes one user may upload in 24 hours (moderators and admins: no limit)", "limits", 1,
     10000000},
    {"upload.open_jobs", SettingType::kInt, "20",
     "documents of one user waiting or being converted at most before a new upload is refused "
     "(moderators and admins: no limit)",
     "limits", 1, 1000000},
    {"archive.max_documents", SettingType::kInt, "200",
     "documents one uploaded archive may add, counting those in archives inside it", "", 0, 100000},
    {"archive.max_nesting", SettingType::kInt, "2",
     "archive levels unpacked: 1 only the uploaded archive, 2 also archives inside it", "", 1, 5},
    {"login.free_failures", SettingType::kInt, "3",
     "failed log-ins to one account that cost no wait; each further one waits longer", "", 0, 100},
    {"login.first_delay_ms", SettingType::kInt, "1000",
     "the first wait after the free failures (it doubles with each further failure)", "", 1,
     3600000},
    {"login.max_delay_seconds", SettingType::kInt, "900",
     "the longest wait between log-in attempts to one account", "", 1, 86400},
    {"login.address_failures", SettingType::kInt, "30",
     "failed log-ins one address (IPv6: its /64) may make within 15 minutes, any accounts", "", 1,
     100000},
    {"web.listen", SettingType::kString, "127.0.0.1:8080", "address the website listens on"},
    {"web.threads", SettingType::kInt, "4", "threads that answer requests (database, templates)"},
    {"web.io_threads", SettingType::kInt, "", "network threads (default: number of cores)"},
    {"web.max_upload_mb", SettingType::kInt, "200",
     "largest upload accepted over the web (never above ingest.max_file_mb)", "limits", 1, 100000},
    {"web.max_connections_per_ip", SettingType::kInt, "64",
     "open connections one address (IPv6: its /64) may hold; 0: no cap (proxies not counted)"},
    {"web.idle_timeout_seconds", SettingType::kInt, "30",
     "keep-alive connections close after this"},
    {"web.request_timeout_seconds", SettingType::kInt, "60",
     "longest pause while a request or answer is sent"},
    {"web.trusted_proxies", SettingType::kString, "",
     "proxy addresses (comma-separated) whose X-Forwarded-For names the visitor"},
    {"web.registrations_per_hour", SettingType::kInt, "10", "new accounts per IP address an hour",
     "limits", 1, 100000},
    {"web.page_cache_ms", SettingType::kInt, "1000",
     "anonymous pages are redrawn at most this often"},
    {"web.secure_cookies", SettingType::kInt, "0",
     "1 behind TLS: __Host- cookies with Secure, and HSTS (on when web.public_url is https)"},
    {"web.public_url", SettingType::kString, "",
     "https://example.org: the site's address in absolute links (sitemap, Open Graph); "
     "unset: the listening address, never the Host header"},
    {"web.assets", SettingType::kString, "",
     "folder holding templates/ and static/ (default: found)"},
    {"search.friso_ini", SettingType::kString, "/etc/friso/friso.ini",
     "friso's configuration (its lex_dir: the UTF-8 dictionary)"},
    {"search.opencc_config", SettingType::kString, "/usr/share/opencc/t2s.json",
     "OpenCC's traditional-to-simplified configuration"},
    {"search.remote", SettingType::kString, "",
     "empty: the search index in the data folder; tcp://host:port: the one index served by "
     "`xapian-tcpsrv --writable` (scripts/start-xapian.sh) that every node writes and reads"},
    {"copyright.block_similarity", SettingType::kInt, "85",
     "percent of the same text (near-duplicate fingerprint) at which a new document that "
     "matches one taken down is refused",
     "copyright", 1, 100},
    {"copyright.flag_similarity", SettingType::kInt, "85",
     "percent of the same text at which a new document that matches another uploader's is "
     "recorded as a near-duplicate for moderation",
     "copyright", 1, 100},
    {"copyright.refuse_duplicates", SettingType::kInt, "0",
     "1: refuse such a near-duplicate of another uploader's document instead of publishing it",
     "copyright", 0, 1},
    {"site.name", SettingType::kString, "文库", "the site's name, shown in every page", "site", 0,
     -1, 100},
    {"site.contact", SettingType::kString, "copyright@example.org", "address for copyright notices",
     "site", 0, -1, 200},
    {"site.tips", SettingType::kString, "", "温馨提示 lines separated by |  (default: built-in)",
     "site", 0, -1, 4000},
    {"moderation.sensitive_words", SettingType::kString, "",
     "words that hold a new title, description or comment for review (one a line, or , | 、)",
     "moderation", 0, -1, 32000},
};

std::string DefaultFor(const SettingInfo& s) {
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

const std::vector<SettingInfo>& AllSettings() { return kSettings; }

const SettingInfo* FindSettingInfo(const std::string& key) {
  for (const auto& s : kSettings) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

bool ParseSettingInt(const std::string& text, long* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

std::optional<SettingProblem> ValidateSetting(const std::string& key, const std::string& value) {
  const SettingInfo* s = FindSettingInfo(key);
  if (s == nullptr) return SettingProblem{SettingProblem::Kind::kUnknown, nullptr};
  if (s->type == SettingType::kString) {
    if (value.size() > s->max_length) return SettingProblem{SettingProblem::Kind::kTooLong, s};
    return std::nullopt;
  }
  long v = 0;
  if (!ParseSettingInt(value, &v)) return SettingProblem{SettingProblem::Kind::kNotANumber, s};
  if (s->has_range() && (v < s->min || v > s->max)) {
    return SettingProblem{SettingProblem::Kind::kOutOfRange, s};
  }
  return std::nullopt;
}

std::string SettingProblem::Describe(const std::string& key, const std::string& value) const {
  switch (kind) {
    case Kind::kUnknown:
      return "unknown setting \"" + key + "\"";
    case Kind::kNotANumber:
      return "setting " + key + " must be a whole number, not \"" + value + "\"";
    case Kind::kOutOfRange:
      return "setting " + key + " must be " + std::to_string(info->min) + "-" +
             std::to_string(info->max) + ", not " + value;
    case Kind::kTooLong:
      return "setting " + key + " is longer than " + std::to_string(info->max_length) + " bytes";
    case Kind::kNotRuntime:
      return "setting " + key + " is read at start only: change it in wenku.toml";
  }
  return "setting " + key + " is not valid";
}

Status Config::Set(const std::string& key, const std::string& value, const std::string& source) {
  if (auto problem = ValidateSetting(key, value)) {
    return MakeError(ErrorCode::kInvalidInput,
                     problem->Describe(key, value) + " (in " + source + ")");
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
  if (!ParseSettingInt(GetString(key), &v)) std::abort();  // checked at load
  return v;
}

std::string Config::SourceOf(const std::string& key) const {
  auto it = sources_.find(key);
  if (it == sources_.end()) std::abort();  // unknown key: a programming error
  return it->second;
}

std::vector<std::pair<std::string, std::string>> Config::Describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : kSettings) {
    out.emplace_back(s.key, values_.at(s.key) + "  (" + sources_.at(s.key) + ")");
  }
  return out;
}

}  // namespace wenku
