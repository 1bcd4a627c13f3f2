#include "storage/stats_store.hpp"

#include <algorithm>

namespace wenku::storage {
namespace {

// "WITH spans (i, lo, hi) AS (VALUES …)" for `edges`, its parameters appended to `params`.
std::string Spans(const std::vector<int64_t>& edges, Params* params) {
  std::string spans;
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    spans += (i ? ", (" : "(") + std::to_string(i) + ", CAST(? AS BIGINT), CAST(? AS BIGINT))";
    params->push_back(edges[i]);
    params->push_back(edges[i + 1]);
  }
  return "WITH spans (i, lo, hi) AS (VALUES " + spans + ") ";
}

// Runs `sql` (its rows: interval index, then one sum per series) into `series`.
Status Fill(Database& db, const std::string& sql, const Params& params,
            const std::vector<std::vector<int64_t>*>& series) {
  auto rows = db.Query(sql, params);
  if (!rows.ok()) return rows.error();
  for (const auto& r : *rows) {
    const int64_t i = r.Int(0);
    for (size_t k = 0; k < series.size(); ++k) {
      if (i >= 0 && i < static_cast<int64_t>(series[k]->size())) {
        (*series[k])[i] = r.Int(static_cast<int>(k + 1));
      }
    }
  }
  return {};
}

}  // namespace

Result<DailySeries> StatsStore::Daily(const std::vector<int64_t>& edges) {
  if (edges.size() < 2 || edges.size() > 367 || !std::is_sorted(edges.begin(), edges.end())) {
    return MakeError(ErrorCode::kInvalidInput, "2 to 367 ascending times bound the intervals");
  }
  const size_t n = edges.size() - 1;
  DailySeries out;
  for (auto* v :
       {&out.uploads, &out.ready, &out.failed, &out.downloads, &out.purchases, &out.points_spent}) {
    v->assign(n, 0);
  }
  // As LedgerStore::EarningsBetween: the rows of the whole span once, matched to the spans.
  {
    Params p;
    std::string sql = Spans(edges, &p);
    sql +=
        "SELECT s.i, COUNT(*), SUM(CASE WHEN x.state = 'ready' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN x.state = 'failed' THEN 1 ELSE 0 END) FROM (SELECT created_at AS at, "
        "state FROM documents WHERE created_at >= ? AND created_at < ?) x CROSS JOIN spans s "
        "WHERE x.at >= s.lo AND x.at < s.hi GROUP BY s.i";
    p.push_back(edges.front());
    p.push_back(edges.back());
    WENKU_TRY(Fill(db_, sql, p, {&out.uploads, &out.ready, &out.failed}));
  }
  {
    Params p;
    std::string sql = Spans(edges, &p);
    sql +=
        "SELECT s.i, COUNT(*) FROM (SELECT created_at AS at FROM downloads WHERE created_at >= ? "
        "AND created_at < ?) x CROSS JOIN spans s WHERE x.at >= s.lo AND x.at < s.hi GROUP BY s.i";
    p.push_back(edges.front());
    p.push_back(edges.back());
    WENKU_TRY(Fill(db_, sql, p, {&out.downloads}));
  }
  {
    // A purchase's price is what left its buyer's wallet (a free one moves nothing: 0).
    Params p;
    std::string sql = Spans(edges, &p);
    sql +=
        "SELECT s.i, COUNT(*), SUM(x.paid) FROM (SELECT t.created_at AS at, COALESCE(("
        "SELECT -SUM(e.amount) FROM ledger_entries e JOIN ledger_accounts a ON a.id = "
        "e.account_id WHERE e.tx_id = t.id AND a.kind = 'wallet' AND a.user_id = t.user_id), 0) "
        "AS paid FROM ledger_transactions t WHERE t.kind = 'purchase' AND t.created_at >= ? AND "
        "t.created_at < ?) x CROSS JOIN spans s WHERE x.at >= s.lo AND x.at < s.hi GROUP BY s.i";
    p.push_back(edges.front());
    p.push_back(edges.back());
    WENKU_TRY(Fill(db_, sql, p, {&out.purchases, &out.points_spent}));
  }
  return out;
}

Result<QueueState> StatsStore::Queue() {
  auto row = db_.QueryOne(
      "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM jobs WHERE state IN ('queued', "
      "'running')");
  if (!row.ok()) return row.error();
  return QueueState{row->Int(0), row->Int(1)};
}

Result<std::vector<FailureCount>> StatsStore::Failures(int64_t limit) {
  auto rows = db_.Query(
      "SELECT COALESCE(failure_reason, ''), COUNT(*) FROM documents WHERE state = 'failed' "
      "GROUP BY COALESCE(failure_reason, '') ORDER BY COUNT(*) DESC, 1 LIMIT ?",
      {limit});
  if (!rows.ok()) return rows.error();
  std::vector<FailureCount> out;
  for (const auto& r : *rows) out.push_back(FailureCount{r.Text(0), r.Int(1)});
  return out;
}

}  // namespace wenku::storage
