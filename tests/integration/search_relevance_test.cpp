// Search as a visitor gets it, end to end: files imported by the real `wenku import` (the
// real pipeline, its index stage included), then every query of tests/search/relevance.tsv
// answered by the library search, plus deletion, `wenku check` and `wenku reindex`.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/app.hpp"
#include "core/config.hpp"
#include "core/data_layout.hpp"
#include "core/files.hpp"
#include "integration/integration_support.hpp"
#include "search/library_search.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

// The documents made for the relevance set (tests/search/made/, beside relevance.tsv),
// imported in this order with these flags: their dates, categories and prices are what
// the filters and sorts see.
struct Made {
  const char* name;
  std::vector<std::string> flags;
};
const std::vector<Made>& MadeFiles() {
  static const std::vector<Made> files = {
      {"made-成华区教育宣传周通知.txt", {"--category", "education"}},
      {"made-海淀区学位论文写作指南.txt", {"--category", "education"}},
      {"made-wenku-pipeline.txt", {"--category", "technology"}},
      {"made-合同风险手册.txt", {"--category", "law", "--price", "5"}},
      {"made-臺灣教育宣傳資料.txt", {"--category", "guides"}},
  };
  return files;
}

struct Case {
  int line = 0;
  std::string query, options, note;
  std::vector<std::string> in_top3, first, absent;
  std::vector<std::string> Files() const {
    std::vector<std::string> all = in_top3;
    all.insert(all.end(), first.begin(), first.end());
    all.insert(all.end(), absent.begin(), absent.end());
    return all;
  }
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::vector<Case> ReadCases() {
  std::ifstream in(fs::path(WENKU_SOURCE_DIR) / "tests/search/relevance.tsv");
  std::vector<Case> cases;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    if (cols.size() < 2) continue;
    Case c;
    c.line = line_no;
    c.query = cols[0];
    c.options = cols.size() > 2 ? cols[2] : "";
    c.note = cols.size() > 3 ? cols[3] : "";
    for (const auto& e : Split(cols[1], ',')) {
      if (e[0] == '^') {
        c.first.push_back(e.substr(1));
      } else if (e[0] == '!') {
        c.absent.push_back(e.substr(1));
      } else {
        c.in_top3.push_back(e);
      }
    }
    cases.push_back(c);
  }
  return cases;
}

search::SearchRequest ToRequest(const Case& c) {
  search::SearchRequest r;
  r.query = c.query;
  r.limit = 10;
  for (const auto& opt : Split(c.options, ';')) {
    auto eq = opt.find('=');
    std::string k = opt.substr(0, eq), v = opt.substr(eq + 1);
    if (k == "category") r.category = v;
    if (k == "format") r.format = v;
    if (k == "price") r.price = search::PriceFilterNamed(v);
    if (k == "sort") r.sort = search::SortOrderNamed(v);
  }
  return r;
}

class IntegrationSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    data_ = *dir_ / "data";
    cases_ = ReadCases();
    // Corpus files first (older), then the made ones in their order.
    const std::string corpus = CorpusDir();
    std::vector<std::string> corpus_paths;
    std::set<std::string> wanted;
    for (const auto& c : cases_) {
      for (const auto& f : c.Files()) {
        if (!f.starts_with("made-")) wanted.insert(f);
      }
    }
    if (!corpus.empty()) {
      for (const auto& f : wanted) corpus_paths.push_back((fs::path(corpus) / f).string());
      ImportRun run = Import(data_, corpus_paths);
      for (const auto& row : run.rows) Record(row);
    }
    for (const auto& m : MadeFiles()) {
      fs::path path = fs::path(WENKU_SOURCE_DIR) / "tests/search/made" / m.name;
      ImportRun run = Import(data_, {path.string()}, m.flags);
      for (const auto& row : run.rows) Record(row);
    }
    auto config = Config::Load("", {{"data", data_.string()}});
    ASSERT_TRUE(config.ok());
    auto app = app::App::Open(*config);
    ASSERT_TRUE(app.ok()) << app.error().message;
    app_ = std::move(app).value().release();
  }
  static void TearDownTestSuite() {
    delete app_;
    delete dir_;
  }
  static void Record(const nlohmann::json& row) {
    if (row.value("state", "") == "ready") {
      ids_[fs::path(row.value("path", "")).filename().string()] = row["id"];
    }
  }

  // As the site and `wenku search` ask: with the categories' names (matched at query time).
  static search::LibraryResult Search(search::SearchRequest r) {
    r.category_names = app_->categories().SearchNames();
    auto searcher = app_->search().searcher();
    EXPECT_TRUE(searcher.ok());
    search::LibrarySearch library(**searcher, app_->documents());
    auto result = library.Search(r, [](const Document& d) { return d.preview_pages; });
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : search::LibraryResult{};
  }

  static inline TempDir* dir_ = nullptr;
  static inline fs::path data_;
  static inline std::vector<Case> cases_;
  static inline std::map<std::string, int64_t> ids_;
  static inline app::App* app_ = nullptr;
};

TEST_F(IntegrationSearchTest, TheRelevanceSetFindsEachExpectedDocumentInTheTopThree) {
  int run = 0, skipped = 0;
  for (const auto& c : cases_) {
    bool needs_corpus = false;
    for (const auto& f : c.Files()) needs_corpus |= !f.starts_with("made-");
    if (needs_corpus && CorpusDir().empty()) {
      ++skipped;
      continue;
    }
    ++run;
    auto result = Search(ToRequest(c));
    std::vector<std::string> got;
    for (const auto& h : result.hits) {
      for (const auto& [name, id] : ids_) {
        if (id == h.doc.id) got.push_back(name);
      }
    }
    std::string shown;
    for (const auto& g : got) shown += g + " ";
    const std::string where = "relevance.tsv line " + std::to_string(c.line) + " (" + c.note +
                              "): \"" + c.query + "\" " + c.options + " gave " + shown;
    auto rank = [&](const std::string& name) {
      auto it = std::find(got.begin(), got.end(), name);
      return it == got.end() ? -1 : static_cast<int>(it - got.begin());
    };
    for (const auto& f : c.first) {
      ASSERT_TRUE(ids_.count(f)) << f << " was not imported";
      EXPECT_EQ(rank(f), 0) << where;
    }
    for (const auto& f : c.in_top3) {
      ASSERT_TRUE(ids_.count(f)) << f << " was not imported";
      int r = rank(f);
      EXPECT_TRUE(r >= 0 && r < 3) << f << " not in the top 3: " << where;
    }
    for (const auto& f : c.absent) EXPECT_EQ(rank(f), -1) << f << " returned: " << where;
  }
  if (skipped > 0) {
    std::printf("relevance set: %d queries run, %d skipped (../shared/corpus is absent)\n", run,
                skipped);
  }
  EXPECT_GT(run, 10);
}

TEST_F(IntegrationSearchTest, HitsCarryOnlyReadablePagesAndSnippetsFromThem) {
  auto r = Search(ToRequest(Case{0, "教育宣传"}));
  ASSERT_FALSE(r.hits.empty());
  const auto& hit = r.hits[0];
  EXPECT_EQ(hit.pages, (std::vector<int64_t>{1}));
  EXPECT_NE(hit.snippet_html.find("<mark>教育宣传</mark>"), std::string::npos) << hit.snippet_html;
  // A reader allowed no page at all gets neither page text nor page numbers, only the flag.
  auto searcher = app_->search().searcher();
  search::LibrarySearch library(**searcher, app_->documents());
  auto none = library.Search(ToRequest(Case{0, "教育宣传"}), [](const Document&) { return 0; });
  ASSERT_TRUE(none.ok());
  ASSERT_FALSE(none->hits.empty());
  EXPECT_EQ(none->hits[0].snippet_html, "");
  EXPECT_TRUE(none->hits[0].pages.empty());
  EXPECT_TRUE(none->hits[0].more_in_full_document);
}

TEST_F(IntegrationSearchTest, HostileQueriesAreAnsweredNeverRaised) {
  for (const char* q : {"\"", "-", "OR", "OR OR", "\"\"", "- - -", "***", "a\xff\xfe", "((",
                        "“未闭合", "-教育", "AND NOT", "\\", "%_%", "😀😀"}) {
    auto r = Search(ToRequest(Case{0, q}));
    (void)r;  // any answer, no exception, no error (Search asserts ok)
  }
  std::string huge(5000, 'x');
  Search(ToRequest(Case{0, huge}));
}

TEST_F(IntegrationSearchTest, DeletedDocumentsVanishAndReindexRepairsTheIndex) {
  const int64_t id = ids_.at("made-海淀区学位论文写作指南.txt");
  ASSERT_EQ(Search(ToRequest(Case{0, "海淀区"})).hits.size(), 1u);
  // Deleted from the database only (as if the index write had been lost): never returned.
  auto deleted = app_->documents().Delete(id);
  ASSERT_TRUE(deleted.ok());
  fs::remove_all(DataLayout(data_).derived(id));
  if (!deleted->unreferenced_blob.empty()) {
    ASSERT_TRUE(app_->blobs().Remove(deleted->unreferenced_blob).ok());
  }
  EXPECT_TRUE(Search(ToRequest(Case{0, "海淀区"})).hits.empty());
  CommandResult check = RunCommand({WenkuBinary(), "check", "--data", data_.string()});
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("the search index holds document " + std::to_string(id)),
            std::string::npos)
      << check.out;
  CommandResult reindex = RunCommand({WenkuBinary(), "reindex", "--data", data_.string()});
  ASSERT_EQ(reindex.status, 0) << reindex.out;
  EXPECT_NE(reindex.out.find("removed 1 stale"), std::string::npos) << reindex.out;
  check = RunCommand({WenkuBinary(), "check", "--data", data_.string()});
  EXPECT_EQ(check.status, 0) << check.out;
  // An interrupted reindex resumes after the last document it committed.
  {
    auto writer = app_->search().writer();
    ASSERT_TRUE(writer.ok());
    auto batch = (*writer)->Begin();
    ASSERT_TRUE(batch.ok());
    int64_t last = 0, before_last = 0;
    for (const auto& [name, doc_id] : ids_) {
      if (doc_id == id) continue;  // the deleted one
      if (doc_id > last) {
        before_last = last;
        last = doc_id;
      } else if (doc_id > before_last) {
        before_last = doc_id;
      }
    }
    (*batch)->SetMetadata("wenku.reindex.cursor", std::to_string(before_last));
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  CommandResult resumed = RunCommand({WenkuBinary(), "reindex", "--data", data_.string()});
  ASSERT_EQ(resumed.status, 0);
  EXPECT_NE(resumed.out.find("reindexed 1 documents"), std::string::npos) << resumed.out;
  // Reindexing again doubles nothing: each document still has its one hit page.
  ASSERT_EQ(RunCommand({WenkuBinary(), "reindex", "--data", data_.string()}).status, 0);
  auto r = Search(ToRequest(Case{0, "成华区"}));
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].pages, (std::vector<int64_t>{1}));
  EXPECT_EQ(r.total, 1);
  // The command line answers the same.
  CommandResult cli =
      RunCommand({WenkuBinary(), "search", "--data", data_.string(), "--json", "成华区"});
  ASSERT_EQ(cli.status, 0);
  auto j = nlohmann::json::parse(cli.out);
  EXPECT_EQ(j["total"], 1);
  EXPECT_EQ(j["hits"][0]["id"], ids_.at("made-成华区教育宣传周通知.txt"));
}

}  // namespace
}  // namespace wenku::testing
