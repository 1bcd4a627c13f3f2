// The whole pipeline and worker pool with fakes for the blob store and the converter
// process: no Poppler, no files outside a temp folder.
#include "ingest/pipeline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/files.hpp"
#include "ingest/worker_pool.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::FakeRunner;
using wenku::testing::MemoryBlobStore;

// Pretends to be `wenku __pdf`: `pages` pages of text "text of page k"; images as small
// files; or a document error when `error_line` is set.
ProcessOutcome FakePdfTool(const ProcessSpec& spec,
                           const std::function<void(std::string_view)>& on_line, int pages,
                           const std::string& error_line) {
  ProcessOutcome o;
  o.end = ProcessEnd::kExited;
  if (!error_line.empty()) {
    o.exit_code = 2;
    o.out = error_line + "\n";
    return o;
  }
  const std::string& mode = spec.argv.at(2);
  if (mode == "text") {
    std::ofstream out(spec.argv.at(4));
    for (int n = 1; n <= pages; ++n) {
      out << nlohmann::json{{"n", n},
                            {"w", 595},
                            {"h", 842},
                            {"text", "text of page " + std::to_string(n)}}
                 .dump()
          << "\n";
      if (on_line) on_line("progress " + std::to_string(n) + " " + std::to_string(pages));
    }
  } else {
    fs::path dir = spec.argv.at(4);
    int first = std::stoi(spec.argv.at(5)), last = std::min(std::stoi(spec.argv.at(6)), pages);
    for (int n = first; n <= last; ++n) {
      char name[32];
      std::snprintf(name, sizeof name, "%04d.webp", n);
      std::ofstream(dir / name) << "image " << n;
    }
    if (spec.argv.size() > 9 && spec.argv.at(9) != "0")
      std::ofstream(dir / "cover.webp") << "cover";
  }
  o.exit_code = 0;
  return o;
}

class PipelineTest : public storage::StorageTest {
 protected:
  // `points`: the publish stage gives upload rewards through a real Points.
  void Start(int pages, std::string error_line = "", bool points = false) {
    runner_ = std::make_unique<FakeRunner>(
        [pages, error_line](const ProcessSpec& s, const std::function<void(std::string_view)>& l) {
          return FakePdfTool(s, l, pages, error_line);
        });
    ProcessLimits limits;
    limits.cpu_seconds = 7;
    pdf_ = std::make_unique<PdfConverter>(*runner_, "/fake/wenku", limits);
    PipelineDeps deps{pdf_.get(), nullptr, nullptr, documents_.get(),
                      &blobs_,    layout_, 5,       RenderOptions{1000, 80, 240},
                      {}};
    if (points) {
      ledger_ = std::make_unique<storage::LedgerStore>(*db_, clock_);
      entitlements_ = std::make_unique<storage::EntitlementStore>(*db_, clock_);
      points_ = std::make_unique<points::Points>(*db_, *ledger_, *entitlements_, clock_,
                                                 points::Economy{},
                                                 TimeZone::Find("Asia/Shanghai").value());
      deps.points = points_.get();
    }
    pipeline_ = std::make_unique<Pipeline>(MakeDefaultPipeline(deps));
    WorkerOptions o;
    o.workers = 2;
    o.idle_poll_ms = 20;
    pool_ = std::make_unique<WorkerPool>(*pipeline_, *jobs_, *documents_, blobs_, layout_, o);
    pool_->Start();
  }

  DocumentId Upload(const std::string& bytes) {
    auto ref = blobs_.Put(bytes);
    return NewDoc(ref->sha256);
  }

  Document WaitFinal(DocumentId id) {
    for (int i = 0; i < 500; ++i) {
      auto d = documents_->Find(id);
      if (d->state == DocState::kReady || d->state == DocState::kFailed) return *d;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "document " << id << " did not finish";
    return *documents_->Find(id);
  }

  void TearDown() override {
    if (pool_) pool_->Stop();
  }

  MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  std::unique_ptr<FakeRunner> runner_;
  std::unique_ptr<PdfConverter> pdf_;
  std::unique_ptr<storage::LedgerStore> ledger_;
  std::unique_ptr<storage::EntitlementStore> entitlements_;
  std::unique_ptr<points::Points> points_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<WorkerPool> pool_;
};

TEST_F(PipelineTest, TheFlowIsTheListOfStages) {
  Start(1);
  EXPECT_EQ(pipeline_->StageNames(),
            (std::vector<std::string_view>{"detect", "normalize", "extract", "render", "members",
                                           "fingerprint", "publish"}));
}

TEST_F(PipelineTest, PublishingGivesTheOwnerTheUploadRewardOnce) {
  Start(2, "", /*points=*/true);
  DocumentId id = Upload("%PDF-1.7 rewarded");
  ASSERT_EQ(WaitFinal(id).state, DocState::kReady);
  // Posted in the same transaction as the document turned ready: there the moment it is.
  EXPECT_EQ(points_->BalancesOf(owner_)->wallet, 10);
  // A second publish of the same document (a re-ingest) rewards nothing more.
  EXPECT_FALSE(points_->UploadReward(id, owner_)->awarded);
  EXPECT_EQ(points_->BalancesOf(owner_)->wallet, 10);
}

TEST_F(PipelineTest, ADocumentIsNeverReadyWithoutItsReward) {
  // The ledger refuses every post: publishing must not half-happen.
  ASSERT_TRUE(db_->ExecScript("CREATE TRIGGER refuse_posts BEFORE INSERT ON ledger_transactions "
                              "BEGIN SELECT RAISE(ABORT, 'ledger closed'); END;")
                  .ok());
  Start(2, "", /*points=*/true);
  DocumentId id = Upload("%PDF-1.7 unrewardable");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto d = documents_->Find(id);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(d->state, DocState::kReady);
  auto pages = documents_->Pages(id, 1, 1000);
  ASSERT_TRUE(pages.ok());
  EXPECT_TRUE(pages->empty());
  EXPECT_EQ(points_->BalancesOf(owner_)->wallet, 0);
}

TEST_F(PipelineTest, FilesFromAnArchiveEarnNoUploadReward) {
  Start(1, "", /*points=*/true);
  auto ref = blobs_.Put("%PDF-1.7 member");
  storage::NewDocument member;
  member.owner_id = owner_;
  member.blob_sha256 = ref->sha256;
  member.size = 10;
  member.filename = "member.pdf";
  member.title = "member";
  member.parent_id = NewDoc("archive-sha");
  auto created = documents_->Create(member);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(WaitFinal(created->id).state, DocState::kReady);
  EXPECT_EQ(points_->BalancesOf(owner_)->wallet, 0);
  EXPECT_FALSE(ledger_->FindByKey("upload_reward:" + std::to_string(created->id))->has_value());
}

TEST_F(PipelineTest, AFailedDocumentEarnsNoReward) {
  Start(2, "error encrypted This PDF is password-protected.", /*points=*/true);
  DocumentId id = Upload("%PDF-1.7 locked");
  ASSERT_EQ(WaitFinal(id).state, DocState::kFailed);
  EXPECT_EQ(points_->BalancesOf(owner_)->wallet, 0);
}

TEST_F(PipelineTest, APdfBecomesReadyWithAlignedPagesAndPreviewImages) {
  Start(7);
  DocumentId id = Upload("%PDF-1.7 fake body");
  Document d = WaitFinal(id);
  ASSERT_EQ(d.state, DocState::kReady) << d.failure_reason;
  EXPECT_EQ(d.page_count, 7);
  EXPECT_EQ(d.preview_pages, 5);
  EXPECT_EQ(d.format, "pdf");
  EXPECT_EQ(d.mime_type, "application/pdf");
  EXPECT_EQ(d.progress.stage, "done");
  auto pages = documents_->Pages(id, 1, 7);
  ASSERT_EQ(pages->size(), 7u);
  EXPECT_EQ((*pages)[6].text, "text of page 7");
  for (int n = 1; n <= 5; ++n) EXPECT_TRUE(fs::exists(layout_.page_image(id, n))) << n;
  EXPECT_FALSE(fs::exists(layout_.page_image(id, 6)));  // drawn on first request
  EXPECT_TRUE(fs::exists(layout_.cover(id)));
  for (int i = 0; i < 500 && pool_->finished() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(fs::exists(layout_.work(1)));  // the work folder is gone once the job ends
  // The converter ran inside the configured limits.
  for (const auto& call : runner_->calls()) EXPECT_EQ(call.limits.cpu_seconds, 7);
}

TEST_F(PipelineTest, UnknownBytesFailAsUnsupported) {
  Start(1);
  DocumentId id = Upload(std::string("\x00\x01\x02\x03\xfe\xfd\xfc\x80\x81\x82\x83\x84", 12));
  Document d = WaitFinal(id);
  EXPECT_EQ(d.state, DocState::kFailed);
  EXPECT_EQ(d.failure_code, "unsupported_type");
  EXPECT_NE(d.failure_reason.find("unsupported file type (detected: "), std::string::npos)
      << d.failure_reason;
  EXPECT_TRUE(runner_->calls().empty());  // no converter was started for it
}

TEST_F(PipelineTest, AnEmptyFileSaysSo) {
  Start(1);
  DocumentId id = Upload("");
  Document d = WaitFinal(id);
  EXPECT_EQ(d.state, DocState::kFailed);
  EXPECT_NE(d.failure_reason.find("empty file"), std::string::npos);
}

TEST_F(PipelineTest, TheConvertersReasonReachesTheDocument) {
  Start(
      1,
      "error encrypted This PDF is password-protected: it cannot be opened without its password.");
  DocumentId id = Upload("%PDF-1.4 locked");
  Document d = WaitFinal(id);
  EXPECT_EQ(d.state, DocState::kFailed);
  EXPECT_EQ(d.failure_code, "encrypted");
  EXPECT_EQ(d.failure_reason,
            "This PDF is password-protected: it cannot be opened without its password.");
}

TEST_F(PipelineTest, ConverterTimeoutsAndCrashesBecomeSentences) {
  struct Case {
    ProcessEnd end;
    const char* words;
    const char* code;
  } cases[] = {{ProcessEnd::kTimedOut, "took longer than", "timeout"},
               {ProcessEnd::kCrashed, "crashed", "conversion_failed"},
               {ProcessEnd::kCpuLimit, "processor time", "resource_limit"}};
  for (const auto& c : cases) {
    FakeRunner runner([&](const ProcessSpec&, const std::function<void(std::string_view)>&) {
      ProcessOutcome o;
      o.end = c.end;
      o.signal = 11;
      return o;
    });
    PdfConverter pdf(runner, "/fake/wenku", ProcessLimits{});
    auto r = pdf.ExtractText("/nonexistent.pdf", dir_.path(), nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(ErrorCodeName(r.error().code), c.code);
    EXPECT_NE(r.error().message.find(c.words), std::string::npos) << r.error().message;
  }
}

TEST_F(PipelineTest, SimHashIsStableAndSensitiveToText) {
  std::vector<Page> a = {Page{1, "成华区教育局关于进一步加强我区教育系统宣传工作的实施意见",
                              TextSource::kLayer, 0, 0}};
  std::vector<Page> b = a;
  EXPECT_EQ(TextSimHash(a), TextSimHash(b));
  EXPECT_EQ(TextSimHash(a).size(), 16u);
  b[0].text = "Completely different English words about something else entirely";
  EXPECT_NE(TextSimHash(a), TextSimHash(b));
  EXPECT_EQ(TextSimHash({}), "");
}

}  // namespace
}  // namespace wenku::ingest
