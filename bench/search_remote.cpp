// bench/search_remote — the same Searcher on the same index, read from the local folder and
// through xapian-tcpsrv (`search.remote`), in one run: is a search across nodes fast enough
// to read the one shared index directly, or do web nodes need xapian-replicate replicas?
//
// The index: --docs documents (default 2,000) of 5 pages each, every page 12 lines of
// Chinese prose from tests/support/passages' generator (seeded by document and page),
// written through IndexWriter into WORK/index. Then scripts/start-xapian.sh WORK serves
// that folder and the queries — 2-character words, longer words, two-word queries, a
// phrase, an exclusion, drawn from the generated text — run through Searcher::Search +
// PagesWithHits for the top 10 (what a result page asks), once to warm up and --rounds
// times timed, first on the local folder, then remote. Every remote answer must equal the
// local one (ids, totals, best pages, hit pages), else the run fails. Also timed: writing one
// 5-page document (IndexWriter::Replace) locally and through the service.
//
//   build/bench_search_remote --work DIR [--docs N] [--rounds R]     (DIR is emptied first)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "search/index.hpp"
#include "support/passages.hpp"

namespace fs = std::filesystem;
using namespace wenku;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> Pages(int64_t doc) {
  std::vector<std::string> pages;
  for (int p = 0; p < 5; ++p) {
    std::string text;
    for (const auto& line : testing::GeneratedChinese(static_cast<uint64_t>(doc * 7 + p), 12)) {
      text += line + "\n";
    }
    pages.push_back(text);
  }
  return pages;
}

struct Timing {
  std::vector<double> ms;
  double P(double q) {
    std::sort(ms.begin(), ms.end());
    return ms.empty() ? 0 : ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  }
};

// The command's exit status and stdout.
std::pair<int, std::string> Run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  return {pclose(p), out};
}

double Ms(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string Answer(search::Searcher& s, const std::string& query) {
  search::SearchRequest r;
  r.query = query;
  auto result = s.Search(r);
  if (!result.ok()) return "error: " + result.error().message;
  std::ostringstream out;
  out << result->total << ":";
  for (const auto& h : result->hits) {
    out << " " << h.id << "@" << h.best_page << "[";
    auto pages = s.PagesWithHits(h.id, query);
    if (pages.ok()) {
      for (int64_t p : *pages) out << p << ",";
    }
    out << "]";
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  fs::path work;
  int64_t docs = 2000;
  int rounds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--work") work = argv[i + 1];
    if (a == "--docs") docs = std::stoll(argv[i + 1]);
    if (a == "--rounds") rounds = std::stoi(argv[i + 1]);
  }
  if (work.empty()) {
    std::fprintf(stderr, "usage: bench_search_remote --work DIR [--docs N] [--rounds R]\n");
    return 2;
  }
  fs::remove_all(work);
  fs::create_directories(work);
  auto seg = search::Segmenter::Open();
  if (!seg.ok()) {
    std::fprintf(stderr, "%s\n", seg.error().message.c_str());
    return 1;
  }
  search::IndexWriter local_writer(**seg, work / "index");
  auto t0 = Clock::now();
  {
    auto batch = local_writer.Begin();
    for (int64_t d = 1; d <= docs; ++d) {
      search::IndexedDocument doc;
      doc.id = d;
      doc.title = testing::GeneratedChinese(static_cast<uint64_t>(d) * 1000003, 1)[0].substr(0, 24);
      doc.pages = Pages(d);
      doc.format = "pdf";
      if (!(*batch)->Replace(doc).ok()) return 1;
      if (d % 200 == 0 && !(*batch)->Commit().ok()) return 1;
    }
    if (!(*batch)->Commit().ok()) return 1;
  }
  std::printf("indexed %lld documents (%lld pages) in %.1f s\n", static_cast<long long>(docs),
              static_cast<long long>(docs * 5), Ms(t0) / 1000);

  const std::string script = std::string(WENKU_SOURCE_DIR) + "/scripts/start-xapian.sh";
  auto [status, out] = Run("'" + script + "' '" + work.string() + "'");
  std::string url;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("url=", 0) == 0) url = line.substr(4);
  }
  if (status != 0 || url.empty()) {
    std::fprintf(stderr, "start-xapian.sh failed:\n%s\n", out.c_str());
    return 1;
  }
  struct Stop {
    std::string script, dir;
    ~Stop() { Run("'" + script + "' --stop '" + dir + "'"); }
  } stop{script, work.string()};
  auto location = search::IndexLocation::Parse(work / "index", url);
  search::Searcher local(**seg, work / "index");
  search::Searcher remote(**seg, *location);

  // Queries from the generated text: 2-char and 4-char runs, two words, a phrase, -x.
  std::vector<std::string> queries;
  auto text = testing::GeneratedChinese(424242, 40);
  for (size_t i = 0; i < text.size(); ++i) {
    std::u32string u;
    for (size_t k = 0; k < text[i].size();) {  // UTF-8 → code points (CJK: 3 bytes)
      unsigned char c = static_cast<unsigned char>(text[i][k]);
      size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      u.push_back(static_cast<char32_t>(k));
      k += n;
    }
    auto cut = [&](size_t from, size_t chars) {
      if (from + chars >= u.size()) return std::string();
      return text[i].substr(u[from], u[from + chars] - u[from]);
    };
    std::string q;
    switch (i % 5) {
      case 0:
        q = cut(2, 2);
        break;
      case 1:
        q = cut(3, 4);
        break;
      case 2:
        q = cut(1, 2) + " " + cut(8, 2);
        break;
      case 3:
        q = "\"" + cut(4, 3) + "\"";
        break;
      case 4:
        q = cut(0, 2) + " -" + cut(6, 2);
        break;
    }
    if (!q.empty() && q.find('\xef') == std::string::npos) queries.push_back(q);
  }

  int mismatches = 0;
  for (const auto& q : queries) {
    std::string l = Answer(local, q), r = Answer(remote, q);
    if (l != r) {
      ++mismatches;
      std::fprintf(stderr, "DIFFERENT for %s:\n  local  %s\n  remote %s\n", q.c_str(), l.c_str(),
                   r.c_str());
    }
  }
  for (auto* s : {&local, &remote}) {
    Timing t;
    for (int round = 0; round < rounds; ++round) {
      for (const auto& q : queries) {
        auto q0 = Clock::now();
        Answer(*s, q);
        t.ms.push_back(Ms(q0));
      }
    }
    std::printf(
        "%-6s %zu queries x %d: search + hit pages of the top 10: p50 %.2f ms, p90 %.2f "
        "ms, p99 %.2f ms\n",
        s == &local ? "local" : "remote", queries.size(), rounds, t.P(0.5), t.P(0.9), t.P(0.99));
  }
  // Writing: one 5-page document, replaced 30 times.
  search::IndexWriter remote_writer(**seg, *location);
  for (auto* w : {&local_writer, &remote_writer}) {
    Timing t;
    for (int i = 0; i < 30; ++i) {
      search::IndexedDocument doc;
      doc.id = docs + 1 + i;
      doc.title = "写入测试";
      doc.pages = Pages(docs + 1 + i);
      auto w0 = Clock::now();
      if (!w->Replace(doc).ok()) return 1;
      t.ms.push_back(Ms(w0));
    }
    std::printf("%-6s Replace (5 pages, one commit): p50 %.2f ms, p90 %.2f ms\n",
                w == &local_writer ? "local" : "remote", t.P(0.5), t.P(0.9));
  }
  std::printf("answers compared: %zu queries, %d different\n", queries.size(), mismatches);
  return mismatches == 0 ? 0 : 1;
}
