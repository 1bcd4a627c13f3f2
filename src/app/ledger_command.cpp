// wenku ledger check — proves the points ledger: every transaction's entries sum to zero,
// every account's cached balance equals the sum of its entries, every entry's balance_after
// is its account's running sum, and no balance went below zero that may not (see
// LedgerStore::Check). Prints one line per difference and exits 1, or a summary and 0.
#include <cstdio>

#include "app/commands.hpp"

namespace wenku::app {

int RunLedgerCheck(App& app) {
  auto check = app.ledger().Check();
  if (!check.ok()) {
    std::fprintf(stderr, "wenku ledger check: %s\n", check.error().message.c_str());
    return 2;
  }
  for (const auto& p : check->problems) std::printf("%s\n", p.c_str());
  if (!check->problems.empty()) {
    std::printf("ledger: %zu problem(s)\n", check->problems.size());
    return 1;
  }
  std::printf("ledger ok: %lld transactions, %lld entries, %lld accounts\n",
              static_cast<long long>(check->transactions), static_cast<long long>(check->entries),
              static_cast<long long>(check->accounts));
  return 0;
}

}  // namespace wenku::app
