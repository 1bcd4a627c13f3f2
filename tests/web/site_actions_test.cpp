// Web actions run through the Dispatcher with no server, no App and no real converter: the
// Site is wired from fakes (an in-memory blob store, a fake clock, a converter process that
// is a function, converters reported unavailable) over a real SQLite file. What a client
// gets back — status, JSON, bytes — is what is asserted.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "accounts/accounts.hpp"
#include "accounts/api_tokens.hpp"
#include "core/files.hpp"
#include "library/access.hpp"
#include "points/points_fixture.hpp"
#include "search/search_index.hpp"
#include "storage/comment_store.hpp"
#include "storage/session_store.hpp"
#include "support/xapian_server.hpp"
#include "web/auth.hpp"
#include "web/dispatch.hpp"
#include "web/router.hpp"
#include "web/site.hpp"
#include "web/view.hpp"

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
    accounts_ = std::make_unique<accounts::Accounts>(*db_, *users_, *sessions_, *points_,
                                                     accounts::SessionPolicy{}, clock_);
    api_token_store_ = std::make_unique<storage::SqlApiTokenStore>(*db_);
    api_tokens_ = std::make_unique<accounts::ApiTokens>(*api_token_store_, clock_);
    search_ = std::make_unique<search::SearchIndex>(
        search::IndexLocation::Parse(dir_ / "index", search_remote_).value(),
        search::SegmenterOptions{});
    runner_ = std::make_unique<FakeRunner>([](const ProcessSpec&, const auto&) {
      ProcessOutcome o;
      o.end = ProcessEnd::kExited;
      o.exit_code = 1;  // no page is drawn in these tests
      return o;
    });
    pdf_ = std::make_unique<ingest::PdfConverter>(*runner_, "/fake/wenku", ProcessLimits{});
    page_images_ = std::make_unique<ingest::PageImages>(*pdf_, *documents_, blobs_, derived_,
                                                        layout_, ingest::RenderOptions{});
    moderation_ = std::make_unique<moderation::Moderation>(
        moderation::ModerationDeps{*db_, *cases_, *documents_, *points_, blobs_, *search_,
                                   *comments_, [this] { return sensitive_words_; }});
    user_admin_ = std::make_unique<accounts::UserAdmin>(accounts::UserAdminDeps{
        *db_, *users_, *sessions_, *cases_, *documents_, *points_, *search_, clock_});
    document_admin_ = std::make_unique<moderation::DocumentAdmin>(moderation::DocumentAdminDeps{
        *db_, *cases_, *documents_, *jobs_, *search_, blobs_, derived_, *categories_, 3});
    stats_ = std::make_unique<storage::StatsStore>(*db_);
    SiteServices services{
        *db_,
        *documents_,
        *comments_,
        *users_,
        *ledger_,
        *entitlements_,
        *accounts_,
        *api_tokens_,
        *points_,
        *cases_,
        *moderation_,
        *categories_,
        *user_admin_,
        *document_admin_,
        *stats_,
        blobs_,
        derived_,
        *search_,
        *page_images_,
        layout_,
        clock_,
        *live_settings_,
        [] { return Status(MakeError(ErrorCode::kUnavailable, "bwrap is missing")); },
        *jobs_,
        [] {
          return ingest::ConversionCounts{3, 1, 2};
        }};
    std::filesystem::path templates_dir;
    Config config = Config::Defaults();
    auto options = SiteOptionsFrom(config, &templates_dir);
    ASSERT_TRUE(options.ok()) << options.error().message;
    // blobs.presign on: the memory store, like the local folder, makes no URLs (so downloads
    // are streamed) unless a test sets blobs_.presign_base.
    options->presign = true;
    auto templates = Templates::Load(templates_dir);
    ASSERT_TRUE(templates.ok()) << templates.error().message;
    site_ = std::make_unique<Site>(std::move(services), std::move(templates).value(), *options);
    dispatcher_ = std::make_unique<Dispatcher>(*site_);
  }

  void TearDown() override {
    site_->render_pool().Stop();
    site_->views().Stop();
  }

  // A document of alice's named `filename` whose original is `bytes`, at `price`, in
  // `category`, published with `pages` (as the publish stage would).
  DocumentId Published(const std::string& bytes, const std::string& filename,
                       const storage::PublishedPages& pages, int64_t price = 0,
                       const std::string& category = "") {
    auto blob = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = alice_;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = filename;
    d.title = std::filesystem::path(filename).stem().string();
    d.price = price;
    d.category = category;
    auto created = documents_->Create(d);
    auto job = jobs_->Claim("test-worker", 60'000);
    EXPECT_TRUE(created.ok() && job.ok() && job->has_value());
    EXPECT_TRUE(documents_->Publish(created->id, (*job)->id, "test-worker", pages).ok());
    return created->id;
  }

  // A ready document of alice's at `price` whose original is `bytes`, in `category`.
  DocumentId ReadyDocument(const std::string& bytes, int64_t price,
                           const std::string& category = "", int64_t page_count = 1) {
    storage::PublishedPages pages;
    pages.pages = {Page{1, "page one", TextSource::kLayer, 595, 842}};
    for (int64_t n = 2; n <= page_count; ++n) {
      pages.pages.push_back(Page{n, "page " + std::to_string(n), TextSource::kLayer, 595, 842});
    }
    pages.preview_pages = 1;
    return Published(bytes, "notes.txt", pages, price, category);
  }

  // A document of alice's whose ingest failed with `reason`.
  DocumentId FailedDocument(const std::string& bytes, const std::string& reason) {
    auto blob = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = alice_;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = "broken.doc";
    d.title = "broken";
    auto created = documents_->Create(d);
    auto job = jobs_->Claim("test-worker", 60'000);
    EXPECT_TRUE(created.ok() && job.ok() && job->has_value());
    EXPECT_TRUE(documents_
                    ->Fail(created->id, (*job)->id, "test-worker",
                           Error{ErrorCode::kConversionFailed, reason})
                    .ok());
    return created->id;
  }

  std::string TokenFor(const std::string& name) {
    auto user = accounts_->Register(name, "correct horse");
    EXPECT_TRUE(user.ok());
    return accounts_->OpenSession(*user)->token;
  }

  // How a test's caller proves who they are: an API token ("wk_…", accounts/api_tokens.hpp)
  // as `Authorization: Bearer`; a session's token as a browser sends it — the wenku_session
  // cookie, with the CSRF cookie and header a page's script would send (a session token is
  // never a Bearer token).
  void AddCredentials(Fields& headers, const std::string& token) const {
    if (token.empty()) return;
    if (token.starts_with("wk_")) {
      headers.emplace_back("authorization", "Bearer " + token);
      return;
    }
    auto cookie = std::find_if(headers.begin(), headers.end(),
                               [](const auto& h) { return h.first == "cookie"; });
    if (cookie == headers.end()) {
      headers.emplace_back("cookie", "wenku_csrf=" + kCsrf);
      cookie = headers.end() - 1;
    }
    cookie->second += "; wenku_session=" + token;
    const bool has_header = std::any_of(headers.begin(), headers.end(),
                                        [](const auto& h) { return h.first == "x-csrf-token"; });
    if (!has_header) headers.emplace_back("x-csrf-token", CsrfFor(token));
  }

  // A new API token of the user whose session `session` is (as made on /me).
  std::string ApiTokenOf(const std::string& session, const std::string& name = "test") {
    auto user = accounts_->UserForToken(session, nullptr);
    EXPECT_TRUE(user.has_value());
    auto made = api_tokens_->Create(*user, name, accounts::Proof::kSession);
    EXPECT_TRUE(made.ok());
    return made.ok() ? made->secret : std::string();
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
    AddCredentials(req.headers, token);
    return dispatcher_->Handle(req);
  }

  static nlohmann::json JsonOf(const Response& r) { return nlohmann::json::parse(r.body); }

  // An upload through the API (`target` with its query) of `bytes`, with an API token of the
  // user whose session `session` is; the body is in a file, as the server streams it.
  Response ApiUpload(const std::string& session, const std::string& target,
                     const std::string& bytes) {
    const auto file = dir_ / ("upload-" + std::to_string(++multipart_seq_));
    EXPECT_TRUE(WriteFileAtomic(file, bytes).ok());
    Request up;
    up.method = "POST";
    up.target = target;
    up.path = target.substr(0, target.find('?'));
    up.query = ParseUrlEncoded(target.substr(target.find('?') + 1));
    up.remote_ip = "127.0.0.1";
    up.body_file = file;
    up.body_size = static_cast<int64_t>(bytes.size());
    up.headers = {{"authorization", "Bearer " + ApiTokenOf(session)}};
    return dispatcher_->Handle(up);
  }

  // The token a page shown to the holder of session `token` carries (masked, bound to it).
  std::string CsrfFor(const std::string& token) const {
    return MaskedCsrfToken(kCsrf, token.empty() ? "" : Sha256Hex(token));
  }

  // An HTML form posted as a browser would: the CSRF cookie and its token as a field.
  Response PostForm(const std::string& target, const std::string& token,
                    const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body = "csrf=" + CsrfFor(token);
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
    part("csrf", CsrfFor(token));
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
    AddCredentials(req.headers, token);
    return dispatcher_->Handle(req);
  }

  std::string ModeratorToken() {
    EXPECT_TRUE(accounts_->AddOrUpdate("mod_may", "moderator", "correct horse", nullptr).ok());
    return accounts_->OpenSession(*accounts_->Authenticate("mod_may", "correct horse"))->token;
  }

  std::string AdminToken() {
    EXPECT_TRUE(accounts_->AddOrUpdate("root_ann", "admin", "correct horse", nullptr).ok());
    return accounts_->OpenSession(*accounts_->Authenticate("root_ann", "correct horse"))->token;
  }

  static bool Has(const Response& r, std::string_view text) {
    return r.body.find(text) != std::string::npos;
  }

  const std::string kCsrf = std::string(64, 'c');
  int multipart_seq_ = 0;

  MemoryBlobStore blobs_;
  wenku::testing::MemoryDerivedStore derived_;
  DataLayout layout_{dir_ / "data"};
  std::string search_remote_;  // the `search.remote` setting (set before SetUp)
  std::unique_ptr<storage::SessionStore> sessions_;
  std::unique_ptr<storage::CommentStore> comments_;
  std::unique_ptr<accounts::Accounts> accounts_;
  std::unique_ptr<storage::SqlApiTokenStore> api_token_store_;
  std::unique_ptr<accounts::ApiTokens> api_tokens_;
  std::string sensitive_words_;  // the setting moderation.sensitive_words
  std::unique_ptr<moderation::Moderation> moderation_;
  std::unique_ptr<accounts::UserAdmin> user_admin_;
  std::unique_ptr<moderation::DocumentAdmin> document_admin_;
  std::unique_ptr<storage::StatsStore> stats_;
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
  EXPECT_TRUE(r.body.starts_with("unavailable: converter sandbox\n")) << r.body;
  EXPECT_NE(r.body.find("\nconverter sandbox: unavailable: bwrap is missing\n"), std::string::npos)
      << r.body;
  // The other backends answered.
  EXPECT_NE(r.body.find("\ndatabase: ok\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\nblob store: ok\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\nsearch index: ok\n"), std::string::npos) << r.body;
  EXPECT_EQ(r.Get("Cache-Control"), "no-store");
}

TEST_F(SiteActionsTest, HealthNamesABlobStoreThatHasGoneAway) {
  blobs_.FailChecks(Error{ErrorCode::kIo, "blob folder /srv/wenku/blobs is missing"});
  Response r = Call("GET", "/healthz", "");
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(r.body.starts_with("unavailable: blob store, converter sandbox\n")) << r.body;
  EXPECT_NE(r.body.find("\nblob store: unavailable: blob folder /srv/wenku/blobs is missing\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("\ndatabase: ok\n"), std::string::npos) << r.body;
}

// As the server does it: the plan (which names the route), the answer, then Observe.
Response Served(Dispatcher& dispatcher, Request req) {
  BodyPlan plan = dispatcher.Plan(req);
  Response res = dispatcher.Handle(req);
  dispatcher.Observe(req, plan.route, res.status, 0.002);
  return res;
}

Request GetFrom(const std::string& path, const std::string& from, Fields headers = {}) {
  Request req;
  req.method = "GET";
  req.target = path;
  req.path = path;
  req.remote_ip = from;
  req.headers = std::move(headers);
  return req;
}

TEST_F(SiteActionsTest, MetricsCountRequestsByRoutePatternForThisMachineOnly) {
  const DocumentId id = ReadyDocument("metric bytes", 0);
  const std::string page = "/d/" + std::to_string(id);
  EXPECT_EQ(Served(*dispatcher_, GetFrom(page, "198.51.100.7")).status, 200);
  EXPECT_EQ(Served(*dispatcher_, GetFrom("/no/such/page", "198.51.100.7")).status, 404);

  Response m = Served(*dispatcher_, GetFrom("/metrics", "127.0.0.1"));
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_TRUE(m.Get("Content-Type").starts_with("text/plain; version=0.0.4"))
      << m.Get("Content-Type");
  EXPECT_NE(
      m.body.find("\nwenku_http_requests_total{route=\"/d/{id}\",method=\"GET\",code=\"200\"} 1\n"),
      std::string::npos)
      << m.body;
  EXPECT_NE(
      m.body.find("wenku_http_requests_total{route=\"unmatched\",method=\"GET\",code=\"404\"} 1\n"),
      std::string::npos);
  EXPECT_EQ(m.body.find(page + "\""), std::string::npos);  // never the raw path
  EXPECT_NE(m.body.find("wenku_http_request_duration_seconds_count{route=\"/d/{id}\"} 1\n"),
            std::string::npos);
  EXPECT_NE(m.body.find("\nwenku_jobs{state=\"queued\"} 0\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("\nwenku_conversions_total{result=\"ready\"} 3\n"), std::string::npos);
  EXPECT_NE(m.body.find("\nwenku_conversions_total{result=\"retried\"} 2\n"), std::string::npos);
  EXPECT_NE(m.body.find("\nwenku_purchases_total 0\n"), std::string::npos);
  EXPECT_NE(m.body.find("\nwenku_build_info{version=\""), std::string::npos);
  EXPECT_NE(m.body.find("\n# TYPE wenku_page_cache_hits_total counter\n"), std::string::npos);

  // The scrape itself was counted once it was answered.
  Response again = Served(*dispatcher_, GetFrom("/metrics", "::1"));
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.body.find(
                "wenku_http_requests_total{route=\"/metrics\",method=\"GET\",code=\"200\"} 1\n"),
            std::string::npos)
      << again.body;

  // A stranger, a user, and a local proxy forwarding a stranger are refused.
  EXPECT_EQ(Served(*dispatcher_, GetFrom("/metrics", "198.51.100.7")).status, 403);
  Fields as_user;
  AddCredentials(as_user, ApiTokenOf(TokenFor("una_user")));
  EXPECT_EQ(Served(*dispatcher_, GetFrom("/metrics", "198.51.100.7", as_user)).status, 403);
  EXPECT_EQ(
      Served(*dispatcher_, GetFrom("/metrics", "127.0.0.1", {{"x-forwarded-for", "198.51.100.7"}}))
          .status,
      403);
  // An admin's API token works from anywhere.
  Fields as_admin;
  AddCredentials(as_admin, ApiTokenOf(AdminToken()));
  Response scraped = Served(*dispatcher_, GetFrom("/metrics", "198.51.100.7", as_admin));
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("route=\"/metrics\",method=\"GET\",code=\"403\"} 3\n"),
            std::string::npos)
      << scraped.body;
}

TEST_F(SiteActionsTest, MetricsCountPurchasesAndPageCacheAnswers) {
  const DocumentId id = ReadyDocument("for sale", 5);
  const std::string buyer = TokenFor("bea_buyer");
  ASSERT_TRUE(points_->Grant(accounts_->UserForToken(buyer, nullptr)->id, 20, "test").ok());
  Response bought = Call("POST", "/api/v1/documents/" + std::to_string(id) + "/purchase", buyer,
                         {{"idempotency-key", "k1"}});
  ASSERT_EQ(bought.status, 200) << bought.body;
  Call("POST", "/api/v1/documents/" + std::to_string(id) + "/purchase", buyer,
       {{"idempotency-key", "k1"}});  // a replay charges nothing and counts nothing
  // An anonymous page: drawn once (a miss), then answered from the cache (a hit).
  Request home = GetFrom("/sitemaps/0.xml", "198.51.100.7");
  EXPECT_FALSE(dispatcher_->TryFast(home).has_value());
  EXPECT_EQ(dispatcher_->Handle(home).status, 200);
  EXPECT_TRUE(dispatcher_->TryFast(home).has_value());
  Response m = Call("GET", "/metrics", "");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("\nwenku_purchases_total 1\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("\nwenku_page_cache_hits_total 1\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("\nwenku_page_cache_misses_total 1\n"), std::string::npos) << m.body;
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
  ASSERT_TRUE(download.source);  // streamed from the blob store, never a local path
  ASSERT_EQ(download.file_length, static_cast<int64_t>(original.size()));
  std::string bytes, chunk;
  while (bytes.size() < original.size() && download.source->Next(7, chunk) && !chunk.empty()) {
    bytes += chunk;
  }
  EXPECT_EQ(bytes, original);
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

TEST_F(SiteActionsTest, SensitiveWordsHoldAnUploadAndACommentUntilAModeratorApproves) {
  sensitive_words_ = "代写论文\n刷单";
  const std::string alice = TokenFor("alice2");
  const std::string mod = ModeratorToken();
  // An upload whose title holds a listed word (written differently) is held, not refused.
  Response created =
      ApiUpload(alice, "/api/v1/documents?filename=a.txt&title=" + UrlEncode("专业代寫論文"),
                "一篇普通的作文。");
  ASSERT_EQ(created.status, 202) << created.body;
  EXPECT_EQ(JsonOf(created)["held"], true);
  const std::string doc = "/d/" + std::to_string(JsonOf(created)["id"].get<int64_t>());
  EXPECT_EQ(Call("GET", doc, "").status, 404);  // a visitor
  Response own = Call("GET", doc, alice);
  EXPECT_EQ(own.status, 200);
  EXPECT_TRUE(Has(own, "管理员审核通过后才会公开")) << own.body;
  // The queue shows the case with the words found; a moderator approves it.
  Response queue = Call("GET", "/admin", mod);
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(Has(queue, "含敏感词（待审核）"));
  EXPECT_TRUE(Has(queue, "审核通过并公开"));
  auto open = cases_->List({.state = storage::CaseState::kOpen});
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().detail, "代写论文");
  Response approve = PostForm("/admin/cases/" + std::to_string(open->front().id), mod,
                              {{"action", "dismiss"}, {"note", "作文，不是广告"}});
  EXPECT_EQ(approve.status, 303) << approve.body;
  EXPECT_FALSE(library::IsHeld(*documents_->Find(open->front().document)));

  // A comment with a listed word: its author sees it marked, others do not see it.
  const DocumentId ready = ReadyDocument("text", 0);
  const std::string page = "/d/" + std::to_string(ready);
  Response posted = PostForm(page + "/comments", alice, {{"text", "加我刷单，日结"}});
  EXPECT_EQ(posted.status, 303) << posted.body;
  EXPECT_TRUE(Has(Call("GET", page, alice), "待审核：这条评论"));
  EXPECT_FALSE(Has(Call("GET", page, ""), "加我刷单"));
  EXPECT_FALSE(Has(Call("GET", page, TokenFor("bystander")), "加我刷单"));
  auto api = JsonOf(Call("GET", "/api/v1/documents/" + std::to_string(ready) + "/comments", ""));
  EXPECT_TRUE(api["comments"].empty());
  // A clean comment is published at once.
  EXPECT_EQ(PostForm(page + "/comments", alice, {{"text", "写得很好"}}).status, 303);
  EXPECT_TRUE(Has(Call("GET", page, ""), "写得很好"));
}

}  // namespace
}  // namespace wenku::web

namespace wenku::web {
namespace {

TEST_F(SiteActionsTest, AnAdminAddsACategoryThatIsThenOfferedAndListed) {
  const std::string admin = AdminToken();
  const std::string bob = TokenFor("bob_reader");
  Response page = Call("GET", "/admin/categories", admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "id=\"category-education\""));
  EXPECT_TRUE(Has(page, "aria-current=\"page\">分类</a>"));  // the admin navigation
  EXPECT_FALSE(Has(Call("GET", "/upload", bob), "value=\"music\""));
  EXPECT_EQ(Call("GET", "/c/music", "").status, 404);

  // A bad slug: refused, the reason next to the slug field, what was typed kept.
  Response bad = PostForm("/admin/categories", admin,
                          {{"slug", "Music!"}, {"name_zh", "音乐"}, {"name_en", "Music"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Has(bad, "<p class=\"field-error\" id=\"slug-error\">标识须为"));
  EXPECT_TRUE(Has(bad, "value=\"Music!\""));
  Response taken = PostForm("/admin/categories", admin,
                            {{"slug", "law"}, {"name_zh", "法"}, {"name_en", "Law"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_TRUE(Has(taken, "已有分类使用此标识"));

  Response added = PostForm("/admin/categories", admin,
                            {{"slug", "music"}, {"name_zh", "音乐"}, {"name_en", "Music"}});
  ASSERT_EQ(added.status, 303) << added.body;
  Response upload = Call("GET", "/upload", bob);
  EXPECT_TRUE(Has(upload, "<option value=\"music\" >音乐</option>"));
  Response listing = Call("GET", "/c/music", "");
  ASSERT_EQ(listing.status, 200);
  EXPECT_TRUE(Has(listing, "音乐"));
  EXPECT_TRUE(Has(Call("GET", "/", ""), "/c/music"));
  auto api = JsonOf(Call("GET", "/api/v1/categories", ""));
  EXPECT_EQ(api["categories"].back()["slug"], "music");
  EXPECT_EQ(api["categories"].back()["name_zh"], "音乐");

  // Renamed: the new names everywhere, the slug kept; each change in the audit log.
  ASSERT_EQ(PostForm("/admin/categories/music", admin,
                     {{"action", "rename"}, {"name_zh", "音乐舞蹈"}, {"name_en", "Music"}})
                .status,
            303);
  EXPECT_TRUE(Has(Call("GET", "/c/music", ""), "音乐舞蹈"));
  Response empty_name = PostForm("/admin/categories/music", admin,
                                 {{"action", "rename"}, {"name_zh", ""}, {"name_en", "M"}});
  EXPECT_EQ(empty_name.status, 400);
  EXPECT_TRUE(Has(empty_name, "id=\"name-error-music\">中文名和英文名都须为"));
  auto log = cases_->RecentAudit(10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].action, "category_rename");
  EXPECT_EQ((*log)[1].action, "category_add");
  EXPECT_EQ((*log)[1].actor_name, "root_ann");
}

TEST_F(SiteActionsTest, AHiddenCategoryIsNotOfferedAndItsListingIsForModeratorsOnly) {
  const DocumentId id = ReadyDocument("a law text", 0, "law");
  const std::string admin = AdminToken();
  const std::string mod = ModeratorToken();
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("GET", "/c/law", "").status, 200);
  ASSERT_EQ(PostForm("/admin/categories/law", admin, {{"action", "hide"}}).status, 303);

  EXPECT_EQ(Call("GET", "/c/law", "").status, 404);
  EXPECT_EQ(Call("GET", "/c/law", bob).status, 404);
  EXPECT_EQ(Call("GET", "/c/law", mod).status, 200);
  EXPECT_FALSE(Has(Call("GET", "/upload", bob), "value=\"law\""));
  EXPECT_FALSE(Has(Call("GET", "/", ""), "/c/law"));
  EXPECT_FALSE(Has(Call("GET", "/api/v1/categories", ""), "\"law\""));
  // Its document keeps the category and shows its name.
  Response doc = Call("GET", "/d/" + std::to_string(id), "");
  ASSERT_EQ(doc.status, 200);
  EXPECT_TRUE(Has(doc, "法律"));
  EXPECT_FALSE(Has(doc, "href=\"/c/law\""));
  // An upload naming it is refused next to the category field.
  Response upload =
      PostMultipart("/upload", bob, {{"title", "t"}, {"category", "law"}, {"price", "0"}});
  EXPECT_EQ(upload.status, 400);
  EXPECT_TRUE(Has(upload, "category-error"));

  // The default category cannot be hidden: said next to its row.
  Response other = PostForm("/admin/categories/other", admin, {{"action", "hide"}});
  EXPECT_EQ(other.status, 400);
  EXPECT_TRUE(Has(other, "默认分类“其他”不能隐藏"));
  EXPECT_TRUE(Has(Call("GET", "/upload", bob), "value=\"other\""));

  ASSERT_EQ(PostForm("/admin/categories/law", admin, {{"action", "show"}}).status, 303);
  EXPECT_EQ(Call("GET", "/c/law", "").status, 200);
}

TEST_F(SiteActionsTest, OnlyAdminsChangeCategories) {
  const std::string mod = ModeratorToken();
  const Fields json = {{"content-type", "application/json"}};
  Response page = Call("GET", "/admin/categories", mod);
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(
      PostForm("/admin/categories", mod, {{"slug", "music"}, {"name_zh", "音乐"}, {"name_en", "M"}})
          .status,
      403);
  EXPECT_EQ(PostForm("/admin/categories/law", mod, {{"action", "hide"}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/admin/categories", mod, json,
                 R"({"slug":"music","name_zh":"音乐","name_en":"Music"})")
                .status,
            403);
  EXPECT_EQ(Call("GET", "/admin/categories", "").status, 303);         // log in first
  EXPECT_FALSE(Has(Call("GET", "/admin", mod), "/admin/categories"));  // not linked for them
  EXPECT_FALSE(categories_->Find("music"));
  EXPECT_FALSE(categories_->Find("law")->hidden);
}

TEST_F(SiteActionsTest, AdminsChangeCategoriesThroughTheApi) {
  const std::string admin = AdminToken();
  const Fields json = {{"content-type", "application/json"}};
  Response bad = Call("POST", "/api/v1/admin/categories", admin, json,
                      R"({"slug":"music","name_zh":"","name_en":"Music"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(JsonOf(bad)["error"]["field"], "name_zh");
  Response added = Call("POST", "/api/v1/admin/categories", admin, json,
                        R"({"slug":"music","name_zh":"音乐","name_en":"Music"})");
  ASSERT_EQ(added.status, 201) << added.body;
  Response up = Call("POST", "/api/v1/admin/categories/music", admin, json, R"({"action":"up"})");
  ASSERT_EQ(up.status, 200) << up.body;
  auto list = JsonOf(Call("GET", "/api/v1/categories", ""))["categories"];
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[list.size() - 2]["slug"], "music");  // now before "other"
  Response hidden =
      Call("POST", "/api/v1/admin/categories/music", admin, json, R"({"action":"hide"})");
  ASSERT_EQ(hidden.status, 200);
  EXPECT_EQ(JsonOf(hidden)["hidden"], true);
  EXPECT_EQ(
      Call("POST", "/api/v1/admin/categories/nope", admin, json, R"({"action":"hide"})").status,
      404);
}

TEST_F(SiteActionsTest, OrdinaryUsersGet403OnEveryNewAdminRoute) {
  const DocumentId id = ReadyDocument("mine", 0);
  const std::string bob = TokenFor("bob_reader");
  const std::string doc = "/admin/documents/" + std::to_string(id);
  for (const char* target : {"/admin/documents", "/admin/documents?state=failed", "/admin/stats",
                             "/admin/cases/1/proof", "/api/v1/admin/documents"}) {
    EXPECT_EQ(Call("GET", target, bob).status, 403) << target;
  }
  EXPECT_EQ(PostForm(doc, bob, {{"action", "edit"}, {"title", "hacked"}, {"price", "0"}}).status,
            403);
  EXPECT_EQ(PostForm(doc, bob, {{"action", "delete"}, {"note", "x"}}).status, 403);
  EXPECT_EQ(PostForm(doc, bob, {{"action", "retry"}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/admin/documents/" + std::to_string(id), bob,
                 {{"content-type", "application/json"}}, R"({"action":"delete","note":"x"})")
                .status,
            403);
  EXPECT_EQ(Call("GET", "/admin/documents", "").status, 303);  // log in first
  EXPECT_EQ(documents_->Find(id)->title, "notes");
}

TEST_F(SiteActionsTest, AModeratorFindsEditsRetriesAndDeletesDocuments) {
  const DocumentId ready = ReadyDocument("fine", 3);
  const DocumentId failed = FailedDocument("garbage", "无法转换：文件已损坏 <broken>");
  const std::string mod = ModeratorToken();
  const std::string row_ready = "id=\"doc-" + std::to_string(ready) + "\"";
  const std::string row_failed = "id=\"doc-" + std::to_string(failed) + "\"";

  Response all = Call("GET", "/admin/documents", mod);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_TRUE(Has(all, row_ready) && Has(all, row_failed));
  EXPECT_TRUE(Has(all, "aria-current=\"page\">文档"));
  Response failures = Call("GET", "/admin/documents?state=failed", mod);
  EXPECT_TRUE(Has(failures, row_failed));
  EXPECT_FALSE(Has(failures, row_ready));
  EXPECT_TRUE(Has(failures, "无法转换：文件已损坏 &lt;broken&gt;"));  // its reason, escaped
  EXPECT_TRUE(Has(failures, "value=\"retry\""));
  EXPECT_TRUE(Has(Call("GET", "/admin/documents?q=BROK", mod), row_failed));  // filename
  EXPECT_FALSE(Has(Call("GET", "/admin/documents?q=BROK", mod), row_ready));
  EXPECT_TRUE(Has(Call("GET", "/admin/documents?q=" + std::to_string(ready), mod), row_ready));
  EXPECT_FALSE(Has(Call("GET", "/admin/documents?uploader=bob", mod), row_ready));
  EXPECT_EQ(Call("GET", "/admin/documents?page=999999999", mod).status, 200);  // bounded
  auto listed = JsonOf(Call("GET", "/api/v1/admin/documents?state=failed", mod));
  ASSERT_EQ(listed["documents"].size(), 1u);
  EXPECT_EQ(listed["documents"][0]["id"], failed);
  EXPECT_EQ(listed["documents"][0]["failure_reason"], "无法转换：文件已损坏 <broken>");
  EXPECT_EQ(Call("GET", "/api/v1/admin/documents?state=nope", mod).status, 400);

  // Edit: an over-long title is refused by the upload's rule, next to the field.
  const std::string edit = "/admin/documents/" + std::to_string(ready);
  std::string too_long;
  for (int i = 0; i < 201; ++i) too_long += "字";
  Response refused = PostForm(edit, mod,
                              {{"action", "edit"},
                               {"title", too_long},
                               {"category", "other"},
                               {"price", "3"},
                               {"f_page", "1"}});
  EXPECT_EQ(refused.status, 400);
  const size_t field = refused.body.find("id=\"title-error-" + std::to_string(ready) + "\"");
  ASSERT_NE(field, std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("标题最多 200 个字符", field), std::string::npos);
  EXPECT_EQ(documents_->Find(ready)->title, "notes");
  EXPECT_EQ(Call("POST", "/api/v1/admin/documents/" + std::to_string(ready), mod,
                 {{"content-type", "application/json"}},
                 R"({"action":"edit","title":")" + too_long + R"(","price":1})")
                .status,
            400);

  Response edited = PostForm(edit, mod,
                             {{"action", "edit"},
                              {"title", "读书笔记"},
                              {"category", "other"},
                              {"price", "8"},
                              {"description", "改过的简介"},
                              {"note", "标题含广告"},
                              {"f_state", "ready"},
                              {"f_page", "1"}});
  ASSERT_EQ(edited.status, 303) << edited.body;
  EXPECT_EQ(edited.Get("Location"), "/admin/documents?q=&state=ready");
  EXPECT_EQ(documents_->Find(ready)->title, "读书笔记");
  EXPECT_EQ(documents_->Find(ready)->price, 8);
  Response audit = Call("GET", "/api/v1/admin/documents/" + std::to_string(ready) + "/audit", mod);
  EXPECT_EQ(JsonOf(audit)["entries"].back()["action"], "edit");
  EXPECT_EQ(JsonOf(audit)["entries"].back()["actor"], "mod_may");
  EXPECT_EQ(JsonOf(audit)["entries"].back()["note"], "标题含广告");
  EXPECT_TRUE(Has(Call("GET", "/admin/documents?q=读书", mod), row_ready));

  // Retry: the failed document is queued again and a worker can claim it.
  ASSERT_EQ(PostForm("/admin/documents/" + std::to_string(failed), mod,
                     {{"action", "retry"}, {"f_page", "1"}})
                .status,
            303);
  EXPECT_EQ(documents_->Find(failed)->state, DocState::kQueued);
  auto job = jobs_->Claim("test-worker", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->document_id, failed);
  EXPECT_EQ(PostForm("/admin/documents/" + std::to_string(ready), mod,
                     {{"action", "retry"}, {"f_page", "1"}})
                .status,
            409);  // only a failed document

  // Delete: a note is required; then the document is gone, also from the API.
  EXPECT_EQ(PostForm(edit, mod, {{"action", "delete"}, {"note", ""}}).status, 400);
  ASSERT_EQ(
      PostForm(edit, mod, {{"action", "delete"}, {"note", "重复上传"}, {"f_page", "1"}}).status,
      303);
  EXPECT_EQ(documents_->Find(ready).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(ready), "").status, 404);
  EXPECT_FALSE(Has(Call("GET", "/admin/documents", mod), row_ready));
  EXPECT_EQ(Call("POST", "/api/v1/admin/documents/" + std::to_string(failed), mod,
                 {{"content-type", "application/json"}}, R"({"action":"delete","note":"清理"})")
                .status,
            200);
  EXPECT_EQ(documents_->Find(failed).error().code, ErrorCode::kNotFound);
}

TEST_F(SiteActionsTest, TheStatsPageCountsTodaysUploadsAndDownloads) {
  const DocumentId free_doc = ReadyDocument("free", 0);
  const DocumentId priced = ReadyDocument("priced", 5);
  FailedDocument("garbage", "文件已损坏");
  FailedDocument("garbage 2", "文件已损坏");
  const std::string bob = TokenFor("bob_reader");
  ASSERT_EQ(Call("GET", "/d/" + std::to_string(free_doc) + "/download", bob).status, 200);
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + std::to_string(priced) + "/purchase", bob,
                 {{"idempotency-key", "k"}})
                .status,
            200);
  const std::string mod = ModeratorToken();
  Response stats = Call("GET", "/admin/stats", mod);
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_TRUE(Has(stats, "aria-current=\"page\">统计"));
  EXPECT_TRUE(
      Has(stats, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"stats-chart stats-uploads\""));
  EXPECT_TRUE(Has(stats, "stats-points-spent"));
  const std::string today = points_->zone().Date(clock_.NowMs());
  EXPECT_TRUE(Has(stats, "<tr data-date=\"" + today + "\"><td>" + today +
                             "</td><td class=\"uploads\">4</td><td class=\"ready\">2</td><td "
                             "class=\"failed\">2</td><td class=\"downloads\">1</td><td "
                             "class=\"purchases\">1</td><td class=\"points-spent\">5</td>"))
      << stats.body;
  EXPECT_TRUE(Has(stats, "<title>" + today + ": 4</title>"));  // the uploads bar of today
  EXPECT_TRUE(
      Has(stats, "<td class=\"failure-reason\">文件已损坏</td><td class=\"failure-count\">2</td>"));
  EXPECT_TRUE(Has(stats, "<strong class=\"queue-length\">0</strong>"));
}

TEST_F(SiteActionsTest, AClaimsProofFileIsForModeratorsOnly) {
  const DocumentId id = ReadyDocument("someone's book", 0);
  const std::string carol = TokenFor("carol_author");
  const std::string pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
  Response claimed =
      PostMultipart("/d/" + std::to_string(id) + "/claim", carol,
                    {{"work", "《我的书》"}, {"proof", "出版合同"}, {"contact", "c@d.cn"}}, pdf);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  auto cases = cases_->List({});
  ASSERT_TRUE(cases.ok() && cases->size() == 1);
  const std::string proof = "/admin/cases/" + std::to_string((*cases)[0].id) + "/proof";
  const std::string mod = ModeratorToken();
  EXPECT_TRUE(Has(Call("GET", "/admin?type=claim", mod), "href=\"" + proof + "\""));
  Response file = Call("GET", proof, mod);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.Get("Content-Type"), "application/pdf");
  EXPECT_TRUE(file.Get("Content-Disposition").starts_with("attachment"))
      << file.Get("Content-Disposition");
  EXPECT_EQ(file.Get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Call("GET", proof, carol).status, 403);  // not even the claimant
  EXPECT_EQ(Call("GET", proof, TokenFor("bob_reader")).status, 403);
  EXPECT_EQ(Call("GET", "/admin/cases/999/proof", mod).status, 404);
}

TEST_F(SiteActionsTest, AScanShowsItsPagesAsBeingRecognisedUntilItsTextArrives) {
  storage::PublishedPages pages;
  pages.pages = {Page{1, "", TextSource::kNone, 595, 842},
                 Page{2, "typed page", TextSource::kLayer, 595, 842}};
  pages.preview_pages = 2;
  pages.recognise_text = true;
  const DocumentId id = Published("a scanned page", "scan.pdf", pages);
  const std::string d = "/d/" + std::to_string(id);

  Response waiting = Call("GET", d, "");
  ASSERT_EQ(waiting.status, 200);
  const size_t marker = waiting.body.find("本页文字正在识别中");
  ASSERT_NE(marker, std::string::npos) << waiting.body;
  EXPECT_LT(marker, waiting.body.find("id=\"p2\""));  // under page 1 only: page 2 has text
  EXPECT_EQ(waiting.body.find("本页文字正在识别中", marker + 1), std::string::npos);
  Response api = Call("GET", "/api/v1/documents/" + std::to_string(id), "");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(nlohmann::json::parse(api.body)["text_pending"], true);

  auto ocr = jobs_->Claim("test-ocr", 60'000, storage::kOcrJob);
  ASSERT_TRUE(ocr.ok() && ocr->has_value());
  ASSERT_TRUE(documents_
                  ->AmendText(id, (*ocr)->id, "test-ocr",
                              {Page{1, "扫描出的文字", TextSource::kOcr, 595, 842}})
                  .ok());
  clock_.Advance(60'000);  // past the page cache's lifetime
  Response done = Call("GET", d, "");
  EXPECT_FALSE(Has(done, "本页文字正在识别中"));
  EXPECT_TRUE(Has(done, "1、扫描出的文字"));
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
                      {{"cookie", "wenku_csrf=" + kCsrf}, {"x-csrf-token", CsrfFor(admin)}},
                      R"({"economy.commission_percent":150})");
  EXPECT_EQ(api.status, 400) << api.body;
  EXPECT_EQ(JsonOf(api)["fields"]["economy.commission_percent"], "请输入 0 到 100 之间的整数。");

  // A valid change through the API: the site's name on the next page.
  api = Call("POST", "/api/v1/admin/settings", admin,
             {{"cookie", "wenku_csrf=" + kCsrf}, {"x-csrf-token", CsrfFor(admin)}},
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

// Every route of the admin area, read from the route table itself (so a route added later is
// covered): an ordinary user gets 403, a visitor is sent to log in (401 on the API), the
// role the route names gets past the check, and a moderator is refused the admin-only ones.
TEST_F(SiteActionsTest, EveryAdminRouteRefusesOrdinaryUsersAndAdmitsItsRole) {
  ReadyDocument("a document for the admin routes", 0);
  const std::string user = TokenFor("plain_user");
  const std::string mod = ModeratorToken();
  const std::string admin = AdminToken();
  int checked = 0;
  for (const Route& r : Routes()) {
    std::string path(r.pattern);
    const bool api = path.starts_with("/api/v1/admin");
    if (!api && !path.starts_with("/admin")) continue;
    for (auto [param, value] :
         {std::pair<std::string_view, std::string_view>{"{id}", "1"}, {"{slug}", "other"}}) {
      if (auto at = path.find(param); at != std::string::npos) {
        path.replace(at, param.size(), value);
      }
    }
    const std::string method(r.method == Method::kGet    ? "GET"
                             : r.method == Method::kPost ? "POST"
                                                         : "DELETE");
    auto call = [&](const std::string& token) {
      if (r.body == Body::kForm) return PostForm(path, token, {});
      if (r.body == Body::kJson) {
        return Call(method, path, token, {{"content-type", "application/json"}}, "{}");
      }
      return Call(method, path, token);
    };
    EXPECT_EQ(call(user).status, 403) << method << " " << path;
    EXPECT_EQ(call("").status, api ? 401 : 303) << method << " " << path;
    EXPECT_NE(call(r.who == Who::kAdmin ? admin : mod).status, 403) << method << " " << path;
    if (r.who == Who::kAdmin) EXPECT_EQ(call(mod).status, 403) << method << " " << path;
    ++checked;
  }
  EXPECT_GE(checked, 25);  // the admin area as built: cases, documents, users, categories, …
}

// Listings are paged at most kMaxListingPage deep: a deeper ?page= is the last page, with
// no link further (an OFFSET costs every row it skips).
// A sitemap part reads up to 10,000 rows: however many crawlers ask, it is drawn about once
// a minute (the page cache keeps it at least that long); a change made through the site
// clears it at once.
TEST_F(SiteActionsTest, SitemapsAreDrawnAboutOnceAMinute) {
  ReadyDocument("first", 0);
  auto get = [&](const std::string& path) {
    Request req;
    req.method = "GET";
    req.target = req.path = path;
    req.remote_ip = "127.0.0.1";
    if (auto hit = dispatcher_->TryFast(req)) return std::move(*hit);
    return dispatcher_->Handle(req);
  };
  Response first = get("/sitemaps/0.xml");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Has(first, "/d/1<"));
  const DocumentId second = ReadyDocument("second", 0);  // by a worker: no request clears
  const std::string loc = "/d/" + std::to_string(second) + "<";
  clock_.Advance(30'000);
  EXPECT_FALSE(Has(get("/sitemaps/0.xml"), loc)) << "drawn again within the minute";
  clock_.Advance(31'000);
  EXPECT_TRUE(Has(get("/sitemaps/0.xml"), loc)) << "a minute later";
  // A change through the site (a comment) clears it at once.
  const DocumentId third = ReadyDocument("third", 0);
  ASSERT_EQ(PostForm("/d/" + std::to_string(third) + "/comments", TokenFor("commenter"),
                     {{"text", "好文档"}})
                .status,
            303);
  EXPECT_TRUE(Has(get("/sitemaps/0.xml"), "/d/" + std::to_string(third) + "<"));
}

TEST_F(SiteActionsTest, ListingsArePagedToACappedDepth) {
  ReadyDocument("a listed document", 0);
  Response deep = Call("GET", "/u/alice?page=999999", "");
  ASSERT_EQ(deep.status, 200);
  EXPECT_FALSE(Has(deep, "page=100001"));
  EXPECT_FALSE(Has(deep, "page=101"));
  auto api = JsonOf(Call("GET", "/api/v1/documents?page=999999999", ""));
  EXPECT_EQ(api["page"], kMaxListingPage);
  EXPECT_TRUE(api["documents"].empty());
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/documents", ""))["documents"].size(), 1u);
}

// A page view counts once per visitor per half hour: reloads, HEAD requests and the page
// cache answering again are not more views; another visitor or a later visit is.
TEST_F(SiteActionsTest, AVisitorsReloadsCountAsOneView) {
  const DocumentId id = ReadyDocument("a document to view", 0);
  const std::string page = "/d/" + std::to_string(id);
  const std::string bob = TokenFor("bob_viewer");
  auto views = [&] {
    site_->views().Flush();
    return documents_->Find(id)->views;
  };
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Call("GET", page, "").status, 200);
  EXPECT_EQ(Call("HEAD", page, bob).status, 200);
  EXPECT_EQ(views(), 1);
  ASSERT_EQ(Call("GET", page, bob).status, 200);
  ASSERT_EQ(Call("GET", page, bob).status, 200);
  EXPECT_EQ(views(), 2);
  clock_.Advance(kViewWindowMs);
  ASSERT_EQ(Call("GET", page, bob).status, 200);
  EXPECT_EQ(views(), 3);
}

TEST_F(SiteActionsTest, WithPresignADownloadIsARedirectAfterTheSameChecks) {
  blobs_.presign_base = "http://s3.example/bucket/";
  const DocumentId id = ReadyDocument("free bytes", 0);
  const std::string url = "/d/" + std::to_string(id) + "/download";
  const auto sha = documents_->Find(id)->blob_sha256;
  // Anonymous visitors must log in first: no URL is handed out.
  Response anonymous = Call("GET", url, "");
  EXPECT_NE(anonymous.status, 302);
  EXPECT_EQ(anonymous.Get("Location").find("s3.example"), std::string::npos);
  EXPECT_EQ(documents_->Find(id)->downloads, 0);
  // A user: a short-lived URL with the file name and type, counted as a download.
  Response presigned = Call("GET", url, TokenFor("bob_presign"));
  ASSERT_EQ(presigned.status, 302);
  EXPECT_EQ(presigned.Get("Location"),
            "http://s3.example/bucket/" + sha +
                "?expires=300&disposition=attachment; filename=\"notes.txt\"; "
                "filename*=UTF-8''notes.txt&type=application/octet-stream");
  EXPECT_EQ(presigned.Get("Cache-Control"), "private, no-store");
  EXPECT_FALSE(presigned.source);
  EXPECT_EQ(documents_->Find(id)->downloads, 1);
  // A priced document not bought: sent to the confirm step, no URL.
  const DocumentId priced = ReadyDocument("priced bytes", 5);
  Response unbought =
      Call("GET", "/d/" + std::to_string(priced) + "/download", TokenFor("carol_presign"));
  EXPECT_EQ(unbought.status, 303);
  EXPECT_EQ(unbought.Get("Location"), "/d/" + std::to_string(priced) + "/buy");
}

TEST_F(SiteActionsTest, ADownloadCountsOncePerUserAndDayAndOnlyFromTheFirstByte) {
  const DocumentId id = ReadyDocument(std::string(1000, 'x'), 0);
  const std::string url = "/d/" + std::to_string(id) + "/download";
  const std::string bob = TokenFor("bob_dl");
  auto downloads = [&] { return documents_->Find(id)->downloads; };
  // HEAD and a resumption from byte 100 send the file (or its headers), but count nothing.
  EXPECT_EQ(Call("HEAD", url, bob).status, 200);
  Response resumed = Call("GET", url, bob, {{"range", "bytes=100-"}});
  EXPECT_EQ(resumed.status, 206);
  EXPECT_EQ(resumed.file_offset, 100);
  EXPECT_EQ(downloads(), 0);
  // Two whole downloads the same day count once; another user's counts too.
  EXPECT_EQ(Call("GET", url, bob).status, 200);
  EXPECT_EQ(Call("GET", url, bob).status, 200);
  EXPECT_EQ(Call("GET", url, bob, {{"range", "bytes=0-"}}).status, 206);
  EXPECT_EQ(downloads(), 1);
  EXPECT_EQ(Call("GET", url, TokenFor("carl_dl")).status, 200);
  EXPECT_EQ(downloads(), 2);
  // The next day in site.time_zone bob's download counts again.
  const int64_t now = clock_.NowMs();
  clock_.Advance(points_->zone().DayStart(now, 1) - now);
  const std::string bob_again =
      accounts_->OpenSession(*accounts_->Authenticate("bob_dl", "correct horse"))->token;
  EXPECT_EQ(Call("GET", url, bob_again).status, 200);
  EXPECT_EQ(downloads(), 3);
}

TEST_F(SiteActionsTest, TheFileNameAndSha256AreShownToTheOwnerAndModeratorsOnly) {
  const DocumentId id = ReadyDocument("some bytes", 0);
  const std::string api = "/api/v1/documents/" + std::to_string(id);
  const std::string sha = documents_->Find(id)->blob_sha256;
  for (const std::string& token : {std::string(), TokenFor("bob_fd")}) {
    auto j = JsonOf(Call("GET", api, token));
    EXPECT_EQ(j["title"], "notes");
    EXPECT_FALSE(j.contains("sha256")) << j;
    EXPECT_FALSE(j.contains("filename")) << j;
    auto list = JsonOf(Call("GET", "/api/v1/documents", token));
    ASSERT_EQ(list["documents"].size(), 1u);
    EXPECT_FALSE(list["documents"][0].contains("sha256"));
    EXPECT_FALSE(list["documents"][0].contains("filename"));
  }
  const std::string alice = accounts_->OpenSession(*users_->FindById(alice_))->token;
  for (const std::string& token : {alice, ModeratorToken()}) {
    auto j = JsonOf(Call("GET", api, token));
    EXPECT_EQ(j["sha256"], sha);
    EXPECT_EQ(j["filename"], "notes.txt");
  }
}

TEST_F(SiteActionsTest, AnUploadsFileNameIsStoredWithoutBidiControls) {
  const std::string alice = TokenFor("alice_bidi");
  Response created = ApiUpload(
      alice, "/api/v1/documents?filename=" + UrlEncode("evil\u202Etxt.exe"), "plain text");
  ASSERT_EQ(created.status, 202) << created.body;
  const DocumentId id = JsonOf(created)["id"].get<int64_t>();
  EXPECT_EQ(documents_->Find(id)->filename, "eviltxt.exe");
  EXPECT_EQ(documents_->Find(id)->title, "eviltxt");
  auto j = JsonOf(Call("GET", "/api/v1/documents/" + std::to_string(id), alice));
  EXPECT_EQ(j["filename"], "eviltxt.exe");
}

TEST_F(SiteActionsTest, AUserNameIsStoredInNfcAndBidiControlsAreRefused) {
  // "josé" typed with a combining accent registers as the precomposed name and logs in
  // either way.
  Response made =
      PostForm("/register", "", {{"name", "jose\xCC\x81"}, {"password", "correct horse"}});
  EXPECT_EQ(made.status, 303) << made.body;
  EXPECT_TRUE(users_->FindByName("jos\xC3\xA9").ok());
  EXPECT_TRUE(accounts_->Authenticate("jose\xCC\x81", "correct horse").ok());
  Response bidi =
      PostForm("/register", "", {{"name", "abc\u202Edef"}, {"password", "correct horse"}});
  EXPECT_EQ(bidi.status, 400);
  EXPECT_FALSE(users_->FindByName("abc\u202Edef").ok());
  EXPECT_FALSE(users_->FindByName("abcdef").ok());
}

TEST_F(SiteActionsTest, ANameLikeAnExistingOneIsRefusedNextToTheNameField) {
  // bob exists (the fixture): capitals and a digit zero make "B0B" a look-alike; Latin with a
  // Cyrillic "о" is refused for mixing scripts.
  Response look_alike = PostForm("/register", "", {{"name", "B0B"}, {"password", "correct horse"}});
  EXPECT_EQ(look_alike.status, 409) << look_alike.body;
  EXPECT_TRUE(Has(look_alike, "id=\"name-error\">该用户名与已有用户名过于相似"));
  Response mixed =
      PostForm("/register", "", {{"name", "b\u043eb-x"}, {"password", "correct horse"}});
  EXPECT_EQ(mixed.status, 400);
  EXPECT_TRUE(Has(mixed, "id=\"name-error\">用户名不能混用容易混淆的文字"));
  EXPECT_FALSE(users_->FindByName("B0B").ok());
}

// Sessions (ASVS V3): an idle timeout with sliding renewal and an absolute limit.
TEST_F(SiteActionsTest, ASessionUnusedForTwoHoursIsRefusedAndTheVisitorIsAnonymous) {
  const std::string token = TokenFor("idle_ida");
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 200);
  clock_.Advance(2 * 3600'000);
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 401);
  Response page = Call("GET", "/me", token);
  EXPECT_EQ(page.status, 303);  // the cookie is refused: a visitor, sent to log in
  EXPECT_EQ(db_->QueryOne("SELECT COUNT(*) FROM sessions", {})->Int(0), 0);  // and deleted
}

TEST_F(SiteActionsTest, ASessionInUseIsRenewedUntilTheAbsoluteLimit) {
  const std::string token = TokenFor("busy_bo");
  for (int i = 0; i < 10; ++i) {  // a request every 90 minutes: 15 hours in all
    clock_.Advance(90 * 60'000);
    ASSERT_EQ(Call("GET", "/api/v1/me", token).status, 200) << i;
  }
  // Used every hour, it still ends 30 days after it was made.
  const int64_t hour = 3600'000;
  for (int h = 15; h < 30 * 24 - 1; ++h) {
    clock_.Advance(hour);
    ASSERT_EQ(Call("GET", "/api/v1/me", token).status, 200) << h;
  }
  clock_.Advance(hour);
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 401);
}

TEST_F(SiteActionsTest, ChangingThePasswordEndsTheOtherSessionAndKeepsThisOne) {
  const std::string here = TokenFor("pat");
  const std::string elsewhere =
      accounts_->OpenSession(*accounts_->Authenticate("pat", "correct horse"))->token;
  Response form = Call("GET", "/me/password", here);
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(Has(form, "id=\"password-form\""));
  EXPECT_EQ(Call("GET", "/me/password", "").status, 303);  // log in first

  Response r = PostForm("/me/password", here,
                        {{"current", "correct horse"},
                         {"new", "长城长城长城长城长城长城"},
                         {"again", "长城长城长城长城长城长城"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r, "id=\"password-changed\""));
  EXPECT_EQ(Call("GET", "/api/v1/me", here).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", elsewhere).status, 401);
  EXPECT_FALSE(accounts_->Authenticate("pat", "correct horse").ok());
  EXPECT_TRUE(accounts_->Authenticate("pat", "长城长城长城长城长城长城").ok());
}

TEST_F(SiteActionsTest, APasswordChangeShowsEachProblemNextToItsField) {
  const std::string token = TokenFor("quinn");
  Response wrong = PostForm("/me/password", token,
                            {{"current", "not my password"},
                             {"new", "a brand new password"},
                             {"again", "a brand new password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(Has(wrong, "id=\"current-error\">当前密码不正确"));
  EXPECT_FALSE(Has(wrong, "id=\"password-changed\""));

  Response weak = PostForm("/me/password", token,
                           {{"current", "correct horse"}, {"new", "abc"}, {"again", "abc"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_TRUE(Has(weak, "id=\"new-error\">密码须为 12–256 个字符"));

  Response differ = PostForm("/me/password", token,
                             {{"current", "correct horse"},
                              {"new", "a brand new password"},
                              {"again", "a brand new passw0rd"}});
  EXPECT_EQ(differ.status, 400);
  EXPECT_TRUE(Has(differ, "id=\"again-error\">"));
  EXPECT_TRUE(accounts_->Authenticate("quinn", "correct horse").ok());  // nothing changed

  // Wrong current passwords count like failed log-ins: enough of them and even the right
  // one is refused for a while.
  Response last;
  for (int i = 0; i < 20; ++i) {
    last = PostForm("/me/password", token,
                    {{"current", "guess number " + std::to_string(i)},
                     {"new", "a brand new password"},
                     {"again", "a brand new password"}});
  }
  EXPECT_EQ(last.status, 429);
  Response blocked = PostForm("/me/password", token,
                              {{"current", "correct horse"},
                               {"new", "a brand new password"},
                               {"again", "a brand new password"}});
  EXPECT_EQ(blocked.status, 429);
  EXPECT_TRUE(Has(blocked, "登录尝试过多，请 1 秒后再试")) << blocked.body;
  EXPECT_EQ(blocked.Get("Retry-After"), "1");
  EXPECT_TRUE(accounts_->Authenticate("quinn", "correct horse").ok());
  // A delay, not a lock: a second later the right password is taken.
  clock_.Advance(1000);
  Response changed = PostForm("/me/password", token,
                              {{"current", "correct horse"},
                               {"new", "a brand new password"},
                               {"again", "a brand new password"}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_TRUE(accounts_->Authenticate("quinn", "a brand new password").ok());
}

TEST_F(SiteActionsTest, TheApiChangesThePasswordAndEndsTheOtherSessions) {
  const std::string here = TokenFor("ravi");
  const std::string elsewhere =
      accounts_->OpenSession(*accounts_->Authenticate("ravi", "correct horse"))->token;
  Fields json = {{"content-type", "application/json"}};
  Response wrong = Call("POST", "/api/v1/me/password", here, json,
                        R"({"current":"nope nope nope","new":"a brand new password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(JsonOf(wrong)["error"]["message"], "当前密码不正确");
  Response weak =
      Call("POST", "/api/v1/me/password", here, json, R"({"current":"correct horse","new":"abc"})");
  EXPECT_EQ(weak.status, 400);
  Response ok = Call("POST", "/api/v1/me/password", here, json,
                     R"({"current":"correct horse","new":"a brand new password"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(JsonOf(ok)["ended_sessions"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/me", here).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", elsewhere).status, 401);
}

// API tokens (ASVS V3.5): separate from sessions, revocable, listed without their secret.
TEST_F(SiteActionsTest, ATokenIsMadeOnceListedWithoutItsSecretAndRefusedOnceRevoked) {
  const std::string session = TokenFor("tom_tokens");
  const Fields json = {{"content-type", "application/json"}};
  Response made = Call("POST", "/api/v1/tokens", session, json, R"({"name":"备份脚本"})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.Get("Cache-Control"), "no-store");
  const std::string secret = JsonOf(made)["token"];
  const int64_t id = JsonOf(made)["id"];
  EXPECT_TRUE(secret.starts_with("wk_"));
  EXPECT_EQ(JsonOf(made)["name"], "备份脚本");

  Response me = Call("GET", "/api/v1/me", secret);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(JsonOf(me)["name"], "tom_tokens");

  Response list = Call("GET", "/api/v1/tokens", secret);
  ASSERT_EQ(list.status, 200);
  auto tokens = JsonOf(list)["tokens"];
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["name"], "备份脚本");
  EXPECT_EQ(tokens[0]["id"], id);
  EXPECT_TRUE(tokens[0]["created_at"].is_number());
  EXPECT_TRUE(tokens[0]["last_used_at"].is_number());  // just used
  EXPECT_FALSE(tokens[0].contains("token"));
  EXPECT_EQ(list.body.find(secret.substr(3)), std::string::npos);
  // Only a hash is stored.
  EXPECT_EQ(db_->QueryOne("SELECT token_hash FROM api_tokens WHERE id = ?", {id})->Text(0),
            Sha256Hex(secret));

  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), session).status, 204);
  Response after = Call("GET", "/api/v1/me", secret);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(JsonOf(after)["error"]["code"], "unauthenticated");
  EXPECT_EQ(Call("GET", "/api/v1/documents", secret).status, 401);  // not taken as anonymous
  EXPECT_TRUE(JsonOf(Call("GET", "/api/v1/tokens", session))["tokens"].empty());
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), session).status, 404);
}

TEST_F(SiteActionsTest, ASessionTokenIsRefusedAsABearerTokenOnEveryRoute) {
  const std::string session = TokenFor("sam_session");
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 200);  // as the cookie: fine
  int checked = 0;
  for (const Route& r : Routes()) {
    std::string path(r.pattern);
    for (auto [param, value] : {std::pair<std::string_view, std::string_view>{"{id}", "1"},
                                {"{slug}", "other"},
                                {"{n}", "1"},
                                {"{comment}", "1"},
                                {"{name}", "sam_session"},
                                {"{part}", "1"},
                                {"{path*}", "css/site.css"}}) {
      if (auto at = path.find(param); at != std::string::npos)
        path.replace(at, param.size(), value);
    }
    const std::string method(r.method == Method::kGet    ? "GET"
                             : r.method == Method::kPost ? "POST"
                                                         : "DELETE");
    if (r.body == Body::kRaw || r.body == Body::kMultipart) continue;  // bodies on disk
    Response res = Call(method, path, "", {{"authorization", "Bearer " + session}});
    EXPECT_EQ(res.status, 401) << method << " " << path;
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

TEST_F(SiteActionsTest, OnlyItsOwnerRevokesATokenAndATokenCannotMakeTokens) {
  const std::string alice_session = TokenFor("ann_owner");
  const std::string bob_session = TokenFor("ben_other");
  const std::string alice = ApiTokenOf(alice_session, "laptop");
  const int64_t id = JsonOf(Call("GET", "/api/v1/tokens", alice))["tokens"][0]["id"];
  Response by_bob = Call("DELETE", "/api/v1/tokens/" + std::to_string(id), bob_session);
  EXPECT_EQ(by_bob.status, 404);
  EXPECT_EQ(JsonOf(by_bob)["error"]["message"], "没有这个令牌");
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), ApiTokenOf(bob_session)).status,
            404);
  EXPECT_EQ(Call("GET", "/api/v1/me", alice).status, 200);  // still works

  const Fields json = {{"content-type", "application/json"}};
  Response minted = Call("POST", "/api/v1/tokens", alice, json, R"({"name":"child"})");
  EXPECT_EQ(minted.status, 403);
  EXPECT_EQ(JsonOf(minted)["error"]["message"], "令牌须在登录状态下创建，不能用令牌创建令牌");
  // From the cookie session, the CSRF header is needed as for every API write.
  Response no_csrf = Call("POST", "/api/v1/tokens", "",
                          {{"content-type", "application/json"},
                           {"cookie", "wenku_csrf=" + kCsrf + "; wenku_session=" + alice_session}},
                          R"({"name":"x"})");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(JsonOf(no_csrf)["error"]["code"], "csrf");
  Response bad_name = Call("POST", "/api/v1/tokens", alice_session, json, R"({"name":""})");
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(JsonOf(bad_name)["error"]["message"], "名称须为 1–40 个字符，且不能含控制字符");
  EXPECT_EQ(Call("POST", "/api/v1/tokens", "", json, R"({"name":"x"})").status, 401);
  EXPECT_EQ(JsonOf(Call("GET", "/api/v1/tokens", alice_session))["tokens"].size(), 1u);
  // A token may revoke itself.
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), alice).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", alice).status, 401);
}

TEST_F(SiteActionsTest, TheMePageMakesATokenShowsItOnceAndRevokesIt) {
  const std::string session = TokenFor("mia_me");
  Response page = Call("GET", "/me", session);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page, "id=\"api-tokens\""));
  EXPECT_TRUE(Has(page, "还没有 API 令牌"));
  EXPECT_TRUE(Has(page, "<form id=\"token-form\" method=\"post\" action=\"/me/tokens\">"));

  Response made = PostForm("/me/tokens", session, {{"name", "<b>ci</b>"}});
  ASSERT_EQ(made.status, 200);
  EXPECT_EQ(made.Get("Cache-Control"), "no-store");
  const auto at = made.body.find("<code id=\"new-token-value\">");
  ASSERT_NE(at, std::string::npos);
  const std::string secret = made.body.substr(at + 27, 67);
  EXPECT_TRUE(secret.starts_with("wk_")) << secret;
  EXPECT_TRUE(Has(made, "请立即复制并妥善保存"));
  EXPECT_TRUE(Has(made, "新令牌「&lt;b&gt;ci&lt;/b&gt;」"));  // escaped
  EXPECT_FALSE(Has(made, "<b>ci</b>"));
  EXPECT_EQ(Call("GET", "/api/v1/me", secret).status, 200);

  Response again = Call("GET", "/me", session);  // listed, the secret not shown again
  EXPECT_FALSE(Has(again, secret.substr(3)));
  EXPECT_FALSE(Has(again, "new-token-value"));
  EXPECT_TRUE(Has(again, "class=\"token-name\">&lt;b&gt;ci&lt;/b&gt;</td>"));
  EXPECT_FALSE(Has(again, "从未使用"));  // used above: its date instead

  Response refused = PostForm("/me/tokens", session, {{"name", std::string(41, 'x')}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Has(refused, "id=\"token-name-error\">名称须为 1–40 个字符"));
  EXPECT_TRUE(Has(refused, std::string(41, 'x')));  // the name kept in the field

  const int64_t id = JsonOf(Call("GET", "/api/v1/tokens", secret))["tokens"][0]["id"];
  const std::string revoke = "/me/tokens/" + std::to_string(id) + "/revoke";
  EXPECT_TRUE(Has(again, "action=\"" + revoke + "\""));
  EXPECT_EQ(PostForm(revoke, TokenFor("nik_other"), {}).status, 404);  // not theirs
  EXPECT_EQ(
      Call("POST", revoke, session, {{"content-type", "application/x-www-form-urlencoded"}}, "")
          .status,
      403);  // no CSRF field
  Response revoked = PostForm(revoke, session, {});
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(revoked.Get("Location"), "/me#api-tokens");
  EXPECT_EQ(Call("GET", "/api/v1/me", secret).status, 401);
  EXPECT_TRUE(Has(Call("GET", "/me", session), "还没有 API 令牌"));
}

TEST_F(SiteActionsTest, TokensStopWithADisabledAccountAndSurviveAPasswordChange) {
  const std::string session = TokenFor("dan_tokens");
  const std::string token = ApiTokenOf(session);
  Response changed =
      Call("POST", "/api/v1/me/password", session, {{"content-type", "application/json"}},
           R"({"current":"correct horse","new":"a brand new password"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 200);  // kept (api_tokens.hpp)

  const UserId dan = users_->FindByName("dan_tokens")->id;
  ASSERT_TRUE(users_->SetDisabled(*db_, dan, clock_.NowMs(), "spam").ok());
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/documents", token).status, 401);
}

TEST_F(SiteActionsTest, TheOperatorsResetRevokesTheTokens) {
  const std::string token = ApiTokenOf(TokenFor("olga_reset"));
  ASSERT_EQ(Call("GET", "/api/v1/me", token).status, 200);
  ASSERT_TRUE(api_tokens_->RevokeAll(users_->FindByName("olga_reset")->id).ok());
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 401);
}

// pages[] in the API comes a window at a time; locked pages stay locked in every window.
TEST_F(SiteActionsTest, TheDocumentApiSendsPagesAWindowAtATime) {
  const DocumentId id = ReadyDocument("a long free book", 0, "", 23);
  const std::string api = "/api/v1/documents/" + std::to_string(id);
  const std::string reader = TokenFor("rita_reader");  // logged in: every page of a free book

  std::vector<int64_t> seen;
  std::string next = api;
  int answers = 0;
  while (!next.empty()) {
    Response r = Call("GET", next, reader);
    ASSERT_EQ(r.status, 200) << next;
    auto j = JsonOf(r);
    EXPECT_EQ(j["visible_pages"], 23);
    EXPECT_LE(j["pages"].size(), 10u);
    for (const auto& p : j["pages"]) {
      seen.push_back(p["n"]);
      EXPECT_EQ(p["text"], p["n"] == 1 ? "page one" : "page " + std::to_string(p["n"].get<int>()));
    }
    next = j["pages_next"].is_null() ? "" : j["pages_next"].get<std::string>();
    ++answers;
  }
  EXPECT_EQ(answers, 3);  // 10 + 10 + 3
  ASSERT_EQ(seen.size(), 23u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<int64_t>(i) + 1);

  // A visitor: the free preview (5 pages) and nothing past it, whatever the window.
  auto first = JsonOf(Call("GET", api, ""));
  EXPECT_EQ(first["pages"].size(), 5u);
  EXPECT_TRUE(first["pages_next"].is_null());
  auto locked = JsonOf(Call("GET", api + "?pages_from=6&pages_limit=50", ""));
  EXPECT_TRUE(locked["pages"].empty());
  EXPECT_TRUE(locked["pages_next"].is_null());
  auto two = JsonOf(Call("GET", api + "?pages_from=4&pages_limit=2", ""));
  ASSERT_EQ(two["pages"].size(), 2u);
  EXPECT_EQ(two["pages"][1]["n"], 5);
  EXPECT_TRUE(two["pages_next"].is_null());
  auto tiny = JsonOf(Call("GET", api + "?pages_limit=2", ""));
  EXPECT_EQ(tiny["pages_next"], api + "?pages_from=3&pages_limit=2");

  // The cap, and bad windows.
  auto capped = JsonOf(Call("GET", api + "?pages_limit=1000", reader));
  EXPECT_EQ(capped["pages_limit"], 50);
  EXPECT_EQ(capped["pages"].size(), 23u);
  for (const char* bad : {"?pages_from=0", "?pages_from=x", "?pages_limit=0", "?pages_limit=-1"}) {
    Response r = Call("GET", api + bad, reader);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(JsonOf(r)["error"]["code"], "invalid_input") << bad;
  }
}

// An archive's page shows its members as a grid (cover, title, pages, state, link) and its
// drawings' page 1 large — each member only to a visitor library::CheckView lets see it:
// the others are a path with a neutral note, without their title, cover or link.
TEST_F(SiteActionsTest, AnArchivePageShowsEachMemberOnlyToThoseWhoMaySeeIt) {
  // Made in this order, so their ingest jobs are claimed in this order.
  auto create = [&](const std::string& bytes, const std::string& title, DocumentId parent,
                    bool held = false) {
    auto blob = blobs_.Put(bytes);
    storage::NewDocument d;
    d.owner_id = alice_;
    d.parent_id = parent;
    d.blob_sha256 = blob->sha256;
    d.size = static_cast<int64_t>(bytes.size());
    d.filename = title + ".txt";
    d.title = title;
    d.held = held;
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : DocumentId{0};
  };
  auto publish = [&](DocumentId id, storage::PublishedPages pages) {
    auto job = jobs_->Claim("test-worker", 60'000);
    ASSERT_TRUE(job.ok() && job->has_value());
    ASSERT_EQ((*job)->document_id, id);
    pages.preview_pages = 1;
    ASSERT_TRUE(documents_->Publish(id, (*job)->id, "test-worker", pages).ok());
  };
  const DocumentId archive = create("the archive", "资料包", 0);
  const DocumentId shown = create("one", "章节<一>&二", archive);
  const DocumentId drawing = create("two", "plan", archive);
  const DocumentId held = create("three", "held title", archive, /*held=*/true);
  const DocumentId down = create("four", "gone title", archive);
  const DocumentId broken = create("five", "broken title", archive);
  const DocumentId waiting = create("six", "waiting title", archive);
  storage::PublishedPages listing;
  listing.pages = {Page{1, "listing", TextSource::kLayer, 595, 842}};
  listing.members = {ArchiveMember{0, "docs/one.txt", 3, shown, ""},
                     ArchiveMember{1, "cad/plan.dxf", 3, drawing, ""},
                     ArchiveMember{2, "held.txt", 5, held, ""},
                     ArchiveMember{3, "down.txt", 4, down, ""},
                     ArchiveMember{4, "broken.txt", 4, broken, ""},
                     ArchiveMember{5, "waiting.txt", 3, waiting, ""},
                     ArchiveMember{6, "readme<b>.bin", 9, 0, "not a document"}};
  publish(archive, listing);
  storage::PublishedPages two_pages;
  two_pages.pages = {Page{1, "one", TextSource::kLayer, 595, 842},
                     Page{2, "two", TextSource::kLayer, 595, 842}};
  ASSERT_TRUE(documents_->SetDetected(shown, "text/plain", "txt").ok());
  publish(shown, two_pages);
  ASSERT_TRUE(documents_->SetDetected(drawing, "image/vnd.dxf", "dxf").ok());
  storage::PublishedPages sheet;
  sheet.pages = {Page{1, "plan", TextSource::kLayer, 1191, 842}};
  publish(drawing, sheet);
  publish(held, two_pages);
  publish(down, two_pages);
  ASSERT_TRUE(db_->Transaction(
                     [&](storage::Sql& tx) { return documents_->TakeDown(tx, down, "copyright"); })
                  .ok());
  auto job = jobs_->Claim("test-worker", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value() && (*job)->document_id == broken);
  ASSERT_TRUE(documents_
                  ->Fail(broken, (*job)->id, "test-worker",
                         Error{ErrorCode::kConversionFailed, "文件已损坏 <script>"})
                  .ok());
  for (DocumentId id : {shown, drawing, held}) {
    ASSERT_TRUE(derived_.Put(id, blob::derived_name::kCover, "RIFF cover").ok());
  }
  const std::string page = "/d/" + std::to_string(archive);
  auto cover = [](DocumentId id) { return "src=\"/d/" + std::to_string(id) + "/cover.webp\""; };
  auto link = [](DocumentId id) { return "href=\"/d/" + std::to_string(id) + "\""; };

  // Anyone: the two ready members in the grid, the drawing's first sheet, the rest as text.
  Response anonymous = Call("GET", page, "");
  ASSERT_EQ(anonymous.status, 200);
  const std::string& a = anonymous.body;
  EXPECT_TRUE(Has(anonymous, "<h3>压缩包内共 7 个文件</h3>"));
  EXPECT_TRUE(Has(anonymous, cover(shown)));
  EXPECT_TRUE(Has(anonymous, "<span class=\"member-title\">章节&lt;一&gt;&amp;二</span>"));
  EXPECT_FALSE(Has(anonymous, "章节<一>"));
  EXPECT_TRUE(Has(anonymous, "<span class=\"fmt\">TXT</span> 2 页"));
  EXPECT_TRUE(Has(anonymous, cover(drawing)));
  EXPECT_TRUE(Has(anonymous, "<h3>图纸预览</h3>"));
  // 842/1191 of the preview width (1000 by default).
  EXPECT_TRUE(Has(anonymous, "<img class=\"drawing-image\" src=\"/d/" + std::to_string(drawing) +
                                 "/pages/1.webp\" alt=\"plan：第 1 页\" loading=\"lazy\" "
                                 "width=\"1000\" height=\"706\">"))
      << a;
  EXPECT_EQ(a.find("/d/" + std::to_string(shown) + "/pages/1.webp"), std::string::npos)
      << "only drawings are previewed";
  for (DocumentId hidden : {held, down, broken, waiting}) {
    EXPECT_FALSE(Has(anonymous, cover(hidden))) << hidden;
    EXPECT_FALSE(Has(anonymous, link(hidden))) << hidden;
  }
  for (const char* title :
       {"held title", "gone title", "broken title", "waiting title", "文件已损坏"}) {
    EXPECT_FALSE(Has(anonymous, title)) << title;
  }
  for (const char* path : {"held.txt", "down.txt", "broken.txt", "waiting.txt"}) {
    EXPECT_TRUE(
        Has(anonymous, std::string("<li>") + path + " <span class=\"note\">暂不可查看</span>"))
        << path;
  }
  EXPECT_TRUE(Has(anonymous, "<h4>其他文件</h4>"));
  EXPECT_TRUE(Has(anonymous, "<li>readme&lt;b&gt;.bin <span class=\"note\">not a document</span>"));
  // The cover route agrees: the visible member's cover, none of the others'.
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(shown) + "/cover.webp", "").status, 200);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(held) + "/cover.webp", "").status, 404);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(down) + "/cover.webp", "").status, 451);
  EXPECT_EQ(Call("GET", "/d/" + std::to_string(waiting) + "/cover.webp", "").status, 404);
  EXPECT_TRUE(Has(Call("GET", page + "?lang=en", ""), "<h3>Drawing preview</h3>"));

  // The owner also sees the held one (with its cover), the failed one with its reason and
  // the waiting one; not the one taken down.
  const std::string alice = accounts_->OpenSession(*users_->FindById(alice_))->token;
  Response owner = Call("GET", page, alice);
  ASSERT_EQ(owner.status, 200);
  EXPECT_TRUE(Has(owner, cover(held)));
  EXPECT_TRUE(Has(owner, "held title"));
  EXPECT_TRUE(Has(owner, "<span class=\"state\">待审核</span>"));
  EXPECT_TRUE(Has(owner, link(broken)));
  EXPECT_TRUE(Has(owner, "<span class=\"state\">失败</span>"));
  EXPECT_TRUE(Has(owner, "<span class=\"member-failure\">文件已损坏 &lt;script&gt;</span>"));
  EXPECT_TRUE(Has(owner, "waiting title"));
  EXPECT_TRUE(Has(owner, "<span class=\"state\">等待转换</span>"));
  EXPECT_FALSE(Has(owner, cover(waiting)));  // no cover before it is ready
  EXPECT_FALSE(Has(owner, "gone title"));
  EXPECT_TRUE(Has(owner, "<li>down.txt <span class=\"note\">暂不可查看</span>"));

  // A moderator sees the one taken down too, said so, without a cover.
  Response moderator = Call("GET", page, ModeratorToken());
  ASSERT_EQ(moderator.status, 200);
  EXPECT_TRUE(Has(moderator, "gone title"));
  EXPECT_TRUE(Has(moderator, "<span class=\"state\">已下架</span>"));
  EXPECT_FALSE(Has(moderator, cover(down)));
  EXPECT_FALSE(Has(moderator, "暂不可查看"));
}

// The search service (`search.remote`) cannot be reached: the search pages say search is
// unavailable (503, Retry-After), the API answers search_unavailable; nothing internal
// (the service's address) reaches the visitor, and the rest of the site still works.
class SearchUnavailableTest : public SiteActionsTest {
 protected:
  void SetUp() override {
    search_remote_ = wenku::testing::UnreachableSearchUrl();
    SiteActionsTest::SetUp();
  }
};

TEST_F(SearchUnavailableTest, SearchPagesSaySearchIsUnavailable) {
  Response page = Call("GET", "/search?q=%E8%AE%BA%E6%96%87", "");
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.body.find("role=\"alert\">搜索服务暂时不可用，请稍后再试。</p>"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("name=\"q\""), std::string::npos);  // the form stays
  EXPECT_EQ(page.body.find("tcp://"), std::string::npos);
  EXPECT_FALSE(page.Get("Retry-After").empty());
  Response api = Call("GET", "/api/v1/search?q=paper", "");
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(JsonOf(api)["error"]["code"], "search_unavailable");
  EXPECT_EQ(api.body.find("tcp://"), std::string::npos);
  EXPECT_EQ(Call("GET", "/search", "").status, 200);  // no query: nothing to ask the service
  EXPECT_EQ(Call("GET", "/", "").status, 200);
}

}  // namespace
}  // namespace wenku::web
