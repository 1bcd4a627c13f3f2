// Locked pages stay locked (issue 10): LibrarySearch over a real index and database never
// names a page past what the visitor may read — not in a hit's pages, not as the snippet's
// page, not in a search inside the document — and says only "more in the full document".
// The visitor's allowance comes from library::VisiblePages, the one rule, as the web layer
// passes it.
#include <gtest/gtest.h>

#include <algorithm>

#include "library/access.hpp"
#include "search/library_search.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::search {
namespace {

constexpr int64_t kPages = 14;
constexpr int64_t kPreview = 3;
// The answer key sits on page 13 only; "复习" is on pages 2, 9 and 13; "第1部分" only on page 1.
const char* const kLockedWords = "秘密答案甲乙丙丁";

const Segmenter& Seg() {
  static std::unique_ptr<Segmenter> seg = std::move(Segmenter::Open()).value();
  return *seg;
}

std::string PageText(int64_t n) {
  std::string text = "第" + std::to_string(n) + "部分 期末练习题目与说明。";
  if (n == 2 || n == 9 || n == 13) text += "复习要点。";
  if (n == 13) text += std::string("参考答案") + kLockedWords + "。";
  return text;
}

class LibrarySearchPrivacyTest : public storage::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    searcher_ = std::make_unique<Searcher>(Seg(), dir_ / "index");
    priced_ = Publish("练习册", 5);
    free_ = Publish("讲义", 0);
    auto reader = users_->Ensure("reader", "user", "reader");
    auto moderator = users_->Ensure("mod", "moderator", "mod");
    ASSERT_TRUE(reader.ok() && moderator.ok());
    reader_ = *reader;
    moderator_ = *moderator;
    owner_user_ = *users_->FindById(owner_);
  }

  // A ready document of kPages pages (kPreview free), in the database and the index.
  Document Publish(const std::string& title, int64_t price) {
    storage::NewDocument d;
    d.owner_id = owner_;
    d.blob_sha256 = title;
    d.size = 10;
    d.filename = title + ".pdf";
    d.title = title;
    d.price = price;
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    auto job = jobs_->Claim("w", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    storage::PublishedPages pages;
    for (int64_t n = 1; n <= kPages; ++n) {
      pages.pages.push_back(Page{n, PageText(n), TextSource::kLayer, 595, 842});
    }
    pages.preview_pages = kPreview;
    EXPECT_TRUE(documents_->Publish(created->id, (*job)->id, "w", pages).ok());
    Document doc = *documents_->Find(created->id);
    IndexWriter writer(Seg(), dir_ / "index");
    EXPECT_TRUE(writer.Replace(ToIndexed(doc, pages.pages)).ok());
    return doc;
  }

  LibraryResult Search(const std::string& query, const VisiblePages& visible) {
    LibrarySearch library(*searcher_, *documents_);
    SearchRequest r;
    r.query = query;
    auto result = library.Search(r, visible);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : LibraryResult{};
  }
  const LibraryHit* HitFor(const LibraryResult& r, DocumentId id) {
    for (const auto& h : r.hits) {
      if (h.doc.id == id) return &h;
    }
    return nullptr;
  }
  DocumentMatches InDocument(const Document& doc, const std::string& query, int64_t visible) {
    LibrarySearch library(*searcher_, *documents_);
    auto found = library.SearchDocument(doc, query, visible);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : DocumentMatches{};
  }
  static std::vector<int64_t> Numbers(const DocumentMatches& m) {
    std::vector<int64_t> n;
    for (const auto& p : m.pages) n.push_back(p.n);
    return n;
  }

  std::unique_ptr<Searcher> searcher_;
  Document priced_, free_;
  storage::User owner_user_, reader_, moderator_;
};

// For every allowance k, every query: the pages shown are exactly the true pages up to k,
// and the flag is set exactly when a true page lies past k.
TEST_F(LibrarySearchPrivacyTest, NoLockedPageNumberForAVisitorWhoMayReadKPages) {
  const std::vector<std::string> queries = {kLockedWords, "复习",     "\"复习要点\"", "期末练习",
                                            "第1部分",    "第13部分", "\"参考答案\""};
  for (const auto& q : queries) {
    const auto all = Search(q, [](const Document&) { return kPages; });
    const LibraryHit* full = HitFor(all, priced_.id);
    ASSERT_NE(full, nullptr) << q;  // a document matches on its whole text
    EXPECT_FALSE(full->more_in_full_document) << q;
    for (int64_t k : {int64_t{0}, int64_t{1}, kPreview, int64_t{12}, kPages}) {
      const std::string where = "query " + q + ", visitor may read " + std::to_string(k);
      std::vector<int64_t> expected;
      bool more = false;
      for (int64_t p : full->pages) {
        if (p <= k) {
          expected.push_back(p);
        } else {
          more = true;
        }
      }
      const auto r = Search(q, [k](const Document&) { return k; });
      const LibraryHit* hit = HitFor(r, priced_.id);
      ASSERT_NE(hit, nullptr) << where;
      EXPECT_EQ(hit->pages, expected) << where;
      EXPECT_EQ(hit->more_in_full_document, more) << where;
      EXPECT_LE(hit->snippet_page, k) << where;
      const auto inside = InDocument(priced_, q, k);
      EXPECT_EQ(Numbers(inside), expected) << where;
      EXPECT_EQ(inside.more_in_full_document, more) << where;
    }
  }
}

// The attack of issue 10: extend a known prefix one character at a time. Every answer is
// "the document matches, more in the full document" — never page 13, never its text.
TEST_F(LibrarySearchPrivacyTest, GrowingAPhraseNeverNamesTheLockedPageOrShowsItsText) {
  const std::string prefix = "参考答案";
  std::string guess;
  for (const char* next : {"秘", "密", "答", "案", "甲", "乙", "丙", "丁"}) {
    guess += next;
    const std::string q = "\"" + prefix + guess + "\"";
    const auto r = Search(q, [](const Document& d) {
      return library::VisiblePages(nullptr, d, library::Bought::kNo,
                                   library::PreviewPages{kPreview});
    });
    const LibraryHit* hit = HitFor(r, priced_.id);
    ASSERT_NE(hit, nullptr) << q;
    EXPECT_TRUE(hit->pages.empty()) << q;
    EXPECT_TRUE(hit->more_in_full_document) << q;
    EXPECT_EQ(hit->snippet_page, 0) << q;
    EXPECT_EQ(hit->snippet_html.find("秘"), std::string::npos) << hit->snippet_html;
    const auto inside = InDocument(priced_, q,
                                   library::VisiblePages(nullptr, priced_, library::Bought::kNo,
                                                         library::PreviewPages{kPreview}));
    EXPECT_TRUE(inside.pages.empty()) << q;
    EXPECT_TRUE(inside.more_in_full_document) << q;
  }
}

// Who sees what, through the access rule the website uses.
TEST_F(LibrarySearchPrivacyTest, OwnerModeratorAndFreeReadersSeeEveryPageOthersThePreview) {
  struct Case {
    const char* who;
    const storage::User* user;
    bool priced;
    std::vector<int64_t> pages;  // for "复习" (pages 2, 9, 13)
    bool more;
  };
  const Case cases[] = {
      {"anonymous, priced", nullptr, true, {2}, true},
      {"another user, priced", &reader_, true, {2}, true},
      {"owner, priced", &owner_user_, true, {2, 9, 13}, false},
      {"moderator, priced", &moderator_, true, {2, 9, 13}, false},
      {"anonymous, free", nullptr, false, {2}, true},
      {"another user, free (may download it)", &reader_, false, {2, 9, 13}, false},
  };
  for (const auto& c : cases) {
    const Document& doc = c.priced ? priced_ : free_;
    const storage::User* user = c.user;
    const auto r = Search("复习", [user](const Document& d) {
      return library::VisiblePages(user, d, library::Bought::kNo, library::PreviewPages{kPreview});
    });
    const LibraryHit* hit = HitFor(r, doc.id);
    ASSERT_NE(hit, nullptr) << c.who;
    EXPECT_EQ(hit->pages, c.pages) << c.who;
    EXPECT_EQ(hit->more_in_full_document, c.more) << c.who;
    const auto inside = InDocument(
        doc, "复习",
        library::VisiblePages(user, doc, library::Bought::kNo, library::PreviewPages{kPreview}));
    EXPECT_EQ(Numbers(inside), c.pages) << c.who;
    EXPECT_EQ(inside.more_in_full_document, c.more) << c.who;
    for (const auto& p : inside.pages) {
      EXPECT_NE(p.snippet_html.find("<mark>复习</mark>"), std::string::npos) << c.who;
    }
  }
  // Words on no page: no flag.
  const auto none = InDocument(priced_, "不存在的词语",
                               library::VisiblePages(nullptr, priced_, library::Bought::kNo,
                                                     library::PreviewPages{kPreview}));
  EXPECT_TRUE(none.pages.empty());
  EXPECT_FALSE(none.more_in_full_document);
}

}  // namespace
}  // namespace wenku::search
