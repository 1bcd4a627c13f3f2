#include "text_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <sstream>

namespace wenku::tools {
namespace {

constexpr double kWidth = 595, kHeight = 842, kMargin = 64;
constexpr const char* kFont = "Noto Serif CJK SC";

size_t CodePointLength(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
}

// Breaks one paragraph into lines no wider than `max_width`, between code points (CJK text
// has no spaces; Latin words may be split at the margin, which is fine for samples).
std::vector<std::string> Wrap(cairo_t* cr, const std::string& paragraph, double max_width) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < paragraph.size();) {
    size_t len =
        std::min(CodePointLength(static_cast<unsigned char>(paragraph[i])), paragraph.size() - i);
    std::string candidate = line + paragraph.substr(i, len);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, candidate.c_str(), &ext);
    // Closing punctuation never starts a line (a small overhang instead).
    static const std::string kNoLineStart = "，。、；：！？）》」』”’";
    bool closing = len > 1 && kNoLineStart.find(paragraph.substr(i, len)) != std::string::npos;
    if (ext.x_advance > max_width && !line.empty() && !closing) {
      lines.push_back(line);
      line = paragraph.substr(i, len);
    } else {
      line = std::move(candidate);
    }
    i += len;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

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
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kWidth, kHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) return false;
  cairo_t* cr = cairo_create(surface);
  std::istringstream in(text);
  std::string raw;
  std::vector<std::pair<std::string, bool>> paragraphs;  // text, is title
  std::string current;
  while (std::getline(in, raw)) {
    if (raw.rfind("# ", 0) == 0) {
      paragraphs.emplace_back(raw.substr(2), true);
    } else if (raw.empty()) {
      if (!current.empty()) paragraphs.emplace_back(current, false);
      current.clear();
    } else {
      current += (current.empty() || static_cast<unsigned char>(raw[0]) >= 0x80 ? "" : " ") + raw;
    }
  }
  if (!current.empty()) paragraphs.emplace_back(current, false);

  double y = kMargin;
  int page = 1;
  auto footer = [&] {
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 9);
    cairo_move_to(cr, kWidth / 2 - 8, kHeight - 32);
    cairo_show_text(cr, ("- " + std::to_string(page) + " -").c_str());
  };
  for (const auto& [para, title] : paragraphs) {
    double size = title ? 20 : 12;
    double leading = size * 1.7;
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                           title ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    for (const auto& line : Wrap(cr, para, kWidth - 2 * kMargin)) {
      if (y + leading > kHeight - kMargin) {
        footer();
        cairo_show_page(cr);
        ++page;
        y = kMargin;
        cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                               title ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, size);
      }
      y += leading;
      cairo_move_to(cr, kMargin, y);
      cairo_show_text(cr, line.c_str());
    }
    y += size * 0.8;
  }
  footer();
  cairo_show_page(cr);
  return Close(cr, surface);
}

}  // namespace wenku::tools
