// GET /admin — the moderation queue for moderators and admins (the route table says so):
// cases filtered by type and state (open by default), newest first, 20 a page. Each case
// shows its type, reason, who sent it, the evidence (details or proof, the work, the rights
// holder, the contact, a near-duplicate's similarity, a link to a claim's proof file —
// GET /admin/cases/{id}/proof, case_proof.cpp), the document — for a near-duplicate
// both documents, covers side by side —, its audit entries, and while open a decide form
// (POST /admin/cases/{id}, case_decide.cpp) offering only the decisions that apply.
#include <array>
#include <span>

#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kCasesPerPage = 20;

constexpr std::string_view kTypes[] = {"report", "claim", "near_duplicate"};
constexpr std::string_view kStates[] = {"open", "dismissed", "taken_down", "accepted", "rejected"};

// The catalog's label for `prefix` + `name`, else `name` itself.
std::string Label(Context& ctx, const std::string& prefix, std::string_view name) {
  auto m = Find(ctx.lang, prefix + std::string(name));
  return m ? std::string(*m) : std::string(name);
}

ViewList Options(Context& ctx, std::span<const std::string_view> names, const char* prefix,
                 std::string_view chosen, bool with_all) {
  ViewList list;
  if (with_all) list.push_back(SelectOption("all", T(ctx.lang, "admin_all"), chosen.empty()));
  for (std::string_view n : names) {
    list.push_back(SelectOption(std::string(n), Label(ctx, prefix, n), n == chosen));
  }
  return list;
}

View DocumentView(Context& ctx, DocumentId id, bool other) {
  View v;
  v.set("doc_id", std::to_string(id));
  v.set("role", T(ctx.lang, other ? "case_other_document" : "case_document"));
  v.set("cover", "/d/" + std::to_string(id) + "/cover.webp");
  auto doc = ctx.site.documents().Find(id);
  if (doc.ok()) {
    v.set("doc_title", doc->title);
    v.set("doc_owner", doc->owner_name);
    v.set("doc_state", T(ctx.lang, "state_" + std::string(DocStateName(doc->state))));
  } else {
    v.set("doc_title", "#" + std::to_string(id));
  }
  return v;
}

View CaseView(Context& ctx, const storage::Case& c, const AdminFilter& filter,
              const DecideError& error) {
  View v;
  const std::string type(storage::CaseTypeName(c.type));
  v.set("case_id", std::to_string(c.id));
  v.set("case_label", Format(ctx.lang, "case_number", {std::to_string(c.id)}));
  v.set("type", type);
  v.set("type_label", Label(ctx, "case_type_", type));
  v.set("state", std::string(storage::CaseStateName(c.state)));
  v.set("state_label", Label(ctx, "case_state_", storage::CaseStateName(c.state)));
  v.set("reason_label", Label(ctx, "reason_", c.reason));
  const bool hold = moderation::IsReviewHold(c);
  v.set("reporter", hold              ? T(ctx.lang, "case_by_site")
                    : c.reporter == 0 ? T(ctx.lang, "case_anonymous")
                                      : c.reporter_name);
  v.set("created", DateLabel(c.created_at));
  v.set("detail_label", T(ctx.lang, hold                                  ? "case_words"
                                    : c.type == storage::CaseType::kClaim ? "case_proof"
                                                                          : "case_detail"));
  if (hold && c.comment != 0) {
    auto comment = ctx.site.comments().Find(c.comment);
    v.set("held_comment", comment.ok() ? comment->text : T(ctx.lang, "case_comment_gone"));
  }
  if (!c.detail.empty()) v.set("detail", c.detail);
  if (!c.work.empty()) v.set("work", c.work);
  if (!c.rights_holder.empty()) v.set("rights_holder", c.rights_holder);
  if (!c.contact.empty()) v.set("contact", c.contact);
  if (!c.proof_sha256.empty()) v.set("proof_file", View::type::bool_true);
  if (c.type == storage::CaseType::kNearDuplicate) {
    v.set("similarity", std::to_string(c.similarity) + "%");
  }
  if (!c.decision_note.empty()) v.set("decision_note", c.decision_note);

  ViewList docs;
  docs.push_back(DocumentView(ctx, c.document, false));
  if (c.other_document != 0) docs.push_back(DocumentView(ctx, c.other_document, true));
  v.set("documents", docs);

  ViewList audit;
  if (auto entries = ctx.site.cases().AuditOfCase(c.id); entries.ok()) {
    for (const storage::AuditEntry& e : *entries) {
      View a;
      a.set("date", DateLabel(e.created_at));
      a.set("actor", e.actor_name);
      a.set("action_label", AuditActionLabel(ctx, e.action));
      a.set("note", e.note);
      audit.push_back(a);
    }
  }
  v.set("audit", audit);

  if (c.state == storage::CaseState::kOpen) {
    View form;
    form.set("case_id", std::to_string(c.id));
    form.set("csrf", ctx.CsrfToken());
    form.set("f_type", filter.type ? std::string(storage::CaseTypeName(*filter.type)) : "all");
    form.set("f_state", filter.state ? std::string(storage::CaseStateName(*filter.state)) : "all");
    form.set("f_document", filter.document ? std::to_string(filter.document) : "");
    form.set("f_page", std::to_string(filter.page));
    ViewList actions;
    using moderation::Action;
    static constexpr std::array<Action, 2> kForClaims = {Action::kAcceptClaim,
                                                         Action::kRejectClaim};
    static constexpr std::array<Action, 2> kForOthers = {Action::kDismiss, Action::kTakeDown};
    for (Action a : c.type == storage::CaseType::kClaim ? kForClaims : kForOthers) {
      View o;
      const std::string name(moderation::ActionName(a));
      o.set("value", name);
      std::string label = "action_" + name;
      if (hold && a == Action::kDismiss) label = "action_release";
      if (hold && a == Action::kTakeDown && c.comment != 0) label = "action_remove_comment";
      o.set("label", T(ctx.lang, label));
      actions.push_back(o);
    }
    form.set("actions", actions);
    if (error.case_id == c.id) form.set("decide_error", error.message);
    v.set("decide", form);
  }
  return v;
}

}  // namespace

std::string AuditActionLabel(Context& ctx, const std::string& action) {
  if (Find(ctx.lang, "action_" + action)) return T(ctx.lang, "action_" + action);
  return Label(ctx, "case_type_", action);
}

View ReasonOptions(Context& ctx, std::string_view chosen) {
  ViewList reasons;
  for (std::string_view r : moderation::kReportReasons) {
    View rv;
    rv.set("value", std::string(r));
    rv.set("label", T(ctx.lang, "reason_" + std::string(r)));
    rv.set("selected", r == chosen ? View::type::bool_true : View::type::bool_false);
    reasons.push_back(rv);
  }
  return View(reasons);
}

AdminFilter ReadAdminFilter(const std::string& type, const std::string& state,
                            const std::string& document, const std::string& page) {
  AdminFilter f;
  f.type = storage::ParseCaseType(type);
  if (state == "all") {
    f.state.reset();
  } else if (auto s = storage::ParseCaseState(state)) {
    f.state = s;
  }
  f.document = ParseId(document);
  f.page = std::max<int64_t>(1, ParseId(page));
  return f;
}

std::string AdminHref(const AdminFilter& f) {
  std::string href = "/admin?type=";
  href += f.type ? storage::CaseTypeName(*f.type) : "all";
  href += "&state=";
  href += f.state ? storage::CaseStateName(*f.state) : "all";
  if (f.document) href += "&document=" + std::to_string(f.document);
  if (f.page > 1) href += "&page=" + std::to_string(f.page);
  return href;
}

std::string ModerationProblem(Context& ctx, const Error& error) {
  if (error.code == ErrorCode::kInvalidInput) {
    if (auto m = Find(ctx.lang, "moderation_field_" + error.message)) return std::string(*m);
    return T(ctx.lang, "moderation_field_action");
  }
  if (error.code == ErrorCode::kConflict) return T(ctx.lang, "moderation_conflict");
  return "";
}

Response RenderAdminPage(Context& ctx, const AdminFilter& filter, const DecideError& error,
                         int status) {
  storage::CaseFilter q;
  q.type = filter.type;
  q.state = filter.state;
  q.document = filter.document;
  q.limit = kCasesPerPage + 1;  // one more tells whether there is a next page
  q.offset = (filter.page - 1) * kCasesPerPage;
  auto cases = ctx.site.cases().List(q);
  if (!cases.ok()) return Fail(ctx, cases.error());
  const bool more = TrimToPage(*cases, kCasesPerPage);

  View v = BaseView(ctx, T(ctx.lang, "admin_heading"));
  v.set("nav_cases", View::type::bool_true);
  v.set("type_options",
        Options(ctx, kTypes, "case_type_",
                filter.type ? storage::CaseTypeName(*filter.type) : std::string_view(), true));
  v.set("state_options",
        Options(ctx, kStates, "case_state_",
                filter.state ? storage::CaseStateName(*filter.state) : std::string_view(), true));
  if (filter.document) v.set("document", std::to_string(filter.document));
  ViewList list;
  for (const storage::Case& c : *cases) list.push_back(CaseView(ctx, c, filter, error));
  v.set("cases", list);
  if (cases->empty()) v.set("no_cases", View::type::bool_true);
  if (!error.message.empty()) v.set("form_error", error.message);
  if (filter.page > 1) {
    AdminFilter prev = filter;
    --prev.page;
    v.set("prev_href", AdminHref(prev));
  }
  if (more) {
    AdminFilter next = filter;
    ++next.page;
    v.set("next_href", AdminHref(next));
  }
  return RenderPage(ctx, "admin", v, status);
}

Response ShowAdmin(Context& ctx) {
  const Request& r = ctx.req;
  return RenderAdminPage(
      ctx, ReadAdminFilter(r.Query("type"), r.Query("state"), r.Query("document"), r.Query("page")),
      {}, 200);
}

}  // namespace wenku::web
