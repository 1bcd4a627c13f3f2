// Every user action the website and the API offer, one file each under web/actions/
// (named after the action); the route table (routes.cpp) maps URLs to them. An action is
// thin: parse → call a use case or ask the access policy (src/library/) → render.
#pragma once

#include "web/context.hpp"

namespace wenku::web {

// Pages
Response ShowHome(Context& ctx);             // home_show.cpp
Response ShowDocument(Context& ctx);         // document_show.cpp
Response ShowPageImage(Context& ctx);        // page_image_show.cpp
Response ShowCover(Context& ctx);            // page_image_show.cpp
Response DownloadDocument(Context& ctx);     // document_download.cpp
Response ShowBuy(Context& ctx);              // document_buy.cpp
Response CreatePurchase(Context& ctx);       // document_buy.cpp
Response ShowMe(Context& ctx);               // me_show.cpp
Response ShowMyPassword(Context& ctx);       // me_password.cpp
Response UpdateMyPassword(Context& ctx);     // me_password.cpp
Response CreateCheckin(Context& ctx);        // me_show.cpp
Response CreateMyToken(Context& ctx);        // me_tokens.cpp
Response RevokeMyToken(Context& ctx);        // me_tokens.cpp
Response DeleteDocument(Context& ctx);       // document_delete.cpp
Response CreateComment(Context& ctx);        // comment_create.cpp
Response DeleteComment(Context& ctx);        // comment_delete.cpp
Response ShowCategory(Context& ctx);         // listing_show.cpp
Response ShowUploader(Context& ctx);         // listing_show.cpp
Response ShowSearch(Context& ctx);           // search_show.cpp
Response ShowDocumentSearch(Context& ctx);   // document_search.cpp
Response ShowLogin(Context& ctx);            // login.cpp
Response CreateLogin(Context& ctx);          // login.cpp
Response ShowRegister(Context& ctx);         // register.cpp
Response CreateRegister(Context& ctx);       // register.cpp
Response CreateLogout(Context& ctx);         // logout.cpp
Response ShowUpload(Context& ctx);           // upload_new.cpp
Response CreateUpload(Context& ctx);         // upload_create.cpp
Response ShowCopyright(Context& ctx);        // copyright_show.cpp
Response ShowReport(Context& ctx);           // report_create.cpp
Response CreateReport(Context& ctx);         // report_create.cpp
Response ShowClaim(Context& ctx);            // claim_create.cpp
Response CreateClaim(Context& ctx);          // claim_create.cpp
Response ShowAdmin(Context& ctx);            // admin_show.cpp
Response DecideCase(Context& ctx);           // case_decide.cpp
Response ModerateDocument(Context& ctx);     // document_moderate.cpp
Response ShowAdminCategories(Context& ctx);  // admin_categories.cpp
Response CreateCategory(Context& ctx);       // admin_categories.cpp
Response UpdateCategory(Context& ctx);       // admin_categories.cpp
Response ShowAdminUsers(Context& ctx);       // admin_users_show.cpp
Response ChangeUserRole(Context& ctx);       // user_role_change.cpp
Response DisableUser(Context& ctx);          // user_disable.cpp
Response EnableUser(Context& ctx);           // user_disable.cpp
Response GrantPoints(Context& ctx);          // user_grant.cpp
Response ShowSitemap(Context& ctx);          // sitemap.cpp
Response ShowSitemapPart(Context& ctx);      // sitemap.cpp
Response ShowRobots(Context& ctx);           // sitemap.cpp
Response ShowHealth(Context& ctx);           // health.cpp
Response ShowMetrics(Context& ctx);          // metrics_show.cpp
Response ShowAdminDocuments(Context& ctx);   // admin_documents.cpp
Response ShowAdminStats(Context& ctx);       // admin_stats.cpp
Response ShowCaseProof(Context& ctx);        // case_proof.cpp
Response ShowSettings(Context& ctx);         // admin_settings.cpp
Response SaveSettings(Context& ctx);         // admin_settings.cpp
Response ServeStatic(Context& ctx);          // static_files.cpp

// JSON API v1 (api_*.cpp)
Response ApiCreateUser(Context& ctx);
Response ApiCreateSession(Context& ctx);
Response ApiCreateToken(Context& ctx);  // api_tokens.cpp
Response ApiListTokens(Context& ctx);   // api_tokens.cpp
Response ApiRevokeToken(Context& ctx);  // api_tokens.cpp
Response ApiDeleteSession(Context& ctx);
Response ApiCreateDocument(Context& ctx);
Response ApiListDocuments(Context& ctx);
Response ApiDocumentSearch(Context& ctx);  // document_search.cpp
Response ApiShowDocument(Context& ctx);
Response ApiDeleteDocument(Context& ctx);
Response ApiListComments(Context& ctx);
Response ApiCreateComment(Context& ctx);
Response ApiSearch(Context& ctx);
Response ApiPurchaseDocument(Context& ctx);    // api_purchase.cpp
Response ApiShowMe(Context& ctx);              // api_me.cpp
Response ApiUpdateMyPassword(Context& ctx);    // me_password.cpp
Response ApiCreateCheckin(Context& ctx);       // api_me.cpp
Response ApiListMyLedger(Context& ctx);        // api_me.cpp
Response ApiListNotifications(Context& ctx);   // api_notifications.cpp
Response ApiReadNotifications(Context& ctx);   // api_notifications.cpp
Response ApiCreateReport(Context& ctx);        // api_complaints.cpp
Response ApiCreateClaim(Context& ctx);         // api_complaints.cpp
Response ApiListCases(Context& ctx);           // api_admin.cpp
Response ApiDecideCase(Context& ctx);          // api_admin.cpp
Response ApiModerateDocument(Context& ctx);    // api_admin.cpp
Response ApiDocumentAudit(Context& ctx);       // api_admin.cpp
Response ApiListCategories(Context& ctx);      // api_categories.cpp
Response ApiCreateCategory(Context& ctx);      // api_categories.cpp
Response ApiUpdateCategory(Context& ctx);      // api_categories.cpp
Response ApiListUsers(Context& ctx);           // api_admin_users.cpp
Response ApiUpdateUser(Context& ctx);          // api_admin_users.cpp
Response ApiListAdminDocuments(Context& ctx);  // api_admin.cpp
Response ApiShowSettings(Context& ctx);        // api_settings.cpp
Response ApiSaveSettings(Context& ctx);        // api_settings.cpp

}  // namespace wenku::web
