#include "ingest/text_layout.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

namespace wenku::ingest {
namespace {

constexpr double kWidth = 595.0, kHeight = 842.0, kMargin = 64.0;

struct PdfWriter {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  ~PdfWriter() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }
};

}  // namespace

Result<std::vector<std::string>> LayOutText(const std::filesystem::path& out, std::string_view utf8,
                                            const TextLayoutOptions& o,
                                            const std::function<void(int)>& progress) {
  PdfWriter w;
  w.surface = cairo_pdf_surface_create(out.c_str(), kWidth, kHeight);
  if (cairo_surface_status(w.surface) != CAIRO_STATUS_SUCCESS) {
    return MakeError(ErrorCode::kIo, "cannot create " + out.string());
  }
  w.cr = cairo_create(w.surface);
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(w.cr),
                                                                 g_object_unref);
  PangoContext* context = pango_layout_get_context(layout.get());
  pango_context_set_language(context, pango_language_from_string(o.language.c_str()));
  pango_layout_set_width(layout.get(), static_cast<int>((kWidth - 2 * kMargin) * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);

  auto font_for = [&](double size, bool bold) {
    PangoFontDescription* d = pango_font_description_from_string(o.font.c_str());
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
    return std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)>(
        d, pango_font_description_free);
  };
  auto body = font_for(o.font_size, false);
  auto heading = font_for(o.font_size * 1.7, true);

  std::vector<std::string> pages;
  std::string page_text;
  double y = kMargin;
  auto new_page = [&]() -> Status {
    cairo_show_page(w.cr);
    pages.push_back(std::move(page_text));
    page_text.clear();
    y = kMargin;
    if (progress) progress(static_cast<int>(pages.size()));
    if (static_cast<int>(pages.size()) >= o.max_pages) {
      return MakeError(ErrorCode::kResourceLimit, "The text is too long to lay out: more than " +
                                                      std::to_string(o.max_pages) + " pages.");
    }
    return {};
  };

  // One paragraph: its lines placed one below the other, breaking pages between lines.
  auto place = [&](std::string_view para, const PangoFontDescription* font,
                   double gap_after) -> Status {
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_text(layout.get(), para.data(), static_cast<int>(para.size()));
    PangoLayoutIter* it = pango_layout_get_iter(layout.get());
    Status s;
    do {
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double height = static_cast<double>(logical.height) / PANGO_SCALE * 1.25;
      if (y + height > kHeight - kMargin && y > kMargin) {
        s = new_page();
        if (!s.ok()) break;
      }
      double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
      cairo_move_to(w.cr, kMargin + static_cast<double>(logical.x) / PANGO_SCALE, y + baseline);
      pango_cairo_show_layout_line(w.cr, line);
      page_text.append(
          para.substr(static_cast<size_t>(line->start_index), static_cast<size_t>(line->length)));
      y += height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    page_text += '\n';
    y += gap_after;
    return s;
  };

  if (!o.title.empty()) WENKU_TRY(place(o.title, heading.get(), o.font_size));
  size_t start = 0;
  while (start <= utf8.size()) {
    size_t end = utf8.find_first_of("\n\f", start);
    if (end == std::string_view::npos) end = utf8.size();
    std::string_view para = utf8.substr(start, end - start);
    if (!para.empty() && para.back() == '\r') para.remove_suffix(1);
    if (!(end == utf8.size() && para.empty()))
      WENKU_TRY(place(para, body.get(), o.title.empty() ? 0 : o.font_size * 0.6));
    if (end < utf8.size() && utf8[end] == '\f' && !page_text.empty()) WENKU_TRY(new_page());
    start = end + 1;
  }
  // The last page (there is always one, even for text that is only blank lines).
  cairo_show_page(w.cr);
  while (!page_text.empty() && page_text.back() == '\n') page_text.pop_back();
  pages.push_back(std::move(page_text));
  cairo_destroy(w.cr);
  w.cr = nullptr;
  cairo_surface_finish(w.surface);
  if (cairo_surface_status(w.surface) != CAIRO_STATUS_SUCCESS) {
    return MakeError(ErrorCode::kIo, "cannot write " + out.string());
  }
  for (auto& p : pages) {
    while (!p.empty() && p.back() == '\n') p.pop_back();
  }
  return pages;
}

}  // namespace wenku::ingest
