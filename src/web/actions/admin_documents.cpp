// GET /admin/documents — every document for moderators and admins (the route table says so):
// found by a part of its title or file name or its id, its state, its uploader's name and its
// category (admin_page.hpp: DocumentsFilter), newest first, kDocumentsPerPage a page. Each row
// shows id, title (a link), uploader, state, category, price, pages, created and — failed —
// the failure reason, and the decisions that apply, each a form posting to
// POST /admin/documents/{id} (document_moderate.cpp): edit, take down, restore, delete, retry.
#include <array>

#include "library/categories.hpp"
#include "library/submit.hpp"
#include "moderation/moderation.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr std::array<DocState, 5> kStates = {DocState::kQueued, DocState::kProcessing,
                                             DocState::kReady, DocState::kFailed,
                                             DocState::kTakenDown};

std::string Cut(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

ViewList CategoryOptions(Context& ctx, std::string_view chosen, bool with_all) {
  ViewList list;
  if (with_all) list.push_back(SelectOption("", T(ctx.lang, "admin_all"), chosen.empty()));
  for (const library::Category& c : ctx.site.categories().All()) {
    View o;
    o.set("value", std::string(c.slug));
    o.set("label", std::string(ctx.lang == Lang::kEn ? c.en : c.zh));
    o.set("selected", Flag(c.slug == chosen));
    list.push_back(o);
  }
  return list;
}

std::string CategoryLabel(Context& ctx, const std::string& slug) {
  const std::optional<library::Category> c = ctx.site.categories().Find(slug);
  if (!c) return slug;
  return std::string(ctx.lang == Lang::kEn ? c->en : c->zh);
}

View Hidden(Context& ctx, const DocumentsFilter& f) {
  View h;
  h.set("csrf", ctx.CsrfToken());
  h.set("f_q", f.q);
  h.set("f_state", f.state ? std::string(DocStateName(*f.state)) : "");
  h.set("f_uploader", f.uploader);
  h.set("f_category", f.category);
  h.set("f_page", std::to_string(f.page));
  return h;
}

View RowView(Context& ctx, const Document& d, const DocumentsFilter& filter,
             const EditError& error) {
  View v;
  const std::string id = std::to_string(d.id);
  v.set("id", id);
  v.set("title", d.title);
  v.set("href", "/d/" + id);
  v.set("uploader", d.owner_name);
  v.set("state", std::string(DocStateName(d.state)));
  v.set("state_label", T(ctx.lang, "state_" + std::string(DocStateName(d.state))));
  v.set("category_label", CategoryLabel(ctx, d.category));
  v.set("price", std::to_string(d.price));
  v.set("pages", std::to_string(d.page_count));
  v.set("created", DateLabel(d.created_at));
  if (d.state == DocState::kFailed) {
    v.set("failure_reason", d.failure_reason.empty() ? d.failure_code : d.failure_reason);
    v.set("may_retry", View::type::bool_true);
  }
  if (d.state == DocState::kReady) v.set("may_take_down", View::type::bool_true);
  if (d.state == DocState::kTakenDown) v.set("may_restore", View::type::bool_true);
  v.set("hidden", Hidden(ctx, filter));
  v.set("reasons", ReasonOptions(ctx, ""));

  const bool mine = error.document == d.id;
  View edit;
  edit.set("title", mine ? error.title : d.title);
  edit.set("description", mine ? error.description : d.description);
  edit.set("price", mine ? error.price : std::to_string(d.price));
  edit.set("note", mine ? error.note : "");
  edit.set("categories", CategoryOptions(ctx, mine ? error.category : d.category, false));
  auto put = [&](const char* name, const std::string& key) {
    if (mine && !key.empty()) edit.set(name, T(ctx.lang, key));
  };
  put("title_error", error.title_error);
  put("description_error", error.description_error);
  put("category_error", error.category_error);
  put("price_error", error.price_error);
  put("note_error", error.note_error);
  v.set("edit", edit);
  if (mine) {
    v.set("open", View::type::bool_true);
    if (!error.message.empty()) v.set("row_error", error.message);
  }
  return v;
}

}  // namespace

DocumentsFilter ReadDocumentsFilter(const std::string& q, const std::string& state,
                                    const std::string& uploader, const std::string& category,
                                    const std::string& page) {
  DocumentsFilter f;
  f.q = Cut(q, 200);
  f.state = ParseDocState(state);
  f.uploader = Cut(uploader, 64);
  f.category = Cut(category, 64);
  f.page = std::clamp<int64_t>(ParseId(page), 1, kMaxDocumentPages);
  return f;
}

std::string DocumentsHref(const DocumentsFilter& f) {
  std::string href = "/admin/documents?q=" + UrlEncode(f.q);
  if (f.state) href += "&state=" + std::string(DocStateName(*f.state));
  if (!f.uploader.empty()) href += "&uploader=" + UrlEncode(f.uploader);
  if (!f.category.empty()) href += "&category=" + UrlEncode(f.category);
  if (f.page > 1) href += "&page=" + std::to_string(f.page);
  return href;
}

Response RenderDocumentsPage(Context& ctx, const DocumentsFilter& filter, const EditError& error,
                             int status) {
  storage::DocumentQuery q;
  q.text = filter.q;
  q.state = filter.state;
  q.uploader = filter.uploader;
  q.category = filter.category;
  q.limit = kDocumentsPerPage + 1;  // one more tells whether there is a next page
  q.offset = (filter.page - 1) * kDocumentsPerPage;
  auto docs = ctx.site.documents().Search(q);
  if (!docs.ok()) return Fail(ctx, docs.error());
  const bool more = TrimToPage(*docs, kDocumentsPerPage);

  View v = BaseView(ctx, T(ctx.lang, "admin_documents_heading"));
  v.set("nav_documents", View::type::bool_true);
  v.set("q", filter.q);
  v.set("uploader", filter.uploader);
  ViewList states;
  states.push_back(SelectOption("", T(ctx.lang, "admin_all"), !filter.state));
  for (DocState s : kStates) {
    View o;
    o.set("value", std::string(DocStateName(s)));
    o.set("label", T(ctx.lang, "state_" + std::string(DocStateName(s))));
    o.set("selected", Flag(filter.state == s));
    states.push_back(o);
  }
  v.set("state_options", states);
  v.set("category_options", CategoryOptions(ctx, filter.category, true));
  ViewList rows;
  for (const Document& d : *docs) rows.push_back(RowView(ctx, d, filter, error));
  v.set("documents", rows);
  if (docs->empty()) v.set("no_documents", View::type::bool_true);
  if (filter.page > 1) {
    DocumentsFilter prev = filter;
    --prev.page;
    v.set("prev_href", DocumentsHref(prev));
  }
  if (more && filter.page < kMaxDocumentPages) {
    DocumentsFilter next = filter;
    ++next.page;
    v.set("next_href", DocumentsHref(next));
  }
  return RenderPage(ctx, "admin_documents", v, status);
}

Response ShowAdminDocuments(Context& ctx) {
  const Request& r = ctx.req;
  return RenderDocumentsPage(
      ctx,
      ReadDocumentsFilter(r.Query("q"), r.Query("state"), r.Query("uploader"), r.Query("category"),
                          r.Query("page")),
      {}, 200);
}

}  // namespace wenku::web
