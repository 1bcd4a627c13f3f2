// The moderation API (moderators and admins; the route table says so):
//   GET  /api/v1/admin/cases?state=open&type=report&page=N →
//        {"cases":[{"id","type","document_id","state","reason","detail","work",
//        "rights_holder","contact","reporter","other_document_id","similarity","created_at",
//        "decision_note"}]} (newest first, 50 a page)
//   POST /api/v1/admin/cases/{id} {"action":"dismiss|take_down|accept_claim|reject_claim","note"}
//        → 200 {"id","state"}; 409 when already decided
//   GET  /api/v1/admin/documents?q=&state=&uploader=&category=&page=N → {"documents":[{"id",
//        "title","filename","uploader","state","category","price","pages","created_at",
//        "failure_code","failure_reason"}]} (every state, newest first, 20 a page; the filter
//        as on /admin/documents, admin_page.hpp; 400 for an unknown state)
//   POST /api/v1/admin/documents/{id} {"action":"take_down|restore|edit|delete|retry",
//        "reason" (take_down), "title","description","category","price" (edit), "note"} — a
//        moderator's own decision (moderation::Moderation, moderation::DocumentAdmin) →
//        200 {"id","state"} ("deleted" after a delete); 400 {"error":"invalid_input",
//        "message"} naming the field at fault; 409 when the state does not allow it
//   GET  /api/v1/admin/documents/{id}/audit → {"entries":[{"id","actor","action","case_id",
//        "note","created_at"}]} (oldest first)
#include "moderation/document_admin.hpp"
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kCasesPerPage = 50;

nlohmann::json CaseJson(const storage::Case& c) {
  return {{"id", c.id},
          {"type", storage::CaseTypeName(c.type)},
          {"document_id", c.document},
          {"state", storage::CaseStateName(c.state)},
          {"reason", c.reason},
          {"detail", c.detail},
          {"work", c.work},
          {"rights_holder", c.rights_holder},
          {"contact", c.contact},
          {"reporter", c.reporter_name},
          {"other_document_id", c.other_document},
          {"similarity", c.similarity},
          {"created_at", c.created_at},
          {"decision_note", c.decision_note}};
}

Response Decided(Context& ctx, const Status& s, int64_t id, std::string_view state) {
  if (!s.ok()) {
    if (s.error().code == ErrorCode::kInvalidInput) {
      return ApiError(400, "invalid_input", "check the field: " + s.error().message);
    }
    return Fail(ctx, s.error());
  }
  return Json(200, nlohmann::json{{"id", id}, {"state", state}}.dump());
}

}  // namespace

Response ApiListCases(Context& ctx) {
  storage::CaseFilter f;
  if (const std::string s = ctx.req.Query("state"); !s.empty()) {
    f.state = storage::ParseCaseState(s);
    if (!f.state) return ApiError(400, "invalid_input", "unknown state");
  }
  if (const std::string t = ctx.req.Query("type"); !t.empty()) {
    f.type = storage::ParseCaseType(t);
    if (!f.type) return ApiError(400, "invalid_input", "unknown type");
  }
  f.limit = kCasesPerPage;
  f.offset = (std::max<int64_t>(1, ParseId(ctx.req.Query("page"))) - 1) * kCasesPerPage;
  auto cases = ctx.site.cases().List(f);
  if (!cases.ok()) return Fail(ctx, cases.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : *cases) list.push_back(CaseJson(c));
  return Json(200, nlohmann::json{{"cases", list}}.dump());
}

Response ApiDecideCase(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  const int64_t id = ParseId(ctx.req.Param("id"));
  auto action = moderation::ParseAction(JsonString(*body, "action"));
  if (!action) return ApiError(400, "invalid_input", "check the field: action");
  Status s = ctx.site.moderation().Decide(ctx.visitor(), id, *action, JsonString(*body, "note"));
  auto c = ctx.site.cases().Find(id);
  return Decided(ctx, s, id, c.ok() ? storage::CaseStateName(c->state) : "");
}

Response ApiModerateDocument(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  const int64_t id = ParseId(ctx.req.Param("id"));
  const std::string action = JsonString(*body, "action");
  const std::string note = JsonString(*body, "note");
  Status s;
  if (action == "take_down") {
    s = ctx.site.moderation().TakeDown(ctx.visitor(), id, JsonString(*body, "reason"), note);
  } else if (action == "restore") {
    s = ctx.site.moderation().Restore(ctx.visitor(), id, note);
  } else if (action == "edit") {
    const auto& price = (*body)["price"];
    if (!price.is_number_integer()) {
      return ApiError(400, "invalid_input", "check the field: price (a whole number of points)");
    }
    s = ctx.site.document_admin().Edit(
        ctx.visitor(), id,
        library::DocumentFields{JsonString(*body, "title"), JsonString(*body, "description"),
                                JsonString(*body, "category"), price.get<int64_t>()},
        note);
  } else if (action == "delete") {
    s = ctx.site.document_admin().Delete(ctx.visitor(), id, note);
    return Decided(ctx, s, id, "deleted");
  } else if (action == "retry") {
    s = ctx.site.document_admin().Retry(ctx.visitor(), id, note);
  } else {
    return ApiError(400, "invalid_input", "check the field: action");
  }
  auto doc = ctx.site.documents().Find(id);
  return Decided(ctx, s, id, doc.ok() ? DocStateName(doc->state) : "");
}

Response ApiListAdminDocuments(Context& ctx) {
  const Request& r = ctx.req;
  const std::string state = r.Query("state");
  if (!state.empty() && !ParseDocState(state)) {
    return ApiError(400, "invalid_input", "unknown state");
  }
  const DocumentsFilter f = ReadDocumentsFilter(r.Query("q"), state, r.Query("uploader"),
                                                r.Query("category"), r.Query("page"));
  storage::DocumentQuery q;
  q.text = f.q;
  q.state = f.state;
  q.uploader = f.uploader;
  q.category = f.category;
  q.limit = kDocumentsPerPage;
  q.offset = (f.page - 1) * kDocumentsPerPage;
  auto docs = ctx.site.documents().Search(q);
  if (!docs.ok()) return Fail(ctx, docs.error());
  nlohmann::json list = nlohmann::json::array();
  for (const Document& d : *docs) {
    list.push_back({{"id", d.id},
                    {"title", d.title},
                    {"filename", d.filename},
                    {"uploader", d.owner_name},
                    {"state", DocStateName(d.state)},
                    {"category", d.category},
                    {"price", d.price},
                    {"pages", d.page_count},
                    {"created_at", d.created_at},
                    {"failure_code", d.failure_code},
                    {"failure_reason", d.failure_reason}});
  }
  return Json(200, nlohmann::json{{"documents", list}}.dump());
}

Response ApiDocumentAudit(Context& ctx) {
  auto entries = ctx.site.cases().AuditOfDocument(ParseId(ctx.req.Param("id")));
  if (!entries.ok()) return Fail(ctx, entries.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : *entries) {
    list.push_back({{"id", e.id},
                    {"actor", e.actor_name},
                    {"action", e.action},
                    {"case_id", e.case_id},
                    {"note", e.note},
                    {"created_at", e.created_at}});
  }
  return Json(200, nlohmann::json{{"entries", list}}.dump());
}

}  // namespace wenku::web
