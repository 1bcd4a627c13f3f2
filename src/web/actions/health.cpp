// GET /healthz — for load balancers and people: asks every backend this node needs, now
// (never a cached answer), and answers
//   200  "ok" then one line per backend ("database: ok", …), or
//   503  "unavailable: <backends>" then the same lines, a failing one with its reason.
// Backends: the database (SELECT 1, SQLite or PostgreSQL), the blob store (BlobStore::Check:
// the folder takes a file, or the bucket answers a HEAD), the search index (a reader opens
// and looks a term up; no index yet — nothing indexed — is fine), the converter sandbox
// (Sandbox::Ready, which keeps its own answer).
//
// Bounded time: the probes run at once, each on its own thread, and the answer waits at most
// kProbeLimit for all of them; a probe not back by then is "timed out". Its thread is left to
// finish on its own (each backend bounds its own wait: S3 2 s, PostgreSQL its connect
// timeout); while it has not, the next /healthz reports that backend as still busy instead of
// starting another probe, so a hung backend cannot pile threads up.
#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "web/actions/actions.hpp"

namespace wenku::web {
namespace {

constexpr auto kProbeLimit = std::chrono::seconds(2);

struct Probe {
  const char* name;
  std::function<Status(Site&)> run;
};

Status ProbeDatabase(Site& site) {
  auto row = site.db().QueryOne("SELECT 1");
  if (!row.ok()) return MakeError(row.error().code, "does not answer: " + row.error().message);
  return {};
}

Status ProbeSearch(Site& site) {
  auto searcher = site.search().searcher();
  if (!searcher.ok()) return searcher.error();
  auto found = (*searcher)->Contains(0);  // a term lookup on a reader; no document has id 0
  if (!found.ok()) return found.error();
  return {};
}

const std::array<Probe, 4>& Probes() {
  static const std::array<Probe, 4> kProbes = {{
      {"database", ProbeDatabase},
      {"blob store", [](Site& site) { return site.blobs().Check(); }},
      {"search index", ProbeSearch},
      {"converter sandbox", [](Site& site) { return site.ConvertersReady(); }},
  }};
  return kProbes;
}

// Whether a probe of each backend is still running (a late one from an earlier request).
std::array<std::atomic<bool>, 4> g_busy{};

}  // namespace

Response ShowHealth(Context& ctx) {
  const auto& probes = Probes();
  std::array<std::future<Status>, 4> answers;
  std::array<bool, 4> started{};
  for (size_t i = 0; i < probes.size(); ++i) {
    if (g_busy[i].exchange(true)) continue;  // the last probe has not come back
    started[i] = true;
    auto promise = std::make_shared<std::promise<Status>>();
    answers[i] = promise->get_future();
    std::thread([promise, i, &site = ctx.site] {
      Status s;
      try {
        s = Probes()[i].run(site);
      } catch (const std::exception& e) {
        s = MakeError(ErrorCode::kInternal, e.what());
      }
      g_busy[i].store(false);
      promise->set_value(std::move(s));
    }).detach();
  }
  const auto deadline = std::chrono::steady_clock::now() + kProbeLimit;
  std::string lines;
  std::string failing;
  for (size_t i = 0; i < probes.size(); ++i) {
    std::string line = std::string(probes[i].name) + ": ";
    if (!started[i]) {
      line += "unavailable: still busy with an earlier probe";
    } else if (answers[i].wait_until(deadline) != std::future_status::ready) {
      line += "unavailable: no answer within 2 s";
    } else if (Status s = answers[i].get(); !s.ok()) {
      line += "unavailable: " + s.error().message;
    } else {
      line += "ok";
    }
    if (!line.ends_with(": ok")) {
      failing += (failing.empty() ? "" : ", ") + std::string(probes[i].name);
      spdlog::warn("healthz: {}", line);
    }
    lines += line + "\n";
  }
  Response r = failing.empty() ? Text(200, "ok\n" + lines)
                               : Text(503, "unavailable: " + failing + "\n" + lines);
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace wenku::web
