// wenku serve — the website and the ingest workers in one process, until SIGINT/SIGTERM.
// Prints "wenku: serving http://HOST:PORT/" once it listens (scripts and tests wait for
// that line; port 0 picks a free port).
#include <spdlog/spdlog.h>

#include <cstdio>

#include "app/commands.hpp"
#include "points/settle_loop.hpp"
#include "web/dispatch.hpp"
#include "web/server.hpp"
#include "web/site.hpp"

namespace wenku::app {

int RunServe(App& app, const ServeOptions& options) {
  std::string listen =
      options.listen.empty() ? app.config().GetString("web.listen") : options.listen;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "wenku: --listen needs HOST:PORT, got \"%s\"\n", listen.c_str());
    return 2;
  }
  std::filesystem::path templates_dir;
  auto site_options = web::SiteOptionsFrom(app.config(), &templates_dir);
  if (!site_options.ok()) {
    std::fprintf(stderr, "wenku: %s\n", site_options.error().message.c_str());
    return 2;
  }
  auto templates = web::Templates::Load(templates_dir);
  if (!templates.ok()) {
    std::fprintf(stderr, "wenku: %s\n", templates.error().message.c_str());
    return 2;
  }
  std::unique_ptr<ingest::WorkerPool> workers;  // made once the server listens
  web::SiteServices services{
      app.db(),
      app.documents(),
      app.comments(),
      app.users(),
      app.ledger(),
      app.entitlements(),
      app.accounts(),
      app.api_tokens(),
      app.points(),
      app.cases(),
      app.moderation(),
      app.categories(),
      app.user_admin(),
      app.document_admin(),
      app.stats(),
      app.blobs(),
      app.derived(),
      app.search(),
      app.page_images(),
      app.layout(),
      app.clock(),
      app.settings(),
      [&app] { return app.sandbox().Ready(); },
      app.jobs(),
      [&workers] { return workers ? workers->conversions() : ingest::ConversionCounts{}; }};
  web::Site site(std::move(services), std::move(templates).value(), *site_options);
  web::Dispatcher dispatcher(site);
  web::ServerOptions server_options;
  server_options.host = listen.substr(0, colon);
  if (server_options.host.size() > 2 && server_options.host.front() == '[') {
    server_options.host = server_options.host.substr(1, server_options.host.size() - 2);
  }
  server_options.port = std::atoi(listen.c_str() + colon + 1);
  server_options.handler_threads =
      static_cast<int>(std::max(1L, app.config().GetInt("web.threads")));
  server_options.io_threads = static_cast<int>(std::max(1L, app.config().GetInt("web.io_threads")));
  server_options.idle_timeout_seconds =
      static_cast<int>(std::max(1L, app.config().GetInt("web.idle_timeout_seconds")));
  server_options.tmp_dir = app.layout().tmp();
  server_options.max_connections_per_address =
      static_cast<int>(std::max(0L, app.config().GetInt("web.max_connections_per_ip")));
  server_options.uncapped = site.options().trusted_proxies;
  server_options.max_concurrent_uploads =
      static_cast<int>(std::max(1L, app.config().GetInt("upload.max_concurrent")));
  server_options.upload_max_seconds =
      static_cast<int>(std::max(1L, app.config().GetInt("upload.max_seconds")));
  server_options.upload_min_bytes_per_second =
      std::max(0L, app.config().GetInt("upload.min_bytes_per_second"));
  server_options.upload_grace_seconds =
      static_cast<int>(std::max(0L, app.config().GetInt("upload.grace_seconds")));
  web::Server server(server_options, dispatcher);
  Status listening = server.Listen();
  if (!listening.ok()) {
    std::fprintf(stderr, "wenku: %s\n", listening.error().message.c_str());
    return 2;
  }

  if (!options.no_workers) {
    workers = std::make_unique<ingest::WorkerPool>(app.pipeline(), app.jobs(), app.documents(),
                                                   app.blobs(), app.layout(), app.worker_options());
    workers->Start();
  }
  points::SettleLoop settling(app.points(), points::kSettleEvery);  // pending → wallets
  settling.Start();
  site.cache_sync.Start();
  (void)app.accounts().DeleteExpiredSessions();
  std::string host = server_options.host.find(':') != std::string::npos
                         ? "[" + server_options.host + "]"
                         : server_options.host;
  site.SetServingUrl("http://" + host + ":" + std::to_string(server.port()));
  std::printf("wenku: serving http://%s:%d/\n", host.c_str(), server.port());
  std::fflush(stdout);
  spdlog::info("web: serving http://{}:{}/ from {}", host, server.port(),
               app.layout().root().string());
  server.Run();
  spdlog::info("web: stopped; finishing page drawings and ingest jobs in progress");
  site.render_pool().Stop();
  site.views().Stop();
  site.cache_sync.Stop();
  if (workers) workers->Stop();
  settling.Stop();
  return 0;
}

}  // namespace wenku::app
