#include "ingest/cover_placeholder.hpp"

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <webp/encode.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <memory>
#include <mutex>

#include "core/files.hpp"
#include "core/text.hpp"

namespace wenku::ingest {
namespace {

struct Rgb {
  double r, g, b;
};

// A band colour per family of formats, so a listing tells them apart at a glance.
Rgb BandColour(const std::string& format) {
  if (format == "pdf") return {0.75, 0.22, 0.17};
  if (format == "doc" || format == "docx" || format == "odt" || format == "rtf" || format == "wps")
    return {0.16, 0.38, 0.68};
  if (format == "xls" || format == "xlsx" || format == "ods" || format == "csv" || format == "et")
    return {0.13, 0.53, 0.30};
  if (format == "ppt" || format == "pptx" || format == "odp" || format == "dps")
    return {0.82, 0.42, 0.10};
  return {0.35, 0.38, 0.42};
}

std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> Font(double px,
                                                                                   bool bold) {
  PangoFontDescription* d = pango_font_description_from_string("Noto Sans CJK SC, sans-serif");
  pango_font_description_set_absolute_size(d, px * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
  return {d, pango_font_description_free};
}

}  // namespace

std::string CoverTitleText(const std::string& title) {
  gchar* valid = g_utf8_make_valid(title.data(), static_cast<gssize>(title.size()));
  std::string text(valid);
  g_free(valid);
  for (char& c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return TruncateCodePoints(text, 120);
}

Status DrawPlaceholderCover(const std::string& title, const std::string& format, int width,
                            int quality, const std::filesystem::path& out) {
  // Pango's font map and fontconfig are shared by the process; one card at a time is plenty.
  static std::mutex mu;
  std::lock_guard lock(mu);

  width = std::max(width, 60);
  const int height = width * 1414 / 1000;
  const double unit = width / 240.0;  // sizes below are for a 240 px card
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return MakeError(ErrorCode::kIo, "cannot draw the cover");
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_t* c = cr.get();

  // Paper, a frame, and a band with the format.
  cairo_set_source_rgb(c, 0.97, 0.97, 0.96);
  cairo_paint(c);
  cairo_set_source_rgb(c, 0.80, 0.81, 0.82);
  cairo_set_line_width(c, 2 * unit);
  cairo_rectangle(c, unit, unit, width - 2 * unit, height - 2 * unit);
  cairo_stroke(c);
  const Rgb band = BandColour(format);
  const double band_height = 56 * unit;
  cairo_set_source_rgb(c, band.r, band.g, band.b);
  cairo_rectangle(c, 0, 0, width, band_height);
  cairo_fill(c);

  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(c),
                                                                 g_object_unref);
  PangoLayout* l = layout.get();
  const double margin = 18 * unit;
  pango_layout_set_width(l, static_cast<int>((width - 2 * margin) * PANGO_SCALE));

  std::string label = format.empty() ? std::string("FILE") : format;
  for (char& ch : label) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  label = CoverTitleText(label.substr(0, 12));
  auto label_font = Font(26 * unit, true);
  pango_layout_set_font_description(l, label_font.get());
  pango_layout_set_text(l, label.data(), static_cast<int>(label.size()));
  int lw = 0, lh = 0;
  pango_layout_get_pixel_size(l, &lw, &lh);
  cairo_set_source_rgb(c, 1, 1, 1);
  cairo_move_to(c, margin, (band_height - lh) / 2);
  pango_cairo_show_layout(c, l);

  const std::string text = CoverTitleText(title);
  auto title_font = Font(20 * unit, false);
  pango_layout_set_font_description(l, title_font.get());
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(l, static_cast<int>((height - band_height - 2 * margin) * PANGO_SCALE));
  pango_layout_set_text(l, text.data(), static_cast<int>(text.size()));
  cairo_set_source_rgb(c, 0.13, 0.14, 0.16);
  cairo_move_to(c, margin, band_height + margin);
  pango_cairo_show_layout(c, l);
  cairo_surface_flush(surface.get());

  WebPPicture pic;
  if (!WebPPictureInit(&pic)) return MakeError(ErrorCode::kInternal, "libwebp mismatch");
  pic.width = width;
  pic.height = height;
  // CAIRO_FORMAT_RGB24 on a little-endian machine is B, G, R, unused in memory.
  static_assert(std::endian::native == std::endian::little);
  bool ok = WebPPictureImportBGRX(&pic, cairo_image_surface_get_data(surface.get()),
                                  cairo_image_surface_get_stride(surface.get())) != 0;
  WebPConfig config;
  ok = ok && WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, static_cast<float>(quality));
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  pic.writer = WebPMemoryWrite;
  pic.custom_ptr = &writer;
  ok = ok && WebPEncode(&config, &pic) != 0;
  WebPPictureFree(&pic);
  Status written = MakeError(ErrorCode::kIo, "cannot encode the cover");
  if (ok) {
    written = WriteFileAtomic(
        out, std::string_view(reinterpret_cast<const char*>(writer.mem), writer.size));
  }
  WebPMemoryWriterClear(&writer);
  return written;
}

}  // namespace wenku::ingest
