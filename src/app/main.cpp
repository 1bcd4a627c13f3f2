// wenku — the command line. Parses flags, loads the configuration, opens the App and runs
// one command (commands.hpp). `wenku __pdf …` and `wenku __text …` are the sandboxed
// converters the ingest pipeline starts as child processes; they never open the database.
#include <CLI/CLI.hpp>
#include <clocale>
#include <cstdio>
#include <map>

#include "app/commands.hpp"
#include "core/log.hpp"
#include "ingest/archive_tool.hpp"
#include "ingest/epub_tool.hpp"
#include "ingest/pdf_tool.hpp"
#include "ingest/text_tool.hpp"
#include "storage/migrations.hpp"

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "__pdf") {
    return wenku::ingest::RunPdfTool(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string(argv[1]) == "__archive") {
    return wenku::ingest::RunArchiveTool(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string(argv[1]) == "__epub") {
    return wenku::ingest::RunEpubTool(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string(argv[1]) == "__text") {
    return wenku::ingest::RunTextTool(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::setlocale(LC_ALL, "C.UTF-8");

  CLI::App cli{"Wenku: a self-hosted document library (文库)", "wenku"};
  cli.require_subcommand(1);
  cli.fallthrough();
  std::string data, config_file, log_level;
  std::vector<std::string> sets;
  int workers = 0;
  cli.add_option("--data", data, "data folder (default ./data)");
  cli.add_option("--config", config_file, "configuration file (default ./wenku.toml when present)");
  cli.add_option("--workers", workers, "ingest worker threads");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  // One value per --set (a vector option would also swallow the paths and words after it).
  cli.add_option("--set", sets, "any setting as key=value, e.g. --set preview.pages=3")
      ->allow_extra_args(false);

  wenku::app::ImportOptions import_options;
  auto* import_cmd = cli.add_subcommand("import", "import files (or folders) and convert them");
  import_cmd->add_option("paths", import_options.paths, "files or folders")->required();
  import_cmd->add_option("--owner", import_options.owner, "owner's user name (created if missing)");
  import_cmd->add_option("--category", import_options.category, "category of every file");
  import_cmd->add_option("--price", import_options.price, "download price in points")
      ->check(CLI::NonNegativeNumber);
  import_cmd->add_flag("--json", import_options.json, "one JSON object per file on stdout");

  int64_t show_id = 0;
  bool show_json = false;
  auto* show_cmd = cli.add_subcommand("show", "show a document and its pages' text");
  show_cmd->add_option("id", show_id, "document id")->required();
  show_cmd->add_flag("--json", show_json, "as JSON, like GET /api/v1/documents/{id}");

  int64_t page_doc = 0, page_n = 0;
  auto* page_cmd =
      cli.add_subcommand("page-image", "print the path of a page's image, drawing it if needed");
  page_cmd->add_option("id", page_doc, "document id")->required();
  page_cmd->add_option("n", page_n, "page number")->required();

  auto* migrate_cmd = cli.add_subcommand("migrate", "apply database migrations");
  bool repair = false;
  auto* check_cmd = cli.add_subcommand("check", "check database rows against stored blobs");
  check_cmd->add_flag("--repair", repair, "remove orphan blobs and blob rows");
  auto* worker_cmd = cli.add_subcommand("worker", "run ingest workers until stopped");
  bool reindex_restart = false;
  auto* reindex_cmd = cli.add_subcommand("reindex", "rebuild the search index from the database");
  reindex_cmd->add_flag("--restart", reindex_restart, "start over instead of resuming");
  auto* fingerprint_cmd = cli.add_subcommand(
      "fingerprint", "give near-duplicate signatures to documents published without one");
  wenku::app::SearchOptions search_options;
  auto* search_cmd = cli.add_subcommand("search", "search the library as a visitor would");
  std::vector<std::string> search_words;
  search_cmd->add_option("query", search_words, "words, \"a phrase\", -excluded, a OR b (after --)")
      ->required();
  search_cmd->add_option("--category", search_options.category, "category slug");
  search_cmd->add_option("--format", search_options.format, "pdf, docx, …");
  search_cmd->add_option("--sort", search_options.sort, "newest or downloads (default: relevance)")
      ->check(CLI::IsMember({"", "relevance", "newest", "downloads"}));
  search_cmd->add_option("--page", search_options.page, "result page (10 a page)");
  search_cmd->add_flag("--json", search_options.json, "as JSON, like GET /api/v1/search");
  auto* config_cmd = cli.add_subcommand("config", "print every setting and where it came from");
  bool routes_json = false;
  auto* routes_cmd =
      cli.add_subcommand("routes", "print every URL the site answers and who may call it");
  routes_cmd->add_flag("--json", routes_json, "as JSON");

  wenku::app::ServeOptions serve_options;
  auto* serve_cmd = cli.add_subcommand("serve", "serve the website and run the ingest workers");
  serve_cmd->add_option("--listen", serve_options.listen, "HOST:PORT (default 127.0.0.1:8080)");
  serve_cmd->add_flag("--no-workers", serve_options.no_workers,
                      "web only (run `wenku worker` elsewhere)");

  wenku::app::UserAddOptions user_options;
  auto* user_cmd = cli.add_subcommand("user", "manage accounts");
  user_cmd->require_subcommand(1);
  auto* user_add_cmd = user_cmd->add_subcommand("add", "create an account or reset its password");
  user_add_cmd->add_option("name", user_options.name, "user name")->required();
  user_add_cmd->add_option("--role", user_options.role, "user, moderator or admin")
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  user_add_cmd->add_option("--password", user_options.password,
                           "the password (default: a random one, printed)");

  auto* ledger_cmd = cli.add_subcommand("ledger", "the points ledger");
  ledger_cmd->require_subcommand(1);
  auto* ledger_check_cmd = ledger_cmd->add_subcommand(
      "check", "recompute every balance and transaction sum; exit 1 on any difference");
  wenku::app::PointsGrantOptions grant_options;
  std::string points_user;
  bool points_json = false;
  auto* points_cmd = cli.add_subcommand("points", "users' points");
  points_cmd->require_subcommand(1);
  auto* points_grant_cmd = points_cmd->add_subcommand("grant", "give a user points");
  points_grant_cmd->add_option("user", grant_options.user, "user name")->required();
  points_grant_cmd->add_option("points", grant_options.points, "how many")
      ->required()
      ->check(CLI::PositiveNumber);
  points_grant_cmd->add_option("--memo", grant_options.memo, "why (shown in the history)");
  auto* points_show_cmd =
      points_cmd->add_subcommand("show", "a user's balance, pending earnings and history");
  points_show_cmd->add_option("user", points_user, "user name")->required();
  points_show_cmd->add_flag("--json", points_json, "as JSON");
  auto* points_settle_cmd =
      points_cmd->add_subcommand("settle", "move matured pending earnings to wallets");

  wenku::app::BackupOptions backup_options;
  auto* backup_cmd = cli.add_subcommand(
      "backup", "back up a single-node library (database, blobs, derived files) into DIR");
  backup_cmd->add_option("dir", backup_options.dir, "a new or empty folder")->required();
  backup_cmd->add_flag("--without-derived", backup_options.without_derived,
                       "leave out covers and page images (covers are only drawn at ingest)");
  std::string restore_dir;
  auto* restore_cmd =
      cli.add_subcommand("restore", "restore a backup into an empty data folder, verified");
  restore_cmd->add_option("dir", restore_dir, "the folder `wenku backup` wrote")->required();
  wenku::app::MigrateToOptions migrate_to_options;
  auto* migrate_to_cmd = cli.add_subcommand(
      "migrate-to", "copy this library into PostgreSQL + S3 (resumable, verified)");
  migrate_to_cmd->add_option("--database", migrate_to_options.database, "postgresql://… URL")
      ->required();
  migrate_to_cmd
      ->add_option("--blobs", migrate_to_options.blobs,
                   "s3://bucket?endpoint=…&region=… (keys: WENKU_S3_ACCESS_KEY, "
                   "WENKU_S3_SECRET_KEY)")
      ->required();

  CLI11_PARSE(cli, argc, argv);
  if (*routes_cmd) return wenku::app::RunRoutes(routes_json);

  std::map<std::string, std::string> overrides;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "wenku: --set needs key=value, got \"%s\"\n", s.c_str());
      return 2;
    }
    overrides[s.substr(0, eq)] = s.substr(eq + 1);
  }
  if (!data.empty()) overrides["data"] = data;
  if (workers > 0) overrides["ingest.workers"] = std::to_string(workers);
  if (!log_level.empty()) overrides["log.level"] = log_level;
  auto config = wenku::Config::Load(config_file, overrides);
  if (!config.ok()) {
    std::fprintf(stderr, "wenku: %s\n", config.error().message.c_str());
    return 2;
  }
  if (*config_cmd) {
    return wenku::app::RunConfig(*config);
  }

  // On a terminal the importer draws progress bars: only warnings go to the console then.
  bool quiet_console = *import_cmd || *backup_cmd || *restore_cmd || *migrate_to_cmd || *show_cmd ||
                       *page_cmd || *check_cmd || *user_cmd || *reindex_cmd || *fingerprint_cmd ||
                       *search_cmd || *ledger_cmd || *points_cmd;
  std::string level = config->GetString("log.level");
  wenku::DataLayout layout(config->GetString("data"));
  layout.Create();
  wenku::InitLogging(level, quiet_console ? "warn" : level, (layout.logs() / "wenku.log").string());

  // Neither opens the library first: backup never changes it, restore needs it absent.
  if (*backup_cmd) return wenku::app::RunBackup(*config, backup_options);
  if (*restore_cmd) return wenku::app::RunRestore(*config, restore_dir);

  auto app = wenku::app::App::Open(*config);
  if (!app.ok()) {
    std::fprintf(stderr, "wenku: %s\n", app.error().message.c_str());
    return 2;
  }
  wenku::app::App& a = **app;
  if (*import_cmd) return wenku::app::RunImport(a, import_options);
  if (*show_cmd) return wenku::app::RunShow(a, show_id, show_json);
  if (*page_cmd) return wenku::app::RunPageImage(a, page_doc, page_n);
  if (*check_cmd) return wenku::app::RunCheck(a, repair);
  if (*worker_cmd) return wenku::app::RunWorker(a);
  if (*reindex_cmd) return wenku::app::RunReindex(a, reindex_restart);
  if (*fingerprint_cmd) return wenku::app::RunFingerprint(a);
  if (*search_cmd) {
    for (const auto& w : search_words) {
      search_options.query += (search_options.query.empty() ? "" : " ") + w;
    }
    return wenku::app::RunSearch(a, search_options);
  }
  if (*serve_cmd) return wenku::app::RunServe(a, serve_options);
  if (*user_add_cmd) return wenku::app::RunUserAdd(a, user_options);
  if (*ledger_check_cmd) return wenku::app::RunLedgerCheck(a);
  if (*points_grant_cmd) return wenku::app::RunPointsGrant(a, grant_options);
  if (*points_show_cmd) return wenku::app::RunPointsShow(a, points_user, points_json);
  if (*points_settle_cmd) return wenku::app::RunPointsSettle(a);
  if (*migrate_to_cmd) return wenku::app::RunMigrateTo(a, migrate_to_options);
  if (*migrate_cmd) {
    std::printf("schema version %d (%d migration(s) applied now)\n",
                wenku::storage::LatestSchemaVersion(), a.migrations_applied());
    return 0;
  }
  return 0;
}
