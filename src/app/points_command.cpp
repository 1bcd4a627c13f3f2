// wenku points grant USER N [--memo TEXT] | show USER [--json] | settle — the operator's view
// of the points economy (Points in src/points/). `show --json` prints
// {"user":…,"id":…,"points":{"balance":…,"pending":…},"entries":[{"tx","kind","account",
// "amount","balance_after","document_id","memo","created_at"}, …]} (the latest 50 entries).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "accounts/password.hpp"
#include "app/commands.hpp"
#include "points/ledger_json.hpp"

namespace wenku::app {
namespace {

constexpr int64_t kShownEntries = 50;

Result<storage::User> FindUser(App& app, const std::string& name) {
  auto user = app.users().FindByName(accounts::NormalizeUserName(name));
  if (!user.ok() && user.error().code == ErrorCode::kNotFound) {
    return MakeError(ErrorCode::kNotFound, "no user named \"" + name + "\"");
  }
  return user;
}

}  // namespace

int RunPointsGrant(App& app, const PointsGrantOptions& options) {
  auto user = FindUser(app, options.user);
  if (!user.ok()) {
    std::fprintf(stderr, "wenku: %s\n", user.error().message.c_str());
    return 1;
  }
  auto award = app.points().Grant(user->id, options.points, options.memo);
  if (!award.ok()) {
    std::fprintf(stderr, "wenku: %s\n", award.error().message.c_str());
    return 1;
  }
  std::printf("granted %lld points to %s (transaction %lld); balance %lld\n",
              static_cast<long long>(award->amount), user->name.c_str(),
              static_cast<long long>(award->tx_id), static_cast<long long>(award->balance));
  return 0;
}

int RunPointsShow(App& app, const std::string& name, bool json) {
  auto user = FindUser(app, name);
  if (!user.ok()) {
    std::fprintf(stderr, "wenku: %s\n", user.error().message.c_str());
    return 1;
  }
  auto balances = app.points().BalancesOf(user->id);
  auto history = app.ledger().History(user->id, 1, kShownEntries);
  if (!balances.ok() || !history.ok()) {
    const Error& e = balances.ok() ? history.error() : balances.error();
    std::fprintf(stderr, "wenku: %s\n", e.message.c_str());
    return 1;
  }
  if (json) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& h : *history) {
      nlohmann::json entry = points::LedgerEntryJson(h);
      entry["memo"] = h.memo;  // the operator also sees the memo
      entries.push_back(std::move(entry));
    }
    nlohmann::json out = {
        {"user", user->name},
        {"id", user->id},
        {"points", {{"balance", balances->wallet}, {"pending", balances->pending}}},
        {"entries", entries}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("%s: balance %lld, pending %lld%s\n", user->name.c_str(),
              static_cast<long long>(balances->wallet), static_cast<long long>(balances->pending),
              balances->wallet < 0 ? " (in debt)" : "");
  for (const auto& h : *history) {
    std::string line =
        "  tx " + std::to_string(h.tx_id) + "  " + std::string(storage::TxKindName(h.kind)) + "  " +
        std::string(storage::AccountKindName(h.account)) + "  " + (h.amount > 0 ? "+" : "") +
        std::to_string(h.amount) + " → " + std::to_string(h.balance_after);
    if (h.document) line += "  document " + std::to_string(h.document);
    if (!h.memo.empty()) line += "  " + h.memo;
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

int RunPointsSettle(App& app) {
  auto settled = app.points().Settle();
  if (!settled.ok()) {
    std::fprintf(stderr, "wenku: %s\n", settled.error().message.c_str());
    return 1;
  }
  std::printf("settled %lld points for %lld user(s)\n", static_cast<long long>(settled->points),
              static_cast<long long>(settled->users));
  return 0;
}

}  // namespace wenku::app
