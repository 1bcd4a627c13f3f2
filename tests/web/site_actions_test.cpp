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
    cases_ = std::make_unique<storage::CaseStore>(*db_, clock_);
    live_settings_ =
        std::make_unique<settings::LiveSettings>(Config::Defaults(), *db_, *cases_, clock_);
    MakePoints(points::Economy{}, live_settings_.get());  // as `wenku serve` wires it
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
    moderation_ = std::make_unique<moderation::Moderation>(
        moderation::ModerationDeps{*db_, *cases_, *documents_, *points_, blobs_, *search_});
    SiteServices services{
        *db_,
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
        *live_settings_,
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
    if (target.find('?') != std::string::npos) {
      req.query = ParseUrlEncoded(target.substr(target.find('?') + 1));
    }
    req.remote_ip = "127.0.0.1";
    req.headers = std::move(headers);
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    return dispatcher_->Handle(req);
  }

  static nlohmann::json JsonOf(const Response& r) { return nlohmann::json::parse(r.body); }

  // An HTML form posted as a browser would: the CSRF cookie and the same token as a field.
  Response PostForm(const std::string& target, const std::string& token,
                    const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body = "csrf=" + kCsrf;
    for (const auto& [k, v] : fields) body += "&" + k + "=" + UrlEncode(v);
    return Call(
        "POST", target, token,
        {{"cookie", "wenku_csrf=" + kCsrf}, {"content-type", "application/x-www-form-urlencoded"}},
        body);
  }

  // A multipart/form-data form (the claim form), its body in a file as the server streams it.
  Response PostMultipart(const std::string& target, const std::string& token,
                         const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& file_bytes = "") {
    const std::string b = "----wenkuTestBoundary";
    std::string body;
    auto part = [&](const std::string& name, const std::string& value) {
      body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
              value + "\r\n";
    };
    part("csrf", kCsrf);
    for (const auto& [k, v] : fields) part(k, v);
    if (!file_bytes.empty()) {
      body += "--" + b +
              "\r\nContent-Disposition: form-data; name=\"proof_file\"; filename=\"proof.pdf\"\r\n"
              "Content-Type: application/pdf\r\n\r\n" +
              file_bytes + "\r\n";
    }
    body += "--" + b + "--\r\n";
    layout_.Create();  // the parser keeps each file part under tmp/
    const auto path = dir_ / ("multipart-" + std::to_string(++multipart_seq_));
    EXPECT_TRUE(WriteFileAtomic(path, body).ok());
    Request req;
    req.method = "POST";
    req.target = target;
    req.path = target;
    req.remote_ip = "127.0.0.1";
    req.body_file = path;
    req.body_size = static_cast<int64_t>(body.size());
    req.headers = {{"cookie", "wenku_csrf=" + kCsrf},
                   {"content-type", "multipart/form-data; boundary=" + b}};
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    return dispatcher_->Handle(req);
  }

  std::string ModeratorToken() {
    EXPECT_TRUE(accounts_->AddOrUpdate("mod_may", "moderator", "correct horse", nullptr).ok());
    return accounts_->OpenSession(*accounts_->Authenticate("mod_may", "correct horse"))->token;
  }

  static bool Has(const Response& r, std::string_view text) {
    return r.body.find(text) != std::string::npos;
  }

  const std::string kCsrf = std::string(64, 'c');
  int multipart_seq_ = 0;

  MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  std::unique_ptr<storage::SessionStore> sessions_;
  std::unique_ptr<storage::CommentStore> comments_;
  std::unique_ptr<accounts::Accounts> accounts_;
  std::unique_ptr<storage::CaseStore> cases_;
  std::unique_ptr<moderation::Moderation> moderation_;
  std::unique_ptr<settings::LiveSettings> live_settings_;
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

  for (const std::string& path :
       {d, d + "/download", d + "/pages/1.webp", api, api + "/comments", api + "/search?q=page"}) {
    Response r = Call("GET", path, bob);
    EXPECT_EQ(r.status, 451) << path;
    EXPECT_NE(r.body.find("版权投诉"), std::string::npos) << path << ": " << r.body;
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
  Response me = Call("GET", "/me", alice);
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("你的文档已被下架"), std::string::npos);
  EXPECT_NE(me.body.find("侵权属实"), std::string::npos);
  EXPECT_NE(me.body.find("你的文档被举报"), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/me/notifications/read", alice).status, 204);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me/notifications", alice))["unread"], 0);
}

// The report form (举报) shows each refused field's words next to that field, asks an
// anonymous reporter for an e-mail address, and thanks with the case number.
TEST_F(SiteActionsTest, TheReportFormShowsEachProblemNextToItsField) {
  const DocumentId id = ReadyDocument("pirated", 0);
  const std::string form = "/d/" + std::to_string(id) + "/report";
  Response page = Call("GET", form, "");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "id=\"report-form\""));
  EXPECT_TRUE(Has(page, "侵犯版权"));
  EXPECT_TRUE(Has(page, "name=\"csrf\""));
  // The document page links here.
  EXPECT_TRUE(Has(Call("GET", "/d/" + std::to_string(id), ""), "href=\"" + form + "\""));

  // Copyright without the work or rights holder, and anonymous without an e-mail address.
  Response bad = PostForm(form, "", {{"reason", "copyright"}, {"detail", "<b>抄袭</b>"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Has(bad, "id=\"work-error\">请填写被侵权的作品")) << bad.body;
  EXPECT_TRUE(Has(bad, "id=\"rights-holder-error\">请填写权利人"));
  EXPECT_TRUE(Has(bad, "id=\"contact-error\">请填写有效的联系邮箱"));
  EXPECT_FALSE(Has(bad, "id=\"reason-error\""));
  EXPECT_FALSE(Has(bad, "id=\"detail-error\""));
  EXPECT_TRUE(Has(bad, "&lt;b&gt;抄袭&lt;/b&gt;"));  // what was typed, kept and escaped
  EXPECT_FALSE(Has(bad, "<b>抄袭"));

  Response no_mail = PostForm(form, "", {{"reason", "spam"}, {"contact", "not an address"}});
  EXPECT_EQ(no_mail.status, 400);
  EXPECT_TRUE(Has(no_mail, "id=\"contact-error\""));
  EXPECT_FALSE(Has(no_mail, "id=\"work-error\""));
  EXPECT_EQ(PostForm(form, "", {{"reason", "nonsense"}, {"contact", "a@b.cn"}}).status, 400);
  auto none = cases_->List({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  Response ok = PostForm(form, "", {{"reason", "spam"}, {"contact", "reader@example.cn"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto cases = cases_->List({});
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_TRUE(Has(ok, "#" + std::to_string((*cases)[0].id))) << ok.body;
  EXPECT_EQ((*cases)[0].contact, "reader@example.cn");
  EXPECT_EQ((*cases)[0].reporter, 0);

  // A logged-in reporter need not leave an address.
  Response user = PostForm(form, TokenFor("bob_reader"), {{"reason", "porn"}});
  EXPECT_EQ(user.status, 200) << user.body;
  // Without the CSRF token the form is refused.
  EXPECT_EQ(Call("POST", form, "", {}, "reason=spam&contact=a%40b.cn").status, 403);
}

TEST_F(SiteActionsTest, TheClaimFormOpensAClaimAndRefusesOnesOwnDocument) {
  const DocumentId id = ReadyDocument("my book", 0);
  const std::string form = "/d/" + std::to_string(id) + "/claim";
  EXPECT_EQ(Call("GET", form, "").status, 303);  // log in first
  const std::string alice = accounts_->OpenSession(*users_->FindById(alice_))->token;
  Response own = Call("GET", form, alice);
  EXPECT_EQ(own.status, 403);
  EXPECT_TRUE(Has(own, "这是你自己上传的文档")) << own.body;

  const std::string carl = TokenFor("carl_author");
  Response page = Call("GET", form, carl);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "enctype=\"multipart/form-data\""));

  Response bad =
      PostMultipart(form, carl, {{"work", "《我的书》"}, {"contact", "carl@example.cn"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(Has(bad, "id=\"proof-error\""));
  EXPECT_TRUE(Has(bad, "《我的书》"));
  Response not_pdf = PostMultipart(
      form, carl, {{"work", "《我的书》"}, {"proof", "初版扉页"}, {"contact", "carl@example.cn"}},
      "plain text, not a PDF");
  EXPECT_EQ(not_pdf.status, 400) << not_pdf.body;
  EXPECT_TRUE(Has(not_pdf, "id=\"file-error\""));

  Response ok = PostMultipart(
      form, carl, {{"work", "《我的书》"}, {"proof", "初版扉页"}, {"contact", "carl@example.cn"}},
      "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto cases = cases_->List({});
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].type, storage::CaseType::kClaim);
  EXPECT_FALSE((*cases)[0].proof_sha256.empty());
  EXPECT_TRUE(Has(ok, "#" + std::to_string((*cases)[0].id)));
  Response again = PostMultipart(
      form, carl, {{"work", "《我的书》"}, {"proof", "初版扉页"}, {"contact", "carl@example.cn"}});
  EXPECT_EQ(again.status, 409);
}

TEST_F(SiteActionsTest, OnlyModeratorsHaveTheAdminPages) {
  const DocumentId id = ReadyDocument("pirated", 0);
  ASSERT_EQ(PostForm("/d/" + std::to_string(id) + "/report", "",
                     {{"reason", "spam"}, {"contact", "a@b.cn"}})
                .status,
            200);
  const std::string bob = TokenFor("bob_reader");
  Response page = Call("GET", "/admin", bob);
  EXPECT_EQ(page.status, 403);
  EXPECT_TRUE(Has(page, "你没有权限执行此操作"));
  EXPECT_FALSE(Has(page, "nav-admin"));
  auto cases = cases_->List({});
  ASSERT_TRUE(cases.ok() && cases->size() == 1);
  const std::string decide = "/admin/cases/" + std::to_string((*cases)[0].id);
  EXPECT_EQ(PostForm(decide, bob, {{"action", "take_down"}, {"note", "x"}}).status, 403);
  EXPECT_EQ(PostForm("/admin/documents/" + std::to_string(id), bob,
                     {{"action", "take_down"}, {"reason", "spam"}, {"note", "x"}})
                .status,
            403);
  EXPECT_EQ(Call("GET", "/admin", "").status, 303);  // log in first
  auto still = cases_->Find((*cases)[0].id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->state, storage::CaseState::kOpen);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(id), "").status, 200);
}

TEST_F(SiteActionsTest, AModeratorTakesADocumentDownFromTheAdminPage) {
  const DocumentId id = ReadyDocument("pirated", 5);
  const std::string d = "/d/" + std::to_string(id);
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + std::to_string(id) + "/purchase", bob,
                 {{"idempotency-key", "k"}})
                .status,
            200);
  ASSERT_EQ(PostForm(d + "/report", bob,
                     {{"reason", "copyright"},
                      {"work", "《某书》"},
                      {"rights_holder", "<某出版社>"},
                      {"detail", "整本照搬"}})
                .status,
            200);
  const std::string mod = ModeratorToken();
  Response admin = Call("GET", "/admin", mod);
  ASSERT_EQ(admin.status, 200) << admin.body;
  auto cases = cases_->List({});
  ASSERT_TRUE(cases.ok() && cases->size() == 1);
  const std::string case_id = std::to_string((*cases)[0].id);
  EXPECT_TRUE(Has(admin, "id=\"case-" + case_id + "\""));
  EXPECT_TRUE(Has(admin, "nav-admin"));
  EXPECT_TRUE(Has(admin, "《某书》"));
  EXPECT_TRUE(Has(admin, "&lt;某出版社&gt;"));
  EXPECT_TRUE(Has(admin, "bob_reader"));
  EXPECT_TRUE(Has(admin, d + "/cover.webp"));
  EXPECT_TRUE(Has(admin, "value=\"take_down\""));
  EXPECT_FALSE(Has(admin, "value=\"accept_claim\""));  // only what applies to a report
  EXPECT_EQ(Call("GET", "/admin?type=claim", mod).body.find("id=\"case-" + case_id),
            std::string::npos);

  // No note: the page again, the error next to that case's form.
  Response no_note =
      PostForm("/admin/cases/" + case_id, mod, {{"action", "take_down"}, {"note", " "}});
  EXPECT_EQ(no_note.status, 400);
  EXPECT_TRUE(Has(no_note, "请填写处理说明")) << no_note.body;
  EXPECT_EQ(Call("GET", d, "").status, 200);
  Response wrong =
      PostForm("/admin/cases/" + case_id, mod, {{"action", "accept_claim"}, {"note", "x"}});
  EXPECT_EQ(wrong.status, 400);

  Response decided = PostForm("/admin/cases/" + case_id, mod,
                              {{"action", "take_down"}, {"note", "侵权属实"}, {"f_state", "open"}});
  ASSERT_EQ(decided.status, 303) << decided.body;
  EXPECT_TRUE(decided.Get("Location").starts_with("/admin")) << decided.Get("Location");
  Response gone = Call("GET", d, "");
  EXPECT_EQ(gone.status, 451);
  EXPECT_TRUE(Has(gone, "版权投诉"));
  EXPECT_EQ(Call("GET", d, bob).status, 451);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", bob))["points"]["balance"], 20);  // refunded
  Response closed = Call("GET", "/admin?state=taken_down", mod);
  EXPECT_TRUE(Has(closed, "id=\"case-" + case_id + "\""));
  EXPECT_TRUE(Has(closed, "侵权属实"));
  EXPECT_EQ(
      PostForm("/admin/cases/" + case_id, mod, {{"action", "dismiss"}, {"note", "again"}}).status,
      409);

  // The moderator's document page: the audit log and a restore form.
  Response doc_page = Call("GET", d, mod);
  ASSERT_EQ(doc_page.status, 200);
  EXPECT_TRUE(Has(doc_page, "id=\"moderate-form\""));
  EXPECT_TRUE(Has(doc_page, "value=\"restore\""));
  EXPECT_TRUE(Has(doc_page, "侵权属实"));
  EXPECT_FALSE(Has(Call("GET", d + "?x=1", bob), "moderate-form"));
  ASSERT_EQ(PostForm("/admin/documents/" + std::to_string(id), mod,
                     {{"action", "restore"}, {"note", "误判"}})
                .status,
            303);
  EXPECT_EQ(Call("GET", d, "").status, 200);
  EXPECT_EQ(PostForm("/admin/documents/" + std::to_string(id), mod,
                     {{"action", "take_down"}, {"reason", "spam"}, {"note", ""}})
                .status,
            400);
  ASSERT_EQ(PostForm("/admin/documents/" + std::to_string(id), mod,
                     {{"action", "take_down"}, {"reason", "spam"}, {"note", "广告"}})
                .status,
            303);
  EXPECT_EQ(Call("GET", d, "").status, 451);
  ExpectLedgerHolds();
}

TEST_F(SiteActionsTest, AnAdminChangesThePreviewAndTheDocumentPageFollowsAtOnce) {
  auto blob = blobs_.Put("ten pages of notes");
  storage::NewDocument nd;
  nd.owner_id = alice_;
  nd.blob_sha256 = blob->sha256;
  nd.size = 18;
  nd.filename = "ten.txt";
  nd.title = "ten pages";
  nd.price = 5;
  auto created = documents_->Create(nd);
  auto job = jobs_->Claim("test-worker", 60'000);
  ASSERT_TRUE(created.ok() && job.ok() && job->has_value());
  storage::PublishedPages pages;
  for (int64_t n = 1; n <= 10; ++n) {
    pages.pages.push_back(
        Page{n, "text of page " + std::to_string(n), TextSource::kLayer, 595, 842});
  }
  pages.preview_pages = 5;  // drawn at ingest
  ASSERT_TRUE(documents_->Publish(created->id, (*job)->id, "test-worker", pages).ok());
  const std::string d = "/d/" + std::to_string(created->id);

  Response before = Call("GET", d, "");
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(Has(before, "id=\"p5\""));
  EXPECT_TRUE(Has(before, "剩余 5 页"));

  ASSERT_TRUE(accounts_->AddOrUpdate("root_ada", "admin", "correct horse", nullptr).ok());
  const std::string admin =
      accounts_->OpenSession(*accounts_->Authenticate("root_ada", "correct horse"))->token;
  Response form = Call("GET", "/admin/settings", admin);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(Has(form, "name=\"preview.pages\" value=\"5\""));
  EXPECT_TRUE(Has(form, "积分"));
  EXPECT_TRUE(Has(form, "free-preview pages every visitor may read"));  // the list's help
  EXPECT_TRUE(Has(form, "data-source=\"default\""));

  Response saved = PostForm("/admin/settings", admin, {{"preview.pages", "2"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_TRUE(Has(saved, "已保存，1 项设置已更改"));
  EXPECT_TRUE(Has(saved, "name=\"preview.pages\" value=\"2\""));
  EXPECT_TRUE(Has(saved, "data-source=\"database\""));

  // No restart: the same Site, the next request.
  Response after = Call("GET", d, "");
  ASSERT_EQ(after.status, 200);
  EXPECT_TRUE(Has(after, "id=\"p2\""));
  EXPECT_FALSE(Has(after, "id=\"p3\""));
  EXPECT_TRUE(Has(after, "剩余 8 页"));
  EXPECT_EQ(Call("GET", d + "/pages/3.webp", "").status, 403);
  auto api = JsonOf(Call("GET", "/api/v1/documents/" + std::to_string(created->id), ""));
  EXPECT_EQ(api["preview_pages"], 2);
  EXPECT_EQ(api["visible_pages"], 2);

  // The change is in the audit log: who, which setting, old → new.
  auto audit = cases_->RecentAudit(5);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ((*audit)[0].action, "setting");
  EXPECT_EQ((*audit)[0].actor_name, "root_ada");
  EXPECT_EQ((*audit)[0].note, "preview.pages: 5 → 2");
}

TEST_F(SiteActionsTest, AnInvalidSettingIsShownNextToItsFieldAndNothingIsSaved) {
  ASSERT_TRUE(accounts_->AddOrUpdate("root_ada", "admin", "correct horse", nullptr).ok());
  const std::string admin =
      accounts_->OpenSession(*accounts_->Authenticate("root_ada", "correct horse"))->token;
  Response r = PostForm("/admin/settings", admin,
                        {{"economy.commission_percent", "150"}, {"site.name", "新文库"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r, "有设置值不正确，未保存任何更改。"));
  // The sentence sits in the commission field's block, and the value sent is kept there.
  const size_t field = r.body.find("data-key=\"economy.commission_percent\"");
  ASSERT_NE(field, std::string::npos);
  const size_t next = r.body.find("data-key=", field + 1);
  const std::string block = r.body.substr(field, next - field);
  EXPECT_NE(block.find("请输入 0 到 100 之间的整数。"), std::string::npos) << block;
  EXPECT_NE(block.find("value=\"150\""), std::string::npos) << block;
  EXPECT_EQ(points_->economy().commission_percent, 20);
  EXPECT_EQ(site_->name(), "文库");  // the valid field was not saved either
  Response home = Call("GET", "/", "");
  EXPECT_FALSE(Has(home, "新文库"));

  // The API refuses the same way, naming the field.
  Response api = Call("POST", "/api/v1/admin/settings", admin,
                      {{"cookie", "wenku_csrf=" + kCsrf}, {"x-csrf-token", kCsrf}},
                      R"({"economy.commission_percent":150})");
  EXPECT_EQ(api.status, 400) << api.body;
  EXPECT_EQ(JsonOf(api)["fields"]["economy.commission_percent"], "请输入 0 到 100 之间的整数。");

  // A valid change through the API: the site's name on the next page.
  api = Call("POST", "/api/v1/admin/settings", admin,
             {{"cookie", "wenku_csrf=" + kCsrf}, {"x-csrf-token", kCsrf}},
             R"({"site.name":"新文库","economy.commission_percent":30})");
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(points_->economy().commission_percent, 30);
  EXPECT_TRUE(Has(Call("GET", "/", ""), "新文库"));
  auto listed = JsonOf(Call("GET", "/api/v1/admin/settings", admin));
  bool found = false;
  for (const auto& s : listed["settings"]) {
    if (s["key"] == "economy.commission_percent") {
      found = true;
      EXPECT_EQ(s["value"], 30);
      EXPECT_EQ(s["source"], "database");
      EXPECT_EQ(s["max"], 100);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SiteActionsTest, OnlyAdminsHaveTheSettings) {
  const std::string mod = ModeratorToken();
  EXPECT_EQ(Call("GET", "/admin/settings", mod).status, 403);
  EXPECT_EQ(PostForm("/admin/settings", mod, {{"preview.pages", "1"}}).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/admin/settings", mod).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/admin/settings", TokenFor("bob_user")).status, 403);
  EXPECT_EQ(site_->preview().n, 5);
}

}  // namespace
}  // namespace wenku::web
