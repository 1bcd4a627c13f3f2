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
    moderation_ = std::make_unique<moderation::Moderation>(
        moderation::ModerationDeps{*db_, *cases_, *documents_, *points_, blobs_, *search_});
    user_admin_ = std::make_unique<accounts::UserAdmin>(accounts::UserAdminDeps{
        *db_, *users_, *sessions_, *cases_, *documents_, *points_, *search_, clock_});
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
        *user_admin_,
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
  std::unique_ptr<moderation::Moderation> moderation_;
  std::unique_ptr<accounts::UserAdmin> user_admin_;
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
  EXPECT_EQ(inbox["unread"], 3);
  ASSERT_EQ(inbox["notifications"].size(), 3u);
  EXPECT_EQ(inbox["notifications"][0]["kind"], "taken_down");
  EXPECT_EQ(inbox["notifications"][0]["note"], "侵权属实");
  EXPECT_EQ(inbox["notifications"][1]["kind"], "report");
  EXPECT_EQ(inbox["notifications"][2]["kind"], "sold");  // bob's purchase, before all this
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

// The users page (/admin/users) and its decisions, through the Dispatcher.
class AdminUsersTest : public SiteActionsTest {
 protected:
  std::string AdminToken() {
    EXPECT_TRUE(accounts_->AddOrUpdate("ada_admin", "admin", "correct horse", nullptr).ok());
    return accounts_->OpenSession(*accounts_->Authenticate("ada_admin", "correct horse"))->token;
  }
  std::string AliceToken() {
    EXPECT_TRUE(accounts_->AddOrUpdate("alice", "user", "correct horse", nullptr).ok());
    return accounts_->OpenSession(*users_->FindById(alice_))->token;
  }
  std::string Users(UserId id) { return "/admin/users/" + std::to_string(id); }
  // The grant form's hidden key on `page` for user `id`.
  static std::string GrantKey(const Response& page, UserId id) {
    size_t row = page.body.find("id=\"user-" + std::to_string(id) + "\"");
    if (row == std::string::npos) return "";
    const std::string marker = "name=\"key\" value=\"";
    size_t at = page.body.find(marker, row);
    if (at == std::string::npos) return "";
    at += marker.size();
    return page.body.substr(at, page.body.find('"', at) - at);
  }
};

TEST_F(AdminUsersTest, ADisabledUserIsLoggedOutRefusedAndTheirDocumentsGoneUntilEnabled) {
  const DocumentId id = ReadyDocument("the uploader's notes", 0);
  const std::string d = "/d/" + std::to_string(id);
  const std::string alice = AliceToken();
  const std::string mod = ModeratorToken();
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("GET", "/api/v1/me", alice).status, 200);
  ASSERT_TRUE(Has(Call("GET", "/", ""), d));

  // The note is required: said next to the form.
  Response no_note = PostForm(Users(alice_) + "/disable", mod, {{"note", " "}});
  EXPECT_EQ(no_note.status, 400);
  EXPECT_TRUE(Has(no_note, "请填写说明"));
  ASSERT_EQ(PostForm(Users(alice_) + "/disable", mod, {{"note", "批量上传广告"}}).status, 303);

  // Logged out everywhere at once, and the log-in refused with the reason.
  EXPECT_EQ(Call("GET", "/api/v1/me", alice).status, 401);
  Response login = PostForm("/login", "", {{"name", "alice"}, {"password", "correct horse"}});
  EXPECT_EQ(login.status, 403);
  EXPECT_TRUE(Has(login, "该账号已被管理员停用")) << login.body;
  Response api_login = Call("POST", "/api/v1/session", "", {{"content-type", "application/json"}},
                            R"({"name":"alice","password":"correct horse"})");
  EXPECT_EQ(api_login.status, 403);

  // The document is not there for anyone but moderators.
  EXPECT_EQ(Call("GET", d, "").status, 404);
  EXPECT_EQ(Call("GET", d, bob).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + std::to_string(id), "").status, 404);
  EXPECT_EQ(Call("GET", d, mod).status, 200);
  EXPECT_FALSE(Has(Call("GET", "/", ""), d));
  EXPECT_FALSE(Has(Call("GET", "/u/alice", ""), d));
  EXPECT_FALSE(Has(Call("GET", "/sitemap.xml", ""), d));
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/documents", ""))["documents"].size(), 0u);
  EXPECT_TRUE(Has(Call("GET", "/u/alice", mod), d));

  // The users page shows the state and the reason; the audit log has who and why.
  Response page = Call("GET", "/admin/users?disabled=yes", mod);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "id=\"user-" + std::to_string(alice_) + "\""));
  EXPECT_TRUE(Has(page, "批量上传广告"));
  EXPECT_FALSE(Has(page, "bob_reader"));
  EXPECT_FALSE(Has(page, "class=\"grant-form\""));  // a moderator grants nothing
  auto audit = cases_->AuditOfUser(alice_, 10);
  ASSERT_TRUE(audit.ok() && audit->size() == 1);
  EXPECT_EQ((*audit)[0].action, "disable");
  EXPECT_EQ((*audit)[0].actor_name, "mod_may");

  ASSERT_EQ(PostForm(Users(alice_) + "/enable", mod, {{"note", "申诉通过"}}).status, 303);
  EXPECT_EQ(Call("GET", d, "").status, 200);
  EXPECT_TRUE(Has(Call("GET", "/", ""), d));
  Response back = PostForm("/login", "", {{"name", "alice"}, {"password", "correct horse"}});
  EXPECT_EQ(back.status, 303);
  const std::string again = accounts_->OpenSession(*users_->FindById(alice_))->token;
  Response me = Call("GET", "/me", again);
  EXPECT_TRUE(Has(me, "你的账号已被停用"));
  EXPECT_TRUE(Has(me, "你的账号已恢复启用"));
  auto listed = JsonOf(Call("GET", "/api/v1/admin/users?q=ali", mod));
  ASSERT_EQ(listed["users"].size(), 1u);
  EXPECT_EQ(listed["users"][0]["documents"], 1);
  EXPECT_EQ(listed["users"][0]["disabled"], false);
}

TEST_F(AdminUsersTest, AGrantMovesTheBalanceOnceAndOnlyAdminsChangeRoles) {
  const std::string admin = AdminToken();
  const std::string mod = ModeratorToken();
  const std::string bob = TokenFor("bob_reader");  // 20 points
  const UserId bob_id = users_->FindByName("bob_reader")->id;

  // A moderator changes no role (the route is an admin's), by form or API.
  EXPECT_EQ(PostForm(Users(bob_id) + "/role", mod, {{"role", "moderator"}}).status, 403);
  const Fields json = {{"content-type", "application/json"}};
  EXPECT_EQ(Call("POST", "/api/v1/admin/users/" + std::to_string(bob_id), mod, json,
                 R"({"action":"role","role":"moderator"})")
                .status,
            403);
  EXPECT_EQ(users_->FindById(bob_id)->role, "user");
  ASSERT_EQ(PostForm(Users(bob_id) + "/role", admin, {{"role", "moderator"}}).status, 303);
  EXPECT_EQ(users_->FindById(bob_id)->role, "moderator");
  // The last admin cannot demote themself.
  const UserId ada = users_->FindByName("ada_admin")->id;
  Response last = PostForm(Users(ada) + "/role", admin, {{"role", "user"}});
  EXPECT_EQ(last.status, 409);
  EXPECT_TRUE(Has(last, "最后一位管理员"));

  // The grant form carries a key made when it was drawn; posting it twice grants once.
  Response page = Call("GET", "/admin/users?q=BOB", admin);  // case ignored
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "action=\"/admin/users/" + std::to_string(bob_id) + "/role\""));
  EXPECT_TRUE(Has(page, "action=\"/admin/users/" + std::to_string(bob_id) + "/disable\""));
  EXPECT_FALSE(Has(Call("GET", "/admin/users?q=bob", mod), "class=\"role-form\""));
  const std::string key = GrantKey(page, bob_id);
  ASSERT_EQ(key.size(), 64u);
  const std::vector<std::pair<std::string, std::string>> grant = {
      {"amount", "15"}, {"note", "征文比赛奖励"}, {"key", key}};
  EXPECT_EQ(PostForm(Users(bob_id) + "/grant", admin, grant).status, 303);
  EXPECT_EQ(PostForm(Users(bob_id) + "/grant", admin, grant).status, 303);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", bob))["points"]["balance"], 35);
  EXPECT_NE(GrantKey(Call("GET", "/admin/users?q=bob", admin), bob_id), key);  // a fresh form
  // A negative grant beyond the wallet is refused next to the form; nothing moves.
  Response too_much = PostForm(Users(bob_id) + "/grant", admin,
                               {{"amount", "-36"}, {"note", "x"}, {"key", "other-key"}});
  EXPECT_EQ(too_much.status, 402);
  EXPECT_TRUE(Has(too_much, "积分不足"));
  Response bad = PostForm(Users(bob_id) + "/grant", admin,
                          {{"amount", "1.5"}, {"note", "x"}, {"key", "third-key"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Has(bad, "非零整数"));
  // The API grants under its key the same way.
  const std::string api = "/api/v1/admin/users/" + std::to_string(bob_id);
  const std::string body = R"({"action":"grant","amount":-5,"note":"误发","key":"api-1"})";
  EXPECT_EQ(JsonOf(Call("POST", api, admin, json, body))["granted"], true);
  EXPECT_EQ(JsonOf(Call("POST", api, admin, json, body))["granted"], false);
  EXPECT_EQ(JsonOf(Call("POST", api, mod, json, body))["error"]["code"], "forbidden");
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/me", bob))["points"]["balance"], 30);
  ExpectLedgerHolds();
  EXPECT_TRUE(Has(Call("GET", "/me", bob), "管理员调整了你的积分"));
}

TEST_F(AdminUsersTest, AnOrdinaryUserGets403OnEveryUsersRoute) {
  const std::string carl = TokenFor("carl_reader");
  const std::string u = Users(alice_);
  EXPECT_EQ(Call("GET", "/admin/users", carl).status, 403);
  for (const char* action : {"/role", "/disable", "/enable", "/grant"}) {
    EXPECT_EQ(PostForm(u + action, carl,
                       {{"role", "admin"}, {"note", "x"}, {"amount", "5"}, {"key", "k"}})
                  .status,
              403)
        << action;
  }
  EXPECT_EQ(Call("GET", "/api/v1/admin/users", carl).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/admin/users/" + std::to_string(alice_), carl,
                 {{"content-type", "application/json"}}, R"({"action":"disable","note":"x"})")
                .status,
            403);
  EXPECT_EQ(Call("GET", "/admin/users", "").status, 303);  // log in first
  EXPECT_FALSE(users_->FindById(alice_)->Disabled());
  EXPECT_EQ(users_->FindById(users_->FindByName("carl_reader")->id)->role, "user");
}

TEST_F(AdminUsersTest, TheUploaderReadsOfASaleOnMe) {
  const DocumentId id = ReadyDocument("worth buying", 5);
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + std::to_string(id) + "/purchase", bob,
                 {{"idempotency-key", "k1"}})
                .status,
            200);
  Response me = Call("GET", "/me", AliceToken());
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(Has(me, "《notes》被购买，+4 积分待结算")) << me.body;
}

}  // namespace
}  // namespace wenku::web
