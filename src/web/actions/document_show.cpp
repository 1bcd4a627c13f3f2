// GET /d/{id} — the document page (the seed): facts, 下载本文档, 版权说明, the free preview
// (page images with each page's own text numbered 1、2、…), 免费预览已结束, 温馨提示,
// 最新文档, comments. A document still converting shows its progress; a failed one shows
// its reason (only its owner and moderators can see either). An archive shows what it holds:
// a grid of its member documents with their covers, its drawings' first sheets, its other
// files as text (AddMembers).
#include <charconv>

#include "core/text.hpp"
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/search_limit.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kPagesPerScreen = 20;

std::string OneLine(std::string_view text, size_t max_points) {
  std::string out;
  bool space = false;
  size_t points = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++points > max_points + 1) break;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return TruncateCodePoints(out, max_points);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \n\r\t\f");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \n\r\t\f");
  return s.substr(b, e - b + 1);
}

// An archive's members (nothing for another document): a grid of the documents the visitor
// may see — cover (ready ones), title, pages, state, link — then each drawing's page 1 large
// (图纸预览, when the visitor may see that page), then the other files as text: those that are
// not documents with their note, and documents the visitor may not see (library::CheckView:
// held, taken down, not ready yet, their owner disabled) with only their path and a neutral
// note — never their title, cover or link.
Status AddMembers(Context& ctx, const Document& doc, View& v) {
  auto members = ctx.site.documents().MembersWithDocuments(doc.id);
  if (!members.ok()) return members.error();
  if (members->empty()) return {};
  const library::Visitor user = ctx.visitor();
  const Lang lang = ctx.lang;
  const int64_t width = ctx.site.options().preview_width;
  v.set("members_heading", Format(lang, "members_heading", {std::to_string(members->size())}));
  ViewList cards, drawings, files;
  int64_t left_out = 0;  // past the archive's budget (library::Submit): said in words
  for (const storage::MemberWithDocument& entry : *members) {
    const ArchiveMember& m = entry.member;
    if (!entry.document || !library::CheckView(user, *entry.document).ok()) {
      if (!entry.document && std::string_view(m.note).starts_with(library::kLeftOut)) ++left_out;
      View f;
      f.set("path", m.path);
      f.set("note", entry.document ? T(lang, "member_unavailable") : m.note);
      files.push_back(f);
      continue;
    }
    const Document& d = *entry.document;
    const std::string href = "/d/" + std::to_string(d.id);
    View c;
    c.set("href", href);
    c.set("path", m.path);
    c.set("title", d.title);
    c.set("state", std::string(DocStateName(d.state)));
    c.set("format_label", FormatLabel(d.format));
    if (d.state == DocState::kReady) {
      c.set("cover", CoverUrl(d));
      c.set("pages_label", Format(lang, "pages_count", {std::to_string(d.page_count)}));
      if (library::IsHeld(d)) c.set("state_label", T(lang, "state_held"));
    } else {
      c.set("state_label", T(lang, "state_" + std::string(DocStateName(d.state))));
    }
    if (d.state == DocState::kFailed && !d.failure_reason.empty()) {
      c.set("failure_reason", OneLine(d.failure_reason, 60));
    }
    cards.push_back(c);
    if (IsDrawingFormat(d.format) && d.state == DocState::kReady && d.page_count > 0) {
      const library::PreviewPages preview = ctx.site.preview();
      const bool may_see =
          library::MaySeePage(user, d, library::Bought::kNo, preview, 1) ||
          (user != nullptr && library::MaySeePage(user, d, ctx.BoughtOf(d), preview, 1));
      if (may_see) {
        View p;
        p.set("href", href);
        p.set("title", d.title);
        p.set("image", href + "/pages/1.webp");
        p.set("alt", Format(lang, "drawing_preview_alt", {d.title}));
        const int64_t w = entry.page1_width_pt, h = entry.page1_height_pt;
        p.set("w", std::to_string(width));
        p.set("h", std::to_string(w > 0 && h > 0 ? width * h / w : width * 1000 / 1414));
        drawings.push_back(p);
      }
    }
  }
  if (!cards.empty()) {
    View grid;
    grid.set("cards", cards);
    v.set("member_grid", grid);
  }
  if (!drawings.empty()) {
    View d;
    d.set("items", drawings);
    v.set("drawing_previews", d);
  }
  if (!files.empty()) {
    View f;
    f.set("items", files);
    if (!cards.empty()) f.set("heading", T(lang, "members_other"));
    v.set("member_files", f);
  }
  if (left_out > 0) {
    v.set("members_left_out",
          Format(lang, "archive_left_out",
                 {std::to_string(left_out),
                  std::to_string(ctx.site.submit_limits().archive_max_documents)}));
  }
  return {};
}

}  // namespace

int64_t ParseId(const std::string& text) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return 0;
  return id;
}

Response RenderDocumentPage(Context& ctx, const Document& doc, const CommentDraft& draft,
                            int status) {
  const library::Visitor user = ctx.visitor();
  const Lang lang = ctx.lang;
  View v = BaseView(ctx, doc.title);
  const std::string id = std::to_string(doc.id);
  v.set("id", id);
  v.set("doc_id", id);
  v.set("title", doc.title);
  v.set("state", std::string(DocStateName(doc.state)));
  v.set("format_label", FormatLabel(doc.format));
  v.set("page_count", std::to_string(doc.page_count));
  v.set("size_label", SizeLabel(doc.size));
  v.set("date", DateLabel(doc.created_at));
  v.set("owner", doc.owner_name);
  v.set("owner_path", PathSegment(doc.owner_name));
  // A hidden category's name is shown as usual; its listing is linked for those who may
  // see it.
  if (auto category = ctx.site.categories().Find(doc.category)) {
    if (ctx.site.categories().MayList(user, doc.category)) v.set("category", doc.category);
    v.set("category_name", CategoryLabel(lang, *category));
  }
  v.set("views", std::to_string(doc.views));
  v.set("downloads", std::to_string(doc.downloads));
  v.set("price_label", PriceLabel(lang, doc.price));
  v.set("can_delete",
        library::MayManage(user, doc) ? View::type::bool_true : View::type::bool_false);
  if (!doc.description.empty()) v.set("description", doc.description);

  if (ctx.IsModerator()) {  // the take-down / restore form and the document's audit log
    View m;
    const bool ready = doc.state == DocState::kReady;
    const bool removed = doc.state == DocState::kTakenDown;
    if (removed) {
      m.set("removed", Format(lang, "moderate_removed", {T(lang, "reason_" + doc.removal_reason)}));
    }
    if (ready || removed) m.set("can_act", View::type::bool_true);
    if (ready) {
      m.set("can_take_down", View::type::bool_true);
      m.set("reasons", ReasonOptions(ctx, "copyright"));
    }
    if (removed) m.set("can_restore", View::type::bool_true);
    auto entries = ctx.site.cases().AuditOfDocument(doc.id);
    if (!entries.ok()) return Fail(ctx, entries.error());
    ViewList audit;
    for (const storage::AuditEntry& e : *entries) {
      View a;
      a.set("date", DateLabel(e.created_at));
      a.set("actor", e.actor_name);
      a.set("action_label", AuditActionLabel(ctx, e.action));
      if (e.case_id) a.set("case_label", Format(lang, "case_number", {std::to_string(e.case_id)}));
      a.set("note", e.note);
      audit.push_back(a);
    }
    m.set("audit", audit);
    v.set("moderation", m);
    v.set("csrf", ctx.CsrfToken());
  }

  auto& documents = ctx.site.documents();
  if (doc.state == DocState::kQueued || doc.state == DocState::kProcessing) {
    View c;
    c.set("stage_label", T(lang, "stage_" + doc.progress.stage));
    c.set("progress_done", std::to_string(doc.progress.done));
    c.set("progress_total", std::to_string(std::max<int64_t>(1, doc.progress.total)));
    c.set("progress_label", doc.progress.total > 0 ? std::to_string(doc.progress.done) + "/" +
                                                         std::to_string(doc.progress.total)
                                                   : std::string());
    // Fail closed: while converters cannot run, the document waits, and says so.
    if (doc.state == DocState::kQueued && !ctx.site.ConvertersReady().ok()) {
      c.set("paused", T(lang, "converting_paused"));
    }
    v.set("converting", c);
    v.set("refresh", "5");  // without JavaScript the page reloads itself
    ViewList scripts;
    View s;
    s.set("src", "/static/js/document.js");
    scripts.push_back(s);
    v.set("scripts", scripts);
  }
  if (library::IsHeld(doc)) v.set("held", View::type::bool_true);  // owner and moderators only
  if (doc.state == DocState::kFailed) {
    View f;
    if (!doc.failure_reason.empty()) f.set("failure_reason", doc.failure_reason);
    v.set("failed", f);
  }
  if (doc.state == DocState::kReady) {
    v.set("ready", View::type::bool_true);
    if (ctx.req.method == "GET") {  // a HEAD reads nothing
      ctx.site.views().Count(doc.id, SearchVisitorKey(user, ctx.req.remote_ip), ctx.site.NowMs());
    }
    ctx.viewed_document = doc.id;
    const library::Bought bought = ctx.BoughtOf(doc);
    const int64_t visible = library::VisiblePages(user, doc, bought, ctx.site.preview());
    // 下载本文档 · 需 N 积分: leads to the confirm step (anonymous visitors log in first).
    const Status download = library::MayDownload(user, doc, bought);
    if (!download.ok() && doc.price > 0 &&
        (user == nullptr || download.error().code == ErrorCode::kInsufficientPoints)) {
      v.set("buy_label", Format(lang, "download_needs_points", {std::to_string(doc.price)}));
    }
    const int64_t preview = library::FreePreviewPages(doc, ctx.site.preview());
    int64_t from = 1, to = preview;
    int64_t asked = ParseId(ctx.req.Query("from"));
    if (asked > preview && visible > preview) {  // entitled readers page on past the preview
      from = std::min(asked, visible);
      to = std::min(visible, from + kPagesPerScreen - 1);
    }
    auto pages = documents.Pages(doc.id, from, to);
    if (!pages.ok()) return Fail(ctx, pages.error());
    const int64_t width = ctx.site.options().preview_width;
    ViewList list;
    for (const Page& p : *pages) {
      View pv;
      pv.set("n", std::to_string(p.n));
      pv.set("image", "/d/" + id + "/pages/" + std::to_string(p.n) + ".webp");
      pv.set("alt", Format(lang, "page_alt", {std::to_string(p.n)}));
      pv.set("text", Trim(p.text));
      if (doc.text_pending && p.source == TextSource::kNone)
        pv.set("text_pending", T(lang, "text_pending_page"));
      int64_t h = p.width_pt > 0 ? width * p.height_pt / p.width_pt : width * 1414 / 1000;
      pv.set("w", std::to_string(width));
      pv.set("h", std::to_string(h));
      list.push_back(pv);
      if (p.n == 1) {
        std::string summary = OneLine(p.text, 120);
        if (!summary.empty()) v.set("meta_description", summary);
      }
    }
    v.set("pages", list);
    if (from == 1 && doc.page_count > preview) {
      v.set("preview_end", Format(lang, "preview_end", {std::to_string(doc.page_count - preview)}));
    }
    if (to < visible)
      v.set("more_href",
            "/d/" + id + "?from=" + std::to_string(to + 1) + "#p" + std::to_string(to + 1));
    if (Status members = AddMembers(ctx, doc, v); !members.ok()) {
      return Fail(ctx, members.error());
    }
    View og;
    const std::string base = ctx.site.PublicBase();
    og.set("title", doc.title);
    og.set("description", doc.description.empty()
                              ? OneLine(pages->empty() ? "" : (*pages)[0].text, 120)
                              : OneLine(doc.description, 120));
    og.set("url", base + "/d/" + id);
    og.set("image", base + CoverUrl(doc));
    v.set("og", og);
  }
  if (!v.get("meta_description")) {
    v.set("meta_description", OneLine(doc.description.empty() ? doc.title : doc.description, 120));
  }

  // 温馨提示: the site's own tips, else the catalog's.
  ViewList tips;
  if (auto site_tips = ctx.site.tips(); !site_tips.empty()) {
    for (const auto& tip : site_tips) tips.push_back(View(tip));
  } else {
    for (const char* key : {"tip_1", "tip_2", "tip_3", "tip_4"}) tips.push_back(View(T(lang, key)));
  }
  v.set("tips", tips);

  storage::Browse latest_query;
  latest_query.limit = 11;
  auto latest = documents.List(latest_query);
  if (!latest.ok()) return Fail(ctx, latest.error());
  ViewList latest_list;
  for (const Document& d : *latest) {
    if (d.id == doc.id || latest_list.size() >= 10) continue;
    View lv;
    lv.set("id", std::to_string(d.id));
    lv.set("title", d.title);
    latest_list.push_back(lv);
  }
  v.set("latest", latest_list);

  auto& comments = ctx.site.comments();
  const storage::CommentReader reader = library::CommentReaderOf(user);
  auto list = comments.List(doc.id, 50, 0, reader);
  auto count = comments.Count(doc.id, reader);
  if (!list.ok()) return Fail(ctx, list.error());
  if (!count.ok()) return Fail(ctx, count.error());
  ViewList cl;
  for (const storage::Comment& c : *list) {
    View cv;
    cv.set("comment_id", std::to_string(c.id));
    cv.set("user", c.user_name);
    cv.set("date", DateLabel(c.created_at));
    cv.set("text", c.text);
    if (c.held) cv.set("held", View::type::bool_true);
    cv.set("can_delete", library::MayDeleteComment(user, doc, c) ? View::type::bool_true
                                                                 : View::type::bool_false);
    cl.push_back(cv);
  }
  v.set("comments", cl);
  v.set("comment_count", std::to_string(*count));
  v.set("comment_draft", draft.text);
  v.set("draft_count", std::to_string(CodePointCount(NormalizeNfc(draft.text))));
  v.set("comment_error", draft.error);
  if (ctx.user) {
    ViewList scripts;
    View s;
    s.set("src", "/static/js/document.js");
    scripts.push_back(s);
    if (!v.get("scripts")) v.set("scripts", scripts);
  }
  return RenderPage(ctx, "document", v, status);
}

Response ShowDocument(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  if (Status v = library::CheckView(ctx.visitor(), *doc); !v.ok()) return Fail(ctx, v.error());
  return RenderDocumentPage(ctx, *doc, {});
}

}  // namespace wenku::web
