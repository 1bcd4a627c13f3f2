// bench_fingerprint [DOCS] [DIR] — the near-duplicate lookup at library scale.
//
// Fills a fresh SQLite database (DIR, default a temp folder; removed at the end) with DOCS
// (default 100,000) published documents and their signatures and band buckets, written by
// FingerprintStore exactly as the publish stage writes them. The texts are generated Chinese
// (tests/support/passages.hpp: 8 lines, ~400 characters, from one shared vocabulary); 2% of
// them are second editions of an earlier one (every tenth line edited, the first line
// changed), so the buckets hold real clusters. Then 1,000 lookups — half second editions of
// stored documents, half new texts — through NearDuplicates::Resembling (the band query and
// the confirmation of every candidate's full signature) report p50 / p99 / max latency,
// candidates read per lookup and how many second editions were found.
// The reference, in the same run: the lookup LSH avoids, reading every stored signature and
// comparing it (20 lookups), with the ratio.
// Also: signing time (normalize + MinHash) for a generated document and for a 100,000-
// character one.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/text_fold.hpp"
#include "library/fingerprint.hpp"
#include "library/near_duplicates.hpp"
#include "storage/database.hpp"
#include "storage/fingerprint_store.hpp"
#include "storage/migrations.hpp"
#include "support/passages.hpp"

namespace fs = std::filesystem;
using namespace wenku;
using Steady = std::chrono::steady_clock;

namespace {

double Ms(Steady::time_point since) {
  return std::chrono::duration<double, std::milli>(Steady::now() - since).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> SecondEdition(std::vector<std::string> lines) {
  lines = testing::EditEveryTenthLine(lines);
  lines[0] += "（第二版）";
  return lines;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "bench_fingerprint: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int docs = argc > 1 ? std::atoi(argv[1]) : 100000;
  const bool own_dir = argc <= 2;
  fs::path dir = own_dir
                     ? fs::temp_directory_path() / ("wenku-bench-fp-" + std::to_string(getpid()))
                     : fs::path(argv[2]);
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto db = storage::OpenSqlite((dir / "wenku.db").string());
  if (!db.ok()) Die(db.error().message);
  if (auto m = storage::Migrate(**db); !m.ok()) Die(m.error().message);
  SystemClock clock;
  storage::FingerprintStore store(**db, clock);
  library::NearDuplicates near(store, library::NearDuplicateSettings{});
  auto fold = TextFold::Shared("/usr/share/opencc/t2s.json");
  if (!fold.ok()) Die(fold.error().message);

  // Signing.
  {
    std::string text = Join(testing::GeneratedChinese(1, 8));
    auto start = Steady::now();
    for (int i = 0; i < 200; ++i) {
      (void)library::SignatureOf(library::NormalizeForFingerprint(**fold, text));
    }
    double small = Ms(start) / 200;
    std::string book;
    for (uint64_t seed = 2; book.size() < 300000; ++seed)
      book += Join(testing::GeneratedChinese(seed, 50));
    start = Steady::now();
    auto normalized = library::NormalizeForFingerprint(**fold, book);
    (void)library::SignatureOf(normalized);
    std::printf("signing: %.3f ms for a %zu-character document, %.1f ms for a %zu-character one\n",
                small, library::NormalizeForFingerprint(**fold, text).size(), Ms(start),
                normalized.size());
  }

  // The library.
  std::vector<std::vector<std::string>> texts;
  texts.reserve(static_cast<size_t>(docs));
  std::vector<int64_t> ids;
  auto fill_start = Steady::now();
  const int kBatch = 5000;
  for (int from = 0; from < docs; from += kBatch) {
    Status s = (*db)->Transaction([&](storage::Sql& tx) -> Status {
      for (int i = from; i < std::min(docs, from + kBatch); ++i) {
        std::vector<std::string> lines =
            i % 50 == 49 ? SecondEdition(texts[static_cast<size_t>(i) * 7 % texts.size()])
                         : testing::GeneratedChinese(static_cast<uint64_t>(i) + 1, 8);
        auto sig = library::SignatureOf(library::NormalizeForFingerprint(**fold, Join(lines)));
        if (!sig) continue;
        const std::string sha = "bench-" + std::to_string(i);
        WENKU_TRY(
            tx.Exec("INSERT INTO users (id, name, created_at) VALUES (1, 'bench', 0) "
                    "ON CONFLICT DO NOTHING"));
        WENKU_TRY(tx.Exec("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, 0)", {sha}));
        auto id = tx.QueryOne(
            "INSERT INTO documents (owner_id, blob_sha256, filename, title, size, state, "
            "created_at, updated_at) VALUES (1, ?, 'f.txt', 't', 1, 'ready', 0, 0) RETURNING id",
            {sha});
        if (!id.ok()) return id.error();
        WENKU_TRY(store.Replace(tx, id->Int(0), library::kFingerprintScheme,
                                library::EncodeSignature(*sig), 400, library::BandBuckets(*sig)));
        ids.push_back(id->Int(0));
        texts.push_back(std::move(lines));
      }
      return {};
    });
    if (!s.ok()) Die(s.error().message);
  }
  std::printf("library: %zu signatures, %lld band rows, filled in %.1f s\n", texts.size(),
              static_cast<long long>(store.CountBandRows().value()), Ms(fill_start) / 1000);

  // Lookups.
  std::vector<double> ms;
  size_t found = 0, candidates = 0, false_matches = 0;
  const int kLookups = 1000;
  std::vector<library::Signature> queries;
  for (int k = 0; k < kLookups; ++k) {
    auto lines = k % 2 == 0 ? SecondEdition(texts[static_cast<size_t>(k) * 97 % texts.size()])
                            : testing::GeneratedChinese(5000000 + static_cast<uint64_t>(k), 8);
    queries.push_back(*library::SignatureOf(library::NormalizeForFingerprint(**fold, Join(lines))));
  }
  for (int k = 0; k < kLookups; ++k) {
    auto start = Steady::now();
    auto r = near.Resembling(queries[static_cast<size_t>(k)], 0);
    ms.push_back(Ms(start));
    if (!r.ok()) Die(r.error().message);
    if (k % 2 == 0 && !r->empty()) ++found;
    if (k % 2 == 1 && !r->empty()) ++false_matches;
    candidates += store
                      .Candidates(library::kFingerprintScheme,
                                  library::BandBuckets(queries[static_cast<size_t>(k)]), 0,
                                  library::kMaxCandidates)
                      ->size();
  }
  const double p50 = Percentile(ms, 0.5), p99 = Percentile(ms, 0.99);
  std::printf(
      "LSH lookup (%d): p50 %.3f ms, p99 %.3f ms, max %.3f ms; %.2f candidates read a "
      "lookup; second editions found %zu/%d; new texts matched %zu/%d\n",
      kLookups, p50, p99, Percentile(ms, 1.0), static_cast<double>(candidates) / kLookups, found,
      kLookups / 2, false_matches, kLookups / 2);

  // The reference: every signature read and compared.
  std::vector<double> scan;
  size_t scan_found = 0;
  for (int k = 0; k < 20; ++k) {
    auto start = Steady::now();
    auto rows = (*db)->Query("SELECT document_id, signature FROM fingerprints");
    if (!rows.ok()) Die(rows.error().message);
    bool any = false;
    for (const auto& row : *rows) {
      auto sig = library::DecodeSignature(row.Text(1));
      if (sig && library::SimilarityPercent(
                     library::Similarity(*sig, queries[static_cast<size_t>(k)])) >= 85) {
        any = true;
      }
    }
    scan.push_back(Ms(start));
    scan_found += (k % 2 == 0 && any) ? 1 : 0;
  }
  const double scan_p50 = Percentile(scan, 0.5);
  std::printf(
      "reference, full scan of every signature (20): p50 %.1f ms (found %zu/10); LSH is "
      "%.0fx faster at p50\n",
      scan_p50, scan_found, scan_p50 / p50);
  std::printf("target: p99 < 10 ms at 100,000 signatures: %s\n",
              docs >= 100000 ? (p99 < 10 ? "met" : "NOT met") : "(fewer documents: not judged)");
  if (own_dir) fs::remove_all(dir);
  return 0;
}
