// Every URL of Wenku on one screen: method, pattern, action, body, page cache, who may call
// it (router.hpp). HEAD is answered by the GET route.
// The search routes are never cached: each search must meet the visitor's search limit
// (search_limit.hpp), which a page served from the cache would skip.
#include "web/actions/actions.hpp"
#include "web/router.hpp"

namespace wenku::web {

const std::vector<Route>& Routes() {
  using enum Method;
  static const std::vector<Route> kRoutes = {
      {kGet, "/", ShowHome, Body::kNone, Cache::kAnonymous},
      {kGet, "/d/{id}", ShowDocument, Body::kNone, Cache::kAnonymous},
      {kGet, "/d/{id}/pages/{n}.webp", ShowPageImage},
      {kGet, "/d/{id}/cover.webp", ShowCover},
      {kGet, "/d/{id}/download", DownloadDocument},
      {kGet, "/d/{id}/buy", ShowBuy, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/d/{id}/buy", CreatePurchase, Body::kForm, Cache::kNo, Who::kUser},
      {kGet, "/d/{id}/search", ShowDocumentSearch},
      {kPost, "/d/{id}/delete", DeleteDocument, Body::kForm, Cache::kNo, Who::kUser},
      {kGet, "/d/{id}/report", ShowReport},
      {kPost, "/d/{id}/report", CreateReport, Body::kForm},
      {kGet, "/d/{id}/claim", ShowClaim, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/d/{id}/claim", CreateClaim, Body::kMultipart, Cache::kNo, Who::kUser},
      {kPost, "/d/{id}/comments", CreateComment, Body::kForm, Cache::kNo, Who::kUser},
      {kPost, "/d/{id}/comments/{comment}/delete", DeleteComment, Body::kForm, Cache::kNo,
       Who::kUser},
      {kGet, "/c/{slug}", ShowCategory, Body::kNone, Cache::kAnonymous},
      {kGet, "/u/{name}", ShowUploader, Body::kNone, Cache::kAnonymous},
      {kGet, "/search", ShowSearch},
      {kGet, "/login", ShowLogin},
      {kPost, "/login", CreateLogin, Body::kForm},
      {kGet, "/register", ShowRegister},
      {kPost, "/register", CreateRegister, Body::kForm},
      {kPost, "/logout", CreateLogout, Body::kForm},
      {kGet, "/me", ShowMe, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/me/checkin", CreateCheckin, Body::kForm, Cache::kNo, Who::kUser},
      {kGet, "/upload", ShowUpload, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/upload", CreateUpload, Body::kMultipart, Cache::kNo, Who::kUser},
      {kGet, "/copyright", ShowCopyright},
      {kGet, "/admin", ShowAdmin, Body::kNone, Cache::kNo, Who::kModerator},
      {kPost, "/admin/cases/{id}", DecideCase, Body::kForm, Cache::kNo, Who::kModerator},
      {kPost, "/admin/documents/{id}", ModerateDocument, Body::kForm, Cache::kNo, Who::kModerator},
      {kGet, "/admin/settings", ShowSettings, Body::kNone, Cache::kNo, Who::kAdmin},
      {kPost, "/admin/settings", SaveSettings, Body::kForm, Cache::kNo, Who::kAdmin},
      {kGet, "/sitemap.xml", ShowSitemap},
      {kGet, "/robots.txt", ShowRobots},
      {kGet, "/healthz", ShowHealth},
      {kGet, "/static/{path*}", ServeStatic},

      {kPost, "/api/v1/users", ApiCreateUser, Body::kJson},
      {kPost, "/api/v1/session", ApiCreateSession, Body::kJson},
      {kDelete, "/api/v1/session", ApiDeleteSession},
      {kPost, "/api/v1/documents", ApiCreateDocument, Body::kRaw, Cache::kNo, Who::kUser},
      {kGet, "/api/v1/documents", ApiListDocuments},
      {kGet, "/api/v1/documents/{id}", ApiShowDocument},
      {kDelete, "/api/v1/documents/{id}", ApiDeleteDocument, Body::kNone, Cache::kNo, Who::kUser},
      {kGet, "/api/v1/documents/{id}/search", ApiDocumentSearch},
      {kGet, "/api/v1/documents/{id}/comments", ApiListComments},
      {kPost, "/api/v1/documents/{id}/comments", ApiCreateComment, Body::kJson, Cache::kNo,
       Who::kUser},
      {kPost, "/api/v1/documents/{id}/purchase", ApiPurchaseDocument, Body::kNone, Cache::kNo,
       Who::kUser},
      {kGet, "/api/v1/me", ApiShowMe, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/api/v1/me/checkin", ApiCreateCheckin, Body::kNone, Cache::kNo, Who::kUser},
      {kGet, "/api/v1/me/ledger", ApiListMyLedger, Body::kNone, Cache::kNo, Who::kUser},
      {kGet, "/api/v1/me/notifications", ApiListNotifications, Body::kNone, Cache::kNo, Who::kUser},
      {kPost, "/api/v1/me/notifications/read", ApiReadNotifications, Body::kNone, Cache::kNo,
       Who::kUser},
      {kGet, "/api/v1/search", ApiSearch},
      {kPost, "/api/v1/documents/{id}/reports", ApiCreateReport, Body::kJson},
      {kPost, "/api/v1/documents/{id}/claims", ApiCreateClaim, Body::kJson, Cache::kNo, Who::kUser},

      {kGet, "/api/v1/admin/cases", ApiListCases, Body::kNone, Cache::kNo, Who::kModerator},
      {kPost, "/api/v1/admin/cases/{id}", ApiDecideCase, Body::kJson, Cache::kNo, Who::kModerator},
      {kPost, "/api/v1/admin/documents/{id}", ApiModerateDocument, Body::kJson, Cache::kNo,
       Who::kModerator},
      {kGet, "/api/v1/admin/documents/{id}/audit", ApiDocumentAudit, Body::kNone, Cache::kNo,
       Who::kModerator},
      {kGet, "/api/v1/admin/settings", ApiShowSettings, Body::kNone, Cache::kNo, Who::kAdmin},
      {kPost, "/api/v1/admin/settings", ApiSaveSettings, Body::kJson, Cache::kNo, Who::kAdmin},
  };
  return kRoutes;
}

}  // namespace wenku::web
