// The Xapian index through its writer and searcher: replacing is idempotent, removal and
// uncommitted batches leave nothing behind, filters, sorts and pages with hits.
#include "search/index.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/test_support.hpp"

namespace wenku::search {
namespace {

const Segmenter& Seg() {
  static std::unique_ptr<Segmenter> seg = std::move(Segmenter::Open()).value();
  return *seg;
}

IndexedDocument Doc(DocumentId id, std::string title, std::vector<std::string> pages,
                    std::string category = "education", int64_t price = 0, int64_t created = 0) {
  IndexedDocument d;
  d.id = id;
  d.title = std::move(title);
  d.pages = std::move(pages);
  d.category = std::move(category);
  d.format = "pdf";
  d.price = price;
  d.created_at = created;
  return d;
}

std::vector<DocumentId> Ids(const IndexResult& r) {
  std::vector<DocumentId> ids;
  for (const auto& h : r.hits) ids.push_back(h.id);
  return ids;
}

TEST(SearchIndex, ReplacingADocumentNeverDoublesItsPages) {
  testing::TempDir dir;
  IndexWriter writer(Seg(), dir / "index");
  Searcher searcher(Seg(), dir / "index");
  SearchRequest q;
  q.query = "论文";
  EXPECT_TRUE(searcher.Search(q)->hits.empty());  // no index yet: no hits, no error
  auto doc = Doc(1, "指南", {"第一页 论文", "第二页", "第三页 论文 格式"});
  ASSERT_TRUE(writer.Replace(doc).ok());
  ASSERT_TRUE(writer.Replace(doc).ok());  // a retried job
  EXPECT_EQ(*searcher.PagesWithHits(1, "论文"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(searcher.Search(q)->total, 1);
  doc.pages = {"只剩一页 论文"};  // converted again, fewer pages
  ASSERT_TRUE(writer.Replace(doc).ok());
  EXPECT_EQ(*searcher.PagesWithHits(1, "论文"), (std::vector<int64_t>{1}));
  EXPECT_EQ(*searcher.PagesWithHits(1, "格式"), (std::vector<int64_t>{}));
  EXPECT_TRUE(*searcher.Contains(1));
  ASSERT_TRUE(writer.Remove(1).ok());
  EXPECT_TRUE(searcher.Search(q)->hits.empty());
  EXPECT_FALSE(*searcher.Contains(1));
  EXPECT_TRUE(searcher.DocumentIds()->empty());
}

TEST(SearchIndex, ACategoryNameInTheQueryMatchesThatCategorysDocuments) {
  // Names are not in the index (renaming needs no re-indexing): the request maps them.
  testing::TempDir dir;
  IndexWriter writer(Seg(), dir / "index");
  Searcher searcher(Seg(), dir / "index");
  ASSERT_TRUE(writer.Replace(Doc(1, "合同范本", {"租赁 条款"}, "law")).ok());
  ASSERT_TRUE(writer.Replace(Doc(2, "课堂笔记", {"租赁 关系 讲义"}, "education")).ok());
  ASSERT_TRUE(writer.Replace(Doc(3, "法律 入门", {"概论"}, "education")).ok());
  SearchRequest q;
  q.query = "法律";
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{3}));  // its title only
  q.category_names = {{"法律", "law"}, {"law", "law"}};
  auto both = Ids(*searcher.Search(q));
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (std::vector<DocumentId>{1, 3}));
  q.query = "Law 租赁";  // with another word: both must match
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{1}));
  q.category_names = {{"法学", "law"}};  // renamed: the old name no longer finds it
  q.query = "法律";
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{3}));
}

TEST(SearchIndex, AnUncommittedBatchLeavesNothing) {
  testing::TempDir dir;
  IndexWriter writer(Seg(), dir / "index");
  Searcher searcher(Seg(), dir / "index");
  ASSERT_TRUE(writer.Replace(Doc(1, "a", {"保留"})).ok());
  {
    auto batch = writer.Begin();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->Replace(Doc(2, "b", {"丢弃"})).ok());
    ASSERT_TRUE((*batch)->Remove(1).ok());
  }  // a crash before Commit
  EXPECT_EQ(*searcher.DocumentIds(), (std::vector<DocumentId>{1}));
  auto batch = writer.Begin();
  ASSERT_TRUE((*batch)->Replace(Doc(2, "b", {"提交"})).ok());
  (*batch)->SetMetadata("cursor", "2");
  ASSERT_TRUE((*batch)->Commit().ok());
  EXPECT_EQ((*batch)->GetMetadata("cursor"), "2");
  batch->reset();
  EXPECT_EQ(*searcher.DocumentIds(), (std::vector<DocumentId>{1, 2}));
}

TEST(SearchIndex, FiltersSortsTitleWeightAndPaging) {
  testing::TempDir dir;
  IndexWriter writer(Seg(), dir / "index");
  Searcher searcher(Seg(), dir / "index");
  ASSERT_TRUE(writer.Replace(Doc(1, "其他资料", {"合同 合同 合同 审查"}, "law", 5, 100)).ok());
  ASSERT_TRUE(writer.Replace(Doc(2, "合同范本", {"合同审查要点"}, "law", 0, 300)).ok());
  ASSERT_TRUE(writer.Replace(Doc(3, "合同纠纷", {"合同案例"}, "business", 0, 200)).ok());
  SearchRequest q;
  q.query = "合同";
  auto all = searcher.Search(q);
  ASSERT_EQ(all->total, 3);
  EXPECT_NE(all->hits[0].id, 1);  // a title match outweighs words repeated in the text
  q.category = "law";
  EXPECT_EQ(searcher.Search(q)->total, 2);
  q.price = PriceFilter::kFree;
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{2}));
  q = SearchRequest{};
  q.query = "合同";
  q.sort = SortOrder::kNewest;
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{2, 3, 1}));
  q.limit = 2;
  q.offset = 2;
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{1}));
  // accept() drops documents the database no longer shows.
  q = SearchRequest{};
  q.query = "合同";
  q.sort = SortOrder::kNewest;
  EXPECT_EQ(Ids(*searcher.Search(q, [](DocumentId id) { return id != 3; })),
            (std::vector<DocumentId>{2, 1}));
  // Downloads counted after indexing reach the "most downloaded" sort.
  q = SearchRequest{};
  q.query = "合同";
  q.sort = SortOrder::kDownloads;
  ASSERT_TRUE(writer.UpdateCounters({{3, 40, 100}, {1, 7, 0}}).ok());
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{3, 1, 2}));
  EXPECT_EQ(*searcher.PagesWithHits(3, "合同"), (std::vector<int64_t>{1}));  // text kept
  q.sort = SortOrder::kRelevance;
  q.query = "合同 -审查";
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{3}));
  q.query = "\"同审查要\"";  // a phrase across word boundaries: found as written
  EXPECT_EQ(Ids(*searcher.Search(q)), (std::vector<DocumentId>{2}));
  q.query = "\"审查合同\"";
  EXPECT_TRUE(searcher.Search(q)->hits.empty());  // the words, but not in this order
  q.query = "\"合同 审查\"";                      // a space between Chinese words changes nothing
  EXPECT_EQ(searcher.Search(q)->total, 2);
}

}  // namespace
}  // namespace wenku::search
