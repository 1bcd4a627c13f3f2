// The index served by xapian-tcpsrv (`search.remote`), through the same IndexWriter and
// Searcher as the local folder: a Chinese query finds its page, Replace is idempotent,
// Remove removes, batches and counters go to the service, two writers at once (two
// SearchIndex objects, as two workers) both land, the results equal the local index's, and
// an unreachable service is a clear, transient kIo error. One server for the whole run
// (support/xapian_server.hpp); each test keeps to its own ids and category.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "search/index.hpp"
#include "search/search_index.hpp"
#include "support/test_support.hpp"
#include "support/xapian_server.hpp"

namespace wenku::search {
namespace {

const Segmenter& Seg() {
  static std::unique_ptr<Segmenter> seg = std::move(Segmenter::Open()).value();
  return *seg;
}

IndexLocation Remote() {
  auto& server = testing::XapianServer::Get();
  EXPECT_TRUE(server.ok()) << server.reason();
  auto l = IndexLocation::Parse({}, server.url());
  EXPECT_TRUE(l.ok()) << server.url();
  return l.ok() ? *l : IndexLocation{};
}

IndexedDocument Doc(DocumentId id, std::string title, std::vector<std::string> pages,
                    const std::string& category, int64_t downloads = 0) {
  IndexedDocument d;
  d.id = id;
  d.title = std::move(title);
  d.pages = std::move(pages);
  d.category = category;
  d.format = "pdf";
  d.downloads = downloads;
  return d;
}

SearchRequest In(const std::string& category, const std::string& query) {
  SearchRequest q;
  q.category = category;
  q.query = query;
  return q;
}

std::vector<DocumentId> Ids(const Result<IndexResult>& r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  std::vector<DocumentId> ids;
  if (r.ok()) {
    for (const auto& h : r->hits) ids.push_back(h.id);
  }
  return ids;
}

TEST(IntegrationRemoteSearch, AChineseQueryFindsItsPageReplacingNeverDoublesRemoveRemoves) {
  ASSERT_TRUE(testing::XapianServer::Get().ok()) << testing::XapianServer::Get().reason();
  const DocumentId id = testing::UniqueDocumentIds(1);
  const std::string cat = testing::UniqueCategory();
  IndexWriter writer(Seg(), Remote());
  Searcher searcher(Seg(), Remote());
  auto doc = Doc(id, "写作指南", {"第一页 学位论文", "第二页", "第三页 论文 格式"}, cat);
  ASSERT_TRUE(writer.Replace(doc).ok());
  ASSERT_TRUE(writer.Replace(doc).ok());  // a retried job
  auto found = searcher.Search(In(cat, "论文"));
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(Ids(found), (std::vector<DocumentId>{id}));
  EXPECT_EQ(found->total, 1);
  EXPECT_EQ(*searcher.PagesWithHits(id, "论文"), (std::vector<int64_t>{1, 3}));
  doc.pages = {"只剩一页 论文"};  // converted again, fewer pages
  ASSERT_TRUE(writer.Replace(doc).ok());
  EXPECT_EQ(*searcher.PagesWithHits(id, "论文"), (std::vector<int64_t>{1}));
  EXPECT_EQ(*searcher.PagesWithHits(id, "格式"), (std::vector<int64_t>{}));
  EXPECT_TRUE(*searcher.Contains(id));
  auto all = searcher.DocumentIds();
  ASSERT_TRUE(all.ok());
  EXPECT_NE(std::find(all->begin(), all->end(), id), all->end());
  ASSERT_TRUE(writer.Remove(id).ok());
  EXPECT_TRUE(Ids(searcher.Search(In(cat, "论文"))).empty());
  EXPECT_FALSE(*searcher.Contains(id));
}

TEST(IntegrationRemoteSearch, TheResultsAreTheLocalIndexs) {
  ASSERT_TRUE(testing::XapianServer::Get().ok()) << testing::XapianServer::Get().reason();
  const DocumentId first = testing::UniqueDocumentIds(4);
  const std::string cat = testing::UniqueCategory();
  testing::TempDir dir;
  IndexWriter local_writer(Seg(), dir / "index");
  Searcher local(Seg(), dir / "index");
  IndexWriter remote_writer(Seg(), Remote());
  Searcher remote(Seg(), Remote());
  const std::vector<IndexedDocument> docs = {
      Doc(first, "其他资料", {"合同 合同 合同 审查", "附录"}, cat, 3),
      Doc(first + 1, "合同范本", {"目录", "合同审查要点"}, cat, 10),
      Doc(first + 2, "合同纠纷", {"合同案例 成华区"}, cat, 1),
      Doc(first + 3, "课堂笔记", {"讲义 成华区 教育"}, cat, 0)};
  for (const auto& d : docs) {
    ASSERT_TRUE(local_writer.Replace(d).ok());
    ASSERT_TRUE(remote_writer.Replace(d).ok());
  }
  for (const char* query :
       {"合同", "成华区", "合同 审查", "\"合同审查\"", "合同 -纠纷", "教育 OR 附录"}) {
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kDownloads}) {
      SearchRequest q = In(cat, query);
      q.sort = sort;
      auto l = local.Search(q);
      auto r = remote.Search(q);
      ASSERT_TRUE(l.ok() && r.ok()) << query;
      EXPECT_EQ(Ids(r), Ids(l)) << query;
      EXPECT_EQ(r->total, l->total) << query;
      for (size_t i = 0; i < l->hits.size() && i < r->hits.size(); ++i) {
        EXPECT_EQ(r->hits[i].best_page, l->hits[i].best_page) << query;
      }
    }
    EXPECT_EQ(*remote.PagesWithHits(first + 1, query), *local.PagesWithHits(first + 1, query))
        << query;
  }
  EXPECT_FALSE(Ids(remote.Search(In(cat, "合同"))).empty());  // the comparison compared hits
}

TEST(IntegrationRemoteSearch, BatchesMetadataAndCountersGoToTheService) {
  ASSERT_TRUE(testing::XapianServer::Get().ok()) << testing::XapianServer::Get().reason();
  const DocumentId first = testing::UniqueDocumentIds(3);
  const std::string cat = testing::UniqueCategory();
  IndexWriter writer(Seg(), Remote());
  Searcher searcher(Seg(), Remote());
  ASSERT_TRUE(writer.Replace(Doc(first, "甲", {"保留 报告"}, cat)).ok());
  {
    auto batch = writer.Begin();
    ASSERT_TRUE(batch.ok()) << batch.error().message;
    ASSERT_TRUE((*batch)->Replace(Doc(first + 1, "乙", {"丢弃 报告"}, cat)).ok());
    ASSERT_TRUE((*batch)->Remove(first).ok());
  }  // a crash before Commit: the service drops it
  EXPECT_EQ(Ids(searcher.Search(In(cat, "报告"))), (std::vector<DocumentId>{first}));
  const std::string key = "test.cursor." + cat;
  {
    auto batch = writer.Begin();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->Replace(Doc(first + 1, "乙", {"提交 报告"}, cat)).ok());
    ASSERT_TRUE((*batch)->Replace(Doc(first + 2, "丙", {"提交 报告"}, cat)).ok());
    (*batch)->SetMetadata(key, "42");
    ASSERT_TRUE((*batch)->Commit().ok());
    EXPECT_EQ((*batch)->GetMetadata(key), "42");
  }
  EXPECT_EQ(writer.Begin().value()->GetMetadata(key), "42");  // committed on the server
  SearchRequest by_downloads = In(cat, "报告");
  by_downloads.sort = SortOrder::kDownloads;
  auto before = Ids(searcher.Search(by_downloads));
  ASSERT_EQ(before.size(), 3u);
  ASSERT_TRUE(writer.UpdateCounters({{first + 2, 500, 900}, {first + 1, 20, 0}}).ok());
  EXPECT_EQ(Ids(searcher.Search(by_downloads)),
            (std::vector<DocumentId>{first + 2, first + 1, first}));
}

TEST(IntegrationRemoteSearch, TwoWritersAtOnceBothLand) {
  ASSERT_TRUE(testing::XapianServer::Get().ok()) << testing::XapianServer::Get().reason();
  const int kEach = 12;
  const DocumentId first = testing::UniqueDocumentIds(2 * kEach + 1);
  const std::string cat = testing::UniqueCategory();
  // Two workers: each its own SearchIndex (its own connections), writing at the same time.
  SearchIndex a(Remote(), SegmenterOptions{}), b(Remote(), SegmenterOptions{});
  ASSERT_TRUE(a.segmenter().ok() && b.segmenter().ok());
  auto write = [&](SearchIndex& index, DocumentId from) {
    for (int i = 0; i < kEach; ++i) {
      Status s = index.Replace(Doc(from + i, "并发", {"两个工作进程 同时 写入 索引"}, cat));
      if (!s.ok()) return s;
    }
    return Status{};
  };
  auto fa = std::async(std::launch::async, write, std::ref(a), first);
  auto fb = std::async(std::launch::async, write, std::ref(b), first + kEach);
  Status sa = fa.get(), sb = fb.get();
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  SearchRequest q = In(cat, "写入");
  q.limit = 100;
  auto searcher = a.searcher();
  ASSERT_TRUE(searcher.ok());
  auto found = Ids((*searcher)->Search(q));
  std::sort(found.begin(), found.end());
  std::vector<DocumentId> want;
  for (int i = 0; i < 2 * kEach; ++i) want.push_back(first + i);
  EXPECT_EQ(found, want);

  // One writer holding the service (a reindex batch): the other waits for it, then lands.
  auto writer_a = a.writer();
  ASSERT_TRUE(writer_a.ok());
  auto batch = (*writer_a)->Begin();
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE((*batch)->Replace(Doc(first + 2 * kEach, "批量", {"批量 写入"}, cat)).ok());
  const auto started = std::chrono::steady_clock::now();
  auto waiting = std::async(std::launch::async,
                            [&] { return b.Replace(Doc(first, "并发", {"改写 写入"}, cat)); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(600)), std::future_status::timeout)
      << "the second writer should wait while the first holds the write lock";
  ASSERT_TRUE((*batch)->Commit().ok());
  batch->reset();
  Status waited = waiting.get();
  ASSERT_TRUE(waited.ok()) << waited.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(600));
  EXPECT_EQ(Ids((*searcher)->Search(In(cat, "改写"))), (std::vector<DocumentId>{first}));
  EXPECT_EQ(Ids((*searcher)->Search(In(cat, "批量"))),
            (std::vector<DocumentId>{first + 2 * kEach}));
}

TEST(IntegrationRemoteSearch, AnUnreachableServiceIsAClearTransientError) {
  const std::string url = testing::UnreachableSearchUrl();
  auto location = IndexLocation::Parse({}, url);
  ASSERT_TRUE(location.ok());
  IndexWriter writer(Seg(), *location);
  Searcher searcher(Seg(), *location);
  Status s = writer.Replace(Doc(1, "标题", {"正文"}, "any"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_TRUE(IsTransient(s.error().code));  // the ingest job runs again later
  EXPECT_EQ(s.error().message.rfind("search service " + url + " unreachable: ", 0), 0u)
      << s.error().message;
  auto r = searcher.Search(In("any", "正文"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_EQ(r.error().message.rfind("search service " + url + " unreachable: ", 0), 0u)
      << r.error().message;
  EXPECT_FALSE(writer.Begin().ok());
  EXPECT_FALSE(writer.UpdateCounters({{1, 1, 1}}).ok());
}

TEST(SearchRemoteSetting, OnlyEmptyOrTcpHostPortIsAccepted) {
  auto local = IndexLocation::Parse("/data/index", "");
  ASSERT_TRUE(local.ok());
  EXPECT_FALSE(local->is_remote());
  EXPECT_EQ(local->Describe(), "search index /data/index");
  auto remote = IndexLocation::Parse("/data/index", "tcp://search-1.internal:9000");
  ASSERT_TRUE(remote.ok());
  EXPECT_EQ(remote->host, "search-1.internal");
  EXPECT_EQ(remote->port, 9000);
  EXPECT_EQ(remote->Describe(), "search service tcp://search-1.internal:9000");
  EXPECT_EQ(IndexLocation::Parse({}, "tcp://[::1]:9000")->host, "::1");
  for (const char* bad : {"http://h:1", "tcp://h", "tcp://:80", "tcp://h:0", "tcp://h:70000",
                          "tcp://h:80x", "tcp://h h:80", "tcp://h;rm:80", "h:80"}) {
    auto r = IndexLocation::Parse({}, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find("search.remote: expected"), std::string::npos);
  }
}

}  // namespace
}  // namespace wenku::search
