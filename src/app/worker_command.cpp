// wenku worker — runs ingest workers and the points settlement (no web server) until SIGINT
// or SIGTERM.
#include <signal.h>
#include <spdlog/spdlog.h>

#include "app/commands.hpp"
#include "points/settle_loop.hpp"

namespace wenku::app {

int RunWorker(App& app) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the worker threads start: they inherit it
  auto options = app.worker_options();
  ingest::WorkerPool pool(app.pipeline(), app.jobs(), app.documents(), app.blobs(), app.layout(),
                          options);
  pool.Start();
  points::SettleLoop settling(app.points(), points::kSettleEvery);  // pending → wallets
  settling.Start();
  spdlog::info("worker: {} ingest workers running on {}", options.workers,
               app.layout().root().string());
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("worker: stopping ({}), letting running jobs finish", strsignal(sig));
  pool.Stop();
  settling.Stop();
  return 0;
}

}  // namespace wenku::app
