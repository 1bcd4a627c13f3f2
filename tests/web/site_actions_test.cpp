// Web actions run through the Dispatcher with no server, no App and no real converter: the
// Site is wired from fakes (an in-memory blob store, a fake clock, a converter process that
// is a function, converters reported unavailable) over a real SQLite file. What a client
// gets back — status, JSON, bytes — is what is asserted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "accounts/accounts.hpp"
#include "core/files.hpp"
#include "points/points_fixture.hpp"
#include "search/search_index.hpp"
#include "storage/comment_store.hpp"
#include "storage/session_store.hpp"
#include "web/dispatch.hpp"
#include "web/site.hpp"

namespace wenku::web {
namespace {

using wenku::testing::FakeRunner;
using wenku::testing::MemoryBlobStore;

class SiteActionsTest : public points::PointsTest {
 protected:
  void SetUp() override {
    points::PointsTest::SetUp();
    sessions_ = std::make_unique<storage::SessionStore>(*db_, clock_);
    comments_ = std::make_unique<storage::CommentStore>(*db_, clock_);
    accounts_ = std::make_unique<accounts::Accounts>(*db_, *users_, *sessions_, *points_, 3600'000);
    search_ = std::make_unique<search::SearchIndex>(dir_ / "index", search::SegmenterOptions{});
    runner_ = std::make_unique<FakeRunner>([](const ProcessSpec&, const auto&) {
      ProcessOutcome o;
      o.end = ProcessEnd::kExited;
      o.exit_code = 1;  // no page is drawn in these tests
      return o;
    });
    pdf_ = std::make_unique<ingest::PdfConverter>(*runner_, "/fake/wenku", ProcessLimits{});
    page_images_ = std::make_unique<ingest::PageImages>(*pdf_, *documents_, blobs_, layout_,
                                                        ingest::RenderOptions{});
    cases_ = std::make_unique<storage::CaseStore>(*db_, clock_);
    moderation_ = std::make_unique<moderation::Moderation>(
        moderation::ModerationDeps{*db_, *cases_, *documents_, *points_, blobs_, *search_});
    SiteServices services{*db_,
                          *documents_,
                          *comments_,
                          *users_,
                          *ledger_,
                          *entitlements_,
                          *accounts_,
                          *points_,
                          *cases_,
                          *moderation_,
                          blobs_,
                          *search_,
                          *page_images_,
                          layout_,
                          clock_,
                          [] { return Status(MakeError(ErrorCode::kUnavailable, "bwrap is missing")); }};
    std::filesystem::path templates_dir;
    Config config = Config::Defaults();
    auto options = SiteOptionsFrom(config, &templates_dir);
    ASSERT_TRUE(options.ok()) << options.error().message;
    auto templates = Templates::Load(templates_dir);
    ASSERT_TRUE(templates.ok()) << templates.error().message;
    site_ = std::make_unique<Site>(std::move(services), std::move(templates).value(), *options);
    dispatcher_ = std::make_unique<Dispatcher>(*site_);
  }

  void TearDown() override {
    site_->render_pool().Stop();
    site_->views().Stop();
  }

  // A ready document of alice's at `price` whose original is `bytes`.
  DocumentId ReadyDocument(const std::string& bytes, int64_t price) {
    auto blob = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = alice_;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = "notes.txt";
    d.title = "notes";
    d.price = price;
    auto created = documents_->Create(d);
    auto job = jobs_->Claim("test-worker", 60'000);
    EXPECT_TRUE(created.ok() && job.ok() && job->has_value());
    storage::PublishedPages pages;
    pages.pages = {Page{1, "page one", TextSource::kLayer, 595, 842}};
    pages.preview_pages = 1;
    EXPECT_TRUE(documents_->Publish(created->id, (*job)->id, "test-worker", pages).ok());
    return created->id;
  }

  std::string TokenFor(const std::string& name) {
    auto user = accounts_->Register(name, "correct horse");
    EXPECT_TRUE(user.ok());
    return accounts_->OpenSession(*user)->token;
  }

  Response Call(const std::string& method, const std::string& target, const std::string& token,
                Fields headers = {}, std::string body = "") {
    Request req;
    req.body = std::move(body);
    req.method = method;
    req.target = target;
    req.path = target.substr(0, target.find('?'));
    req.remote_ip = "127.0.0.1";
    req.headers = std::move(headers);
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    return dispatcher_->Handle(req);
  }

  static nlohmann::json JsonOf(const Response& r) { return nlohmann::json::parse(r.body); }

  MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  std::unique_ptr<storage::SessionStore> sessions_;
  std::unique_ptr<storage::CommentStore> comments_;
  std::unique_ptr<accounts::Accounts> accounts_;
  std::unique_ptr<storage::CaseStore> cases_;
  std::unique_ptr<moderation::Moderation> moderation_;
  std::unique_ptr<search::SearchIndex> search_;
  std::unique_ptr<FakeRunner> runner_;
  std::unique_ptr<ingest::PdfConverter> pdf_;
  std::unique_ptr<ingest::PageImages> page_images_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(SiteActionsTest, HealthSaysWhyConvertersCannotRun) {
  Response r = Call("GET", "/healthz", "");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("converter sandbox unavailable: bwrap is missing"), std::string::npos);
}

TEST_F(SiteActionsTest, TheRouteTableSendsAnonymousVisitorsToLogIn) {
  EXPECT_EQ(Call("GET", "/api/v1/me", "").status, 401);
  Response page = Call("GET", "/me", "");
  EXPECT_EQ(page.status, 303);
  EXPECT_TRUE(page.Get("Location").starts_with("/login")) << page.Get("Location");
  EXPECT_EQ(Call("GET", "/api/v1/me", std::string(64, 'f')).status, 401);  // unknown token
  EXPECT_EQ(Call("GET", "/api/v1/me", TokenFor("kim_reader")).status, 200);
}

TEST_F(SiteActionsTest, ABuyerPaysOnceAndThenDownloadsTheOriginal) {
  const std::string original = "the original bytes, 原文";
  const DocumentId id = ReadyDocument(original, 5);
  const std::string doc = "/api/v1/documents/" + std::to_string(id);
  const std::string bob = TokenFor("bob_reader");  // 20 points on sign-up

  EXPECT_EQ(JsonOf(Call("GET", doc, bob))["entitled"], false);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(id) + "/download", bob).status, 303);
  EXPECT_EQ(Call("POST", doc + "/purchase", "", {{"idempotency-key", "k1"}}).status, 401);
  EXPECT_EQ(Call("POST", doc + "/purchase", bob).status, 400);  // no key

  Response bought = Call("POST", doc + "/purchase", bob, {{"idempotency-key", "k1"}});
  ASSERT_EQ(bought.status, 200) << bought.body;
  EXPECT_EQ(JsonOf(bought), (nlohmann::json{{"purchased", true}, {"balance", 15}}));
  // The same key again (a retried request) and another key (a second tab): charged once.
  EXPECT_EQ(JsonOf(Call("POST", doc + "/purchase", bob, {{"idempotency-key", "k1"}}))["balance"],
            15);
  EXPECT_EQ(JsonOf(Call("POST", doc + "/purchase", bob, {{"idempotency-key", "k2"}})),
            (nlohmann::json{{"purchased", false}}));
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", bob))["points"],
            (nlohmann::json{{"balance", 15}, {"pending", 0}}));
  EXPECT_EQ(JsonOf(Call("GET", doc, bob))["entitled"], true);

  Response download = Call("GET", "/d/" + std::to_string(id) + "/download", bob);
  ASSERT_EQ(download.status, 200);
  auto bytes = ReadFile(download.file);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, original);
  EXPECT_EQ(Pending(alice_), 4);  // 5 less the 20% commission (1)
  EXPECT_EQ(Revenue(), 1);
  ExpectLedgerHolds();
}

TEST_F(SiteActionsTest, NotEnoughPointsIsA402AndChargesNothing) {
  const DocumentId id = ReadyDocument("dear", 50);
  const std::string carl = TokenFor("carl_reader");
  Response r = Call("POST", "/api/v1/documents/" + std::to_string(id) + "/purchase", carl,
                    {{"idempotency-key", "k"}});
  EXPECT_EQ(r.status, 402);
  EXPECT_EQ(JsonOf(r)["error"]["code"], "insufficient_points");
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", carl))["points"]["balance"], 20);
  EXPECT_EQ(Pending(alice_), 0);
}

TEST_F(SiteActionsTest, AReportedDocumentTakenDownAnswers451AndRefundsItsBuyer) {
  const DocumentId id = ReadyDocument("pirated", 5);
  const std::string d = "/d/" + std::to_string(id);
  const std::string api = "/api/v1/documents/" + std::to_string(id);
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("POST", api + "/purchase", bob, {{"idempotency-key", "k"}}).status, 200);
  const Fields json = {{"content-type", "application/json"}};

  Response bad = Call("POST", api + "/reports", bob, json, R"({"reason":"copyright"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(JsonOf(bad)["error"]["field"], "work");
  Response report = Call("POST", api + "/reports", bob, json,
                         R"({"reason":"copyright","work":"《某书》","rights_holder":"某出版社"})");
  ASSERT_EQ(report.status, 201) << report.body;
  const int64_t case_id = JsonOf(report)["id"];

  // Ordinary users have no moderation API.
  EXPECT_EQ(Call("GET", "/api/v1/admin/cases?state=open", bob).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/admin/cases/" + std::to_string(case_id), bob, json,
                 R"({"action":"take_down","note":"x"})")
                .status,
            403);
  ASSERT_TRUE(accounts_->AddOrUpdate("mod_may", "moderator", "correct horse", nullptr).ok());
  const std::string mod =
      accounts_->OpenSession(*accounts_->Authenticate("mod_may", "correct horse"))->token;
  auto open = JsonOf(Call("GET", "/api/v1/admin/cases?state=open", mod));
  ASSERT_EQ(open["cases"].size(), 1u);
  EXPECT_EQ(open["cases"][0]["type"], "report");
  EXPECT_EQ(open["cases"][0]["document_id"], id);
  Response decided = Call("POST", "/api/v1/admin/cases/" + std::to_string(case_id), mod, json,
                          R"({"action":"take_down","note":"侵权属实"})");
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(JsonOf(decided)["state"], "taken_down");

  for (const std::string& path : {d, d + "/download", d + "/pages/1.webp", api, api + "/comments",
                                  api + "/search?q=page"}) {
    Response r = Call("GET", path, bob);
    EXPECT_EQ(r.status, 451) << path;
    EXPECT_NE(r.body.find("版权投诉"), std::string::npos)
        << path << ": " << r.body;
  }
  EXPECT_EQ(Call("GET", d, "").status, 451);
  EXPECT_EQ(Call("GET", d, mod).status, 200);  // moderators still see it
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", bob))["points"]["balance"], 20);  // refunded
  auto audit = JsonOf(Call("GET", "/api/v1/admin/documents/" + std::to_string(id) + "/audit", mod));
  ASSERT_EQ(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][1]["action"], "take_down");
  EXPECT_EQ(audit["entries"][1]["actor"], "mod_may");
  EXPECT_EQ(Call("POST", "/api/v1/admin/cases/" + std::to_string(case_id), mod, json,
                 R"({"action":"dismiss","note":"again"})")
                .status,
            409);
  ExpectLedgerHolds();

  // The uploader's inbox says what happened to the document.
  const std::string alice = accounts_->OpenSession(*users_->FindById(alice_))->token;
  auto inbox = JsonOf(Call("GET", "/api/v1/me/notifications", alice));
  EXPECT_EQ(inbox["unread"], 2);
  ASSERT_EQ(inbox["notifications"].size(), 2u);
  EXPECT_EQ(inbox["notifications"][0]["kind"], "taken_down");
  EXPECT_EQ(inbox["notifications"][0]["note"], "侵权属实");
  EXPECT_EQ(inbox["notifications"][1]["kind"], "report");
  EXPECT_EQ(Call("POST", "/api/v1/me/notifications/read", alice).status, 204);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me/notifications", alice))["unread"], 0);
}

}  // namespace
}  // namespace wenku::web
