#include "text_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <sstream>

#include "ingest/text_layout.hpp"

namespace wenku::tools {
namespace {

constexpr double kWidth = 595, kHeight = 842;
constexpr const char* kFont = "Noto Serif CJK SC";

// Finishes the PDF; true when cairo wrote it without error.
bool Close(cairo_t* cr, cairo_surface_t* surface) {
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  return ok;
}

}  // namespace

bool WritePdfPages(const std::filesystem::path& path,
                   const std::vector<std::vector<std::string>>& pages) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kWidth, kHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) return false;
  cairo_t* cr = cairo_create(surface);
  for (const auto& lines : pages) {
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    double y = 72;
    for (const auto& line : lines) {
      cairo_move_to(cr, 60, y);
      cairo_show_text(cr, line.c_str());
      y += 24;
    }
    cairo_show_page(cr);
  }
  return Close(cr, surface);
}

bool WriteTextPdf(const std::filesystem::path& path, const std::string& text) {
  // Samples are written as paragraphs of wrapped lines: join them, one paragraph a line.
  std::istringstream in(text);
  std::string raw, joined, current;
  ingest::TextLayoutOptions options;
  while (std::getline(in, raw)) {
    if (raw.rfind("# ", 0) == 0) {
      options.title = raw.substr(2);
    } else if (raw.empty()) {
      if (!current.empty()) joined += current + "\n";
      current.clear();
    } else {
      current += (current.empty() || static_cast<unsigned char>(raw[0]) >= 0x80 ? "" : " ") + raw;
    }
  }
  if (!current.empty()) joined += current + "\n";
  options.font_size = 12;
  return ingest::LayOutText(path, joined, options).ok();
}

}  // namespace wenku::tools
