#include "app/app.hpp"

#include "core/text_fold.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <climits>

#include "blob/s3_blob_store.hpp"
#include "core/files.hpp"
#include "library/submit.hpp"
#include "storage/migrations.hpp"

namespace wenku::app {
namespace {

// The wenku executable itself: converters run as `wenku __pdf …`.
std::string SelfPath() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "wenku";
  buf[n] = '\0';
  return buf;
}

// The converter children's program: wenku-convert beside wenku (convert_main.cpp: the same
// entry points with a third of the libraries to load), else wenku itself.
std::string ConverterPath() {
  const std::string self = SelfPath();
  const auto beside = std::filesystem::path(self).parent_path() / "wenku-convert";
  return access(beside.c_str(), X_OK) == 0 ? beside.string() : self;
}

ingest::RenderOptions RenderFrom(const Config& c) {
  return ingest::RenderOptions{static_cast<int>(c.GetInt("preview.width")),
                               static_cast<int>(c.GetInt("preview.webp_quality")),
                               static_cast<int>(c.GetInt("preview.cover_width"))};
}

ingest::OfficeOptions OfficeFrom(const Config& c, const DataLayout& layout) {
  ingest::OfficeOptions o;
  o.limits = LimitsFrom(c);
  o.limits.memory_mb = c.GetInt("office.memory_mb");
  o.limits.timeout_ms = c.GetInt("office.timeout_seconds") * 1000;
  o.limits.cpu_seconds = c.GetInt("office.timeout_seconds");
  o.limits.open_files = 4096;  // fonts, libraries, the profile
  o.profiles_dir = layout.office();
  o.profiles = static_cast<int>(std::max(1L, c.GetInt("office.processes")));
  o.warm = c.GetInt("office.warm") != 0;
  o.recycle_after = static_cast<int>(std::max(1L, c.GetInt("office.recycle_after")));
  return o;
}

// The warm Poppler children (pdf_pool.hpp): one per ingest worker; none with
// ingest.warm_pdf = 0.
std::unique_ptr<ingest::PdfPool> PdfPoolFrom(const Config& c, const DataLayout& layout,
                                             Sandbox& sandbox) {
  if (c.GetInt("ingest.warm_pdf") == 0) return nullptr;
  ingest::PdfPoolOptions o;
  o.processes = static_cast<int>(std::max(1L, c.GetInt("ingest.workers")));
  o.recycle_after = static_cast<int>(std::max(1L, c.GetInt("ingest.warm_pdf_recycle_after")));
  o.limits = LimitsFrom(c);
  o.folder = layout.convert();
  o.tool = ConverterPath();
  o.sandbox = &sandbox;
  return std::make_unique<ingest::PdfPool>(o);
}

ingest::CadOptions CadFrom(const Config& c) {
  ingest::CadOptions o;
  o.node = c.GetString("cad.node");
  o.tool_dir = c.GetString("cad.tool_dir").empty()
                   ? std::filesystem::path(WENKU_SOURCE_DIR) / "tools" / "cad"
                   : std::filesystem::path(c.GetString("cad.tool_dir"));
  o.max_entities = c.GetInt("cad.max_entities");
  o.limits = LimitsFrom(c);
  o.limits.memory_mb = c.GetInt("cad.memory_mb");
  o.limits.timeout_ms = c.GetInt("cad.timeout_seconds") * 1000;
  o.limits.cpu_seconds = c.GetInt("cad.timeout_seconds");
  o.limits.open_files = 1024;  // Node, its modules, fonts (rsvg-convert)
  return o;
}

}  // namespace

ProcessLimits LimitsFrom(const Config& c) {
  ProcessLimits l;
  l.cpu_seconds = c.GetInt("limits.cpu_seconds");
  l.memory_mb = c.GetInt("limits.memory_mb");
  l.file_size_mb = c.GetInt("limits.file_size_mb");
  l.open_files = c.GetInt("limits.open_files");
  l.timeout_ms = c.GetInt("limits.timeout_seconds") * 1000;
  return l;
}

// The ocr jobs' Tesseract: the same limits, at nice 10, so that conversions of new uploads
// (the ingest workers' children, nice 0) get the CPU first.
ProcessLimits BackgroundLimitsFrom(const Config& c) {
  ProcessLimits l = LimitsFrom(c);
  l.nice = 10;
  return l;
}

ingest::PipelineDeps WithOcr(ingest::PipelineDeps deps, const ingest::Ocr* ocr) {
  deps.ocr = ocr;
  return deps;
}

App::App(const Config& config, std::unique_ptr<storage::Database> db, blob::Stores stores)
    : config_(config),
      layout_(config.GetString("data")),
      db_(std::move(db)),
      cases_(*db_, clock_),
      settings_(config, *db_, cases_, clock_),
      blobs_(std::move(stores.blobs)),
      derived_(std::move(stores.derived)),
      users_(*db_, clock_),
      documents_(*db_, clock_),
      jobs_(*db_, clock_),
      sessions_(*db_, clock_),
      comments_(*db_, clock_),
      ledger_(*db_, clock_),
      entitlements_(*db_, clock_),
      points_(*db_, ledger_, entitlements_, cases_, clock_,
              points::Economy::FromConfig(config).value(),
              TimeZone::Find(config.GetString("site.time_zone")).value(), &settings_),
      accounts_(*db_, users_, sessions_, points_, accounts::SessionPolicy::FromConfig(config),
                clock_),
      api_token_store_(*db_),
      api_tokens_(api_token_store_, clock_),
      fingerprints_(*db_, clock_),
      near_duplicates_(fingerprints_, library::NearDuplicateSettings::FromConfig(config).value(),
                       &settings_),
      // App::Open checked search.remote.
      search_(
          search::IndexLocation::Parse(layout_.index(), config.GetString("search.remote")).value(),
          search::SegmenterOptions{config.GetString("search.friso_ini"),
                                   config.GetString("search.opencc_config")}),
      sandbox_(SandboxOptions{config.GetString("sandbox.mode"), config.GetString("sandbox.bwrap")}),
      runner_(sandbox_),
      pdf_pool_(PdfPoolFrom(config, layout_, sandbox_)),
      pdf_(runner_, ConverterPath(), LimitsFrom(config), pdf_pool_.get()),
      office_(runner_, sandbox_, OfficeFrom(config, layout_)),
      cad_(runner_, CadFrom(config)),
      ocr_(runner_,
           ingest::OcrOptions{"/usr/bin/tesseract", config.GetString("ocr.languages"),
                              LimitsFrom(config), config.GetString("search.opencc_config")}),
      ocr_background_(runner_,
                      ingest::OcrOptions{"/usr/bin/tesseract", config.GetString("ocr.languages"),
                                         BackgroundLimitsFrom(config),
                                         config.GetString("search.opencc_config")}),
      category_store_(*db_, cases_, clock_),
      categories_(category_store_, clock_),
      pipeline_deps_(ingest::PipelineDeps{
          &pdf_, &office_, &ocr_, &documents_, blobs_.get(), derived_.get(), layout_,
          config.GetInt("preview.pages"), RenderFrom(config),
          ingest::OcrSettings{static_cast<int>(config.GetInt("ocr.dpi")),
                              config.GetInt("ocr.max_pages")},
          library::SubmitLimitsFrom(config), &search_, &categories_, &points_, &near_duplicates_,
          // moderation_ is made below; this runs only once jobs do
          [this](storage::Sql& tx, const storage::NearDuplicateRow& m) {
            auto opened =
                moderation_.OpenNearDuplicate(tx, m.document_id, m.other_document_id, m.similarity);
            if (!opened.ok()) return Status(opened.error());
            return Status{};
          },
          &settings_, &cad_}),
      pipeline_(ingest::MakeDefaultPipeline(pipeline_deps_)),
      ocr_pipeline_(ingest::MakeOcrPipeline(WithOcr(pipeline_deps_, &ocr_background_))),
      page_images_(pdf_, documents_, *blobs_, *derived_, layout_, RenderFrom(config)),
      moderation_({*db_, cases_, documents_, points_, *blobs_, search_, comments_,
                   [this] { return settings_.GetString("moderation.sensitive_words"); },
                   config.GetString("search.opencc_config")}),
      user_admin_({*db_, users_, sessions_, cases_, documents_, points_, search_, clock_}),

      document_admin_({*db_, cases_, documents_, jobs_, search_, *blobs_, *derived_, categories_,
                       library::SubmitLimitsFrom(config).max_attempts}),
      stats_(*db_) {}

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  const std::string mode = config.GetString("sandbox.mode");
  if (mode != "bwrap" && mode != "off") {
    return MakeError(ErrorCode::kInvalidInput,
                     "sandbox.mode must be \"bwrap\" or \"off\", not \"" + mode + "\"");
  }
  if (mode == "off") {
    spdlog::warn(
        "sandbox: OFF (sandbox.mode = \"off\"): converters run without isolation; a hostile "
        "document can read and change everything this user can. Never run a public site so.");
  }
  if (auto economy = points::Economy::FromConfig(config); !economy.ok()) return economy.error();
  if (auto near = library::NearDuplicateSettings::FromConfig(config); !near.ok()) {
    return near.error();
  }
  if (auto remote = search::IndexLocation::Parse({}, config.GetString("search.remote"));
      !remote.ok()) {
    return remote.error();
  }
  DataLayout layout(config.GetString("data"));
  layout.Create();
  RemoveStaleTempFiles(layout.tmp());
  const std::string database = config.GetString("database");
  if (!database.empty() && !storage::IsPostgresUrl(database)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "database: expected empty (SQLite in the data folder) or a "
                     "postgresql://user@host:port/db URL");
  }
  auto db = database.empty() ? storage::OpenSqlite(layout.database().string())
                             : storage::OpenPostgres(database);
  if (!db.ok()) return db.error();
  if (!database.empty()) {
    // A shared database with this node's own files: other nodes will not find them.
    if (config.GetString("blobs").empty()) {
      spdlog::warn(
          "blobs: the database is shared (PostgreSQL) but originals and page images are kept "
          "in this node's data folder ({}); other nodes cannot read them. Set blobs = "
          "\"s3://…\" on every node (docs/operations.md).",
          layout.root().string());
    }
    if (config.GetString("search.remote").empty()) {
      spdlog::warn(
          "search: the database is shared (PostgreSQL) but the search index is this node's own "
          "({}); set search.remote = \"tcp://host:port\" on every node (docs/operations.md).",
          layout.index().string());
    }
  }
  auto ran = storage::Migrate(**db);
  if (!ran.ok()) return ran.error();
  auto stores =
      blob::OpenStores(config.GetString("blobs"), layout.blobs(), layout.derived(), layout.tmp());
  if (!stores.ok()) return stores.error();
  std::unique_ptr<App> app(new App(config, std::move(db).value(), std::move(stores).value()));
  app->migrations_applied_ = *ran;
  // Names made before migration 13 get their look-alike key here: SQL cannot compute it.
  auto filled = app->accounts().FillNameSkeletons();
  if (!filled.ok()) return filled.error();
  if (*filled > 0) spdlog::info("accounts: stored the look-alike key of {} user names", *filled);
  return app;
}

ingest::WorkerOptions App::worker_options() {
  ingest::WorkerOptions o;
  o.workers = static_cast<int>(std::max(1L, config_.GetInt("ingest.workers")));
  o.lease_ms = std::max(1L, config_.GetInt("ingest.lease_seconds")) * 1000;
  Sandbox* sandbox = &sandbox_;
  o.converters_ready = [sandbox] { return sandbox->Ready(); };
  o.ocr_pipeline = &ocr_pipeline_;
  o.warm_up = [this] {
    // What a document's fingerprint and index stages load on first use; a failure here is
    // theirs to report.
    (void)TextFold::Shared(config_.GetString("search.opencc_config"));
    (void)search_.segmenter();
  };
  o.ocr_workers = static_cast<int>(std::max(0L, config_.GetInt("ocr.workers")));
  return o;
}

}  // namespace wenku::app
