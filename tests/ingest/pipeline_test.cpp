// The whole pipeline and worker pool with fakes for the blob store and the converter
// process: no Poppler, no files outside a temp folder.
#include "ingest/pipeline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/files.hpp"
#include "ingest/worker_pool.hpp"
#include "storage/case_store.hpp"
#include "storage/fingerprint_store.hpp"
#include "storage/storage_fixture.hpp"
#include "support/passages.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::FakeRunner;
using wenku::testing::MemoryBlobStore;

using PageText = std::function<std::string(int)>;

std::string TextOfPage(int n) { return "text of page " + std::to_string(n); }

// Pretends to be `wenku __pdf`: `pages` pages of text (page_text(k); "text of page k" by
// default); images as small files; or a document error when `error_line` is set.
ProcessOutcome FakePdfTool(const ProcessSpec& spec,
                           const std::function<void(std::string_view)>& on_line, int pages,
                           const std::string& error_line, const PageText& page_text) {
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
      out << nlohmann::json{{"n", n}, {"w", 595}, {"h", 842}, {"text", page_text(n)}}.dump()
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
  // `page_text`: what each page of every document says. The near-duplicate rule is real
  // (FingerprintStore over the test database), with `near_settings`.
  void Start(int pages, std::string error_line = "", bool points = false,
             PageText page_text = TextOfPage) {
    runner_ = std::make_unique<FakeRunner>(
        [pages, error_line, page_text](const ProcessSpec& s,
                                       const std::function<void(std::string_view)>& l) {
          return FakePdfTool(s, l, pages, error_line, page_text);
        });
    ProcessLimits limits;
    limits.cpu_seconds = 7;
    pdf_ = std::make_unique<PdfConverter>(*runner_, "/fake/wenku", limits);
    PipelineDeps deps{pdf_.get(),
                      nullptr,
                      nullptr,
                      documents_.get(),
                      &blobs_,
                      &derived_,
                      layout_,
                      5,
                      RenderOptions{1000, 80, 240},
                      {}};
    deps.categories = categories_.get();
    fingerprints_ = std::make_unique<storage::FingerprintStore>(*db_, clock_);
    near_ = std::make_unique<library::NearDuplicates>(*fingerprints_, near_settings_);
    deps.near_duplicates = near_.get();
    deps.open_case = [this](storage::Sql&, const storage::NearDuplicateRow& m) -> Status {
      std::lock_guard lock(cases_mu_);
      opened_cases_.push_back(m);
      return {};
    };
    if (points) {
      ledger_ = std::make_unique<storage::LedgerStore>(*db_, clock_);
      entitlements_ = std::make_unique<storage::EntitlementStore>(*db_, clock_);
      notices_ = std::make_unique<storage::CaseStore>(*db_, clock_);
      points_ = std::make_unique<points::Points>(*db_, *ledger_, *entitlements_, *notices_, clock_,
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

  DocumentId UploadAs(UserId owner, const std::string& bytes) {
    auto ref = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = owner;
    d.blob_sha256 = ref->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = "upload.pdf";
    d.title = "upload";
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : 0;
  }

  UserId User(const std::string& name) { return users_->Ensure(name, "user", name)->id; }

  int64_t Count(const std::string& sql) { return db_->QueryOne(sql)->Int(0); }

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
  blob::FsDerivedStore derived_{layout_.derived(), layout_.tmp()};
  std::unique_ptr<FakeRunner> runner_;
  std::unique_ptr<PdfConverter> pdf_;
  std::unique_ptr<storage::LedgerStore> ledger_;
  std::unique_ptr<storage::EntitlementStore> entitlements_;
  std::unique_ptr<storage::CaseStore> notices_;
  std::unique_ptr<points::Points> points_;
  library::NearDuplicateSettings near_settings_;
  std::unique_ptr<storage::FingerprintStore> fingerprints_;
  std::unique_ptr<library::NearDuplicates> near_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<WorkerPool> pool_;
  std::mutex cases_mu_;
  std::vector<storage::NearDuplicateRow> opened_cases_;  // what open_case was asked
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
  // Every stage that ran has its time, in order (a PDF needs no normalizing of its own; the
  // members stage is an archive's), from the claim to the publication.
  auto timings = documents_->Timings(id);
  ASSERT_TRUE(timings.ok());
  std::vector<std::string> stages;
  for (const auto& t : *timings) {
    stages.push_back(t.stage);
    EXPECT_GE(t.micros, 0) << t.stage;
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"fetch", "detect", "normalize", "extract", "render",
                                              "fingerprint", "publish"}));
}

TEST_F(PipelineTest, AFailedDocumentHasNoTimings) {
  Start(2, "error corrupt This PDF is damaged.");
  DocumentId id = Upload("%PDF-1.7 damaged");
  ASSERT_EQ(WaitFinal(id).state, DocState::kFailed);
  auto timings = documents_->Timings(id);
  ASSERT_TRUE(timings.ok());
  EXPECT_TRUE(timings->empty());
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

// The near-duplicate rule as the fingerprint and publish stages apply it (the rule itself:
// tests/library/near_duplicates_test.cpp). Every document here says the same long text.
std::string LongPage(int n) {
  std::string text = "第" + std::to_string(n) + "页。";
  for (const auto& line : wenku::testing::PassageNamed("zh-tea").lines) text += line + "\n";
  return text;
}

TEST_F(PipelineTest, AMatchOfATakenDownDocumentFailsAndPublishesNothing) {
  Start(2, "", false, LongPage);
  DocumentId removed = Upload("%PDF-1.7 the original");
  ASSERT_EQ(WaitFinal(removed).state, DocState::kReady);
  ASSERT_TRUE(db_->Exec("UPDATE documents SET state = 'taken_down', removal_reason = 'copyright' "
                        "WHERE id = ?",
                        {removed})
                  .ok());
  DocumentId copy = UploadAs(User("bob"), "%PDF-1.7 the same text, other bytes");
  Document d = WaitFinal(copy);
  ASSERT_EQ(d.state, DocState::kFailed);
  EXPECT_EQ(d.failure_code, "forbidden");
  EXPECT_EQ(d.failure_reason, "This document matches document #" + std::to_string(removed) +
                                  ", which was taken down after a copyright complaint (100% "
                                  "the same text); it cannot be published.");
  EXPECT_TRUE(documents_->Pages(copy, 1, 100)->empty());
  EXPECT_EQ(fingerprints_->SignatureOf(copy).value(), "");  // a failure leaves no signature
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM fingerprint_bands WHERE document_id = " + std::to_string(copy)),
      0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM near_duplicates"), 0);
  // The owner's own copy is refused as well: a removed work does not come back.
  DocumentId own = Upload("%PDF-1.7 the owner's second copy");
  EXPECT_EQ(WaitFinal(own).state, DocState::kFailed);
}

TEST_F(PipelineTest, AMatchOfAnotherOwnersDocumentIsPublishedAndRecorded) {
  Start(2, "", false, LongPage);
  DocumentId first = Upload("%PDF-1.7 alice's");
  ASSERT_EQ(WaitFinal(first).state, DocState::kReady);
  DocumentId copy = UploadAs(User("bob"), "%PDF-1.7 bob's");
  ASSERT_EQ(WaitFinal(copy).state, DocState::kReady);
  auto matches = fingerprints_->Matches(copy).value();
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].document_id, copy);
  EXPECT_EQ(matches[0].other_document_id, first);
  EXPECT_EQ(matches[0].similarity, 100);
  EXPECT_FALSE(matches[0].same_owner);
  EXPECT_NE(fingerprints_->SignatureOf(copy).value(), "");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM fingerprint_bands WHERE document_id = " + std::to_string(copy)),
      static_cast<int64_t>(library::kBands));
  // …and a near_duplicate case is opened for the moderators, once.
  std::lock_guard lock(cases_mu_);
  ASSERT_EQ(opened_cases_.size(), 1u);
  EXPECT_EQ(opened_cases_[0].document_id, copy);
  EXPECT_EQ(opened_cases_[0].other_document_id, first);
}

TEST_F(PipelineTest, RefusingDuplicatesFailsTheCopyNamingTheOriginal) {
  near_settings_.refuse_duplicates = true;
  Start(2, "", false, LongPage);
  DocumentId first = Upload("%PDF-1.7 alice's");
  ASSERT_EQ(WaitFinal(first).state, DocState::kReady);
  Document d = WaitFinal(UploadAs(User("bob"), "%PDF-1.7 bob's"));
  ASSERT_EQ(d.state, DocState::kFailed);
  EXPECT_EQ(d.failure_code, "forbidden");
  EXPECT_NE(d.failure_reason.find("matches document #" + std::to_string(first) +
                                  ", which another user has already published (100%"),
            std::string::npos)
      << d.failure_reason;
  // The same owner may still upload it in another format.
  EXPECT_EQ(WaitFinal(Upload("%PDF-1.7 alice's as DOCX")).state, DocState::kReady);
}

TEST_F(PipelineTest, TheSameOwnersUploadInAnotherFormatIsLinkedNotFlagged) {
  Start(2, "", false, LongPage);
  DocumentId pdf = Upload("%PDF-1.7 as PDF");
  ASSERT_EQ(WaitFinal(pdf).state, DocState::kReady);
  DocumentId other = Upload("%PDF-1.7 as something else");
  ASSERT_EQ(WaitFinal(other).state, DocState::kReady);
  auto matches = fingerprints_->Matches(other).value();
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].other_document_id, pdf);
  EXPECT_TRUE(matches[0].same_owner);
  {
    std::lock_guard lock(cases_mu_);
    EXPECT_TRUE(opened_cases_.empty());  // the owner's own re-upload is linked, not flagged
  }
}

TEST_F(PipelineTest, ADocumentWithLittleTextIsNeitherFingerprintedNorCompared) {
  Start(1, "", false, [](int) { return "图纸 A-101：一层平面图（比例 1:100）"; });
  DocumentId first = Upload("%PDF-1.7 drawing one");
  ASSERT_EQ(WaitFinal(first).state, DocState::kReady);
  DocumentId second = UploadAs(User("bob"), "%PDF-1.7 drawing two");
  ASSERT_EQ(WaitFinal(second).state, DocState::kReady);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fingerprints"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM near_duplicates"), 0);
}

TEST_F(PipelineTest, DeletingADocumentRemovesItsFingerprintAndMatches) {
  Start(2, "", false, LongPage);
  DocumentId first = Upload("%PDF-1.7 alice's");
  ASSERT_EQ(WaitFinal(first).state, DocState::kReady);
  DocumentId copy = UploadAs(User("bob"), "%PDF-1.7 bob's");
  ASSERT_EQ(WaitFinal(copy).state, DocState::kReady);
  ASSERT_EQ(Count("SELECT COUNT(*) FROM near_duplicates"), 1);
  ASSERT_TRUE(documents_->Delete(first).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fingerprints"), 1);  // the copy's
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fingerprint_bands"), static_cast<int64_t>(library::kBands));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM near_duplicates"), 0);
  ASSERT_TRUE(documents_->Delete(copy).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fingerprints"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fingerprint_bands"), 0);
}

}  // namespace
}  // namespace wenku::ingest
