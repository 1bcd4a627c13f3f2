#include "ingest/file_type.hpp"

#include <magic.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "ingest/text_decoder.hpp"

namespace wenku::ingest {
namespace {

struct Magic {
  std::string mime;
  std::string description;
};

Magic AskLibmagic(std::string_view head) {
  thread_local std::unique_ptr<magic_set, decltype(&magic_close)> mime(nullptr, magic_close);
  thread_local std::unique_ptr<magic_set, decltype(&magic_close)> text(nullptr, magic_close);
  if (!mime) {
    mime.reset(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
    text.reset(magic_open(MAGIC_ERROR));
    if (mime) magic_load(mime.get(), nullptr);
    if (text) magic_load(text.get(), nullptr);
  }
  Magic m;
  if (const char* s = mime ? magic_buffer(mime.get(), head.data(), head.size()) : nullptr)
    m.mime = s;
  if (const char* s = text ? magic_buffer(text.get(), head.data(), head.size()) : nullptr)
    m.description = s;
  if (m.mime.empty()) m.mime = "application/octet-stream";
  if (m.description.empty()) m.description = "unknown data";
  return m;
}

std::string Extension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(filename.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ASCII DXF: group code 0 then SECTION, one per line (after an optional 999 comment).
bool LooksLikeAsciiDxf(std::string_view head) {
  std::vector<std::string_view> lines;
  std::string_view rest = head.substr(0, 1024);
  while (lines.size() < 4 && !rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    size_t b = line.find_first_not_of(" \t\r");
    size_t e = line.find_last_not_of(" \t\r");
    lines.push_back(b == std::string_view::npos ? std::string_view() : line.substr(b, e - b + 1));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  auto at = [&](size_t i) { return i < lines.size() ? lines[i] : std::string_view(); };
  return (at(0) == "0" && at(1) == "SECTION") ||
         (at(0) == "999" && at(2) == "0" && at(3) == "SECTION");
}

// A ZIP that is really a document: libmagic names most, but not all (an EPUB whose first
// entry is stored, an OOXML file cut short). The entry names near the start tell.
std::string ZipDocumentFormat(std::string_view head) {
  if (head.substr(0, 4) != "PK\x03\x04") return "";
  if (Contains(head, "application/epub+zip") || Contains(head, "META-INF/container.xml"))
    return "epub";
  if (Contains(head, "application/vnd.oasis.opendocument.text")) return "odt";
  if (Contains(head, "application/vnd.oasis.opendocument.spreadsheet")) return "ods";
  if (Contains(head, "application/vnd.oasis.opendocument.presentation")) return "odp";
  if (Contains(head, "[Content_Types].xml") || Contains(head, "_rels/.rels")) {
    if (Contains(head, "word/")) return "docx";
    if (Contains(head, "xl/")) return "xlsx";
    if (Contains(head, "ppt/")) return "pptx";
  }
  return "";
}

struct MimeRule {
  const char* mime;
  FileKind kind;
  const char* format;
};

constexpr MimeRule kMimeRules[] = {
    {"application/msword", FileKind::kOffice, "doc"},
    {"application/vnd.ms-excel", FileKind::kOffice, "xls"},
    {"application/vnd.ms-powerpoint", FileKind::kOffice, "ppt"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileKind::kOffice,
     "docx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileKind::kOffice,
     "xlsx"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", FileKind::kOffice,
     "pptx"},
    {"application/vnd.oasis.opendocument.text", FileKind::kOffice, "odt"},
    {"application/vnd.oasis.opendocument.spreadsheet", FileKind::kOffice, "ods"},
    {"application/vnd.oasis.opendocument.presentation", FileKind::kOffice, "odp"},
    {"application/vnd.oasis.opendocument.graphics", FileKind::kOffice, "odg"},
    {"application/epub+zip", FileKind::kOffice, "epub"},
    {"text/rtf", FileKind::kOffice, "rtf"},
    {"application/rtf", FileKind::kOffice, "rtf"},
    {"text/html", FileKind::kOffice, "html"},
    {"image/vnd.dxf", FileKind::kDrawing, "dxf"},
    {"image/vnd.dwg", FileKind::kDwg, "dwg"},
    {"image/jpeg", FileKind::kImage, "jpeg"},
    {"image/png", FileKind::kImage, "png"},
    {"image/tiff", FileKind::kImage, "tiff"},
    {"image/bmp", FileKind::kImage, "bmp"},
    {"image/gif", FileKind::kImage, "gif"},
    {"image/webp", FileKind::kImage, "webp"},
    {"application/zip", FileKind::kArchive, "zip"},
    {"application/x-7z-compressed", FileKind::kArchive, "7z"},
    {"application/x-rar", FileKind::kArchive, "rar"},
    {"application/vnd.rar", FileKind::kArchive, "rar"},
    {"application/gzip", FileKind::kArchive, "gz"},
    {"application/x-gzip", FileKind::kArchive, "gz"},
    {"application/x-tar", FileKind::kArchive, "tar"},
};

}  // namespace

FileType DetectFileType(std::string_view head, std::string_view filename) {
  FileType t;
  if (head.empty()) {
    t.kind = FileKind::kEmpty;
    t.description = "empty";
    return t;
  }
  Magic m = AskLibmagic(head);
  t.mime = m.mime;
  t.description = m.description;
  std::string ext = Extension(filename);

  // Our own sniffing first: these decide regardless of what libmagic or the name say.
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) {
    return {FileKind::kPdf, "pdf", "application/pdf", m.description};
  }
  if (head.substr(0, 4) == "AC10" || head.substr(0, 6) == "AC1.40" ||
      head.substr(0, 6) == "AC2.10") {
    return {FileKind::kDwg, "dwg", "image/vnd.dwg", m.description};
  }
  if (head.substr(0, 18) == "AutoCAD Binary DXF") {
    return {FileKind::kDrawing, "dxf", "image/vnd.dxf", std::string(kBinaryDxf)};
  }
  if (LooksLikeAsciiDxf(head)) {
    return {FileKind::kDrawing, "dxf", "image/vnd.dxf", m.description};
  }
  if (Contains(m.description, "CDFV2 Encrypted") || Contains(m.description, "encrypted")) {
    if (head.substr(0, 4) == "\xD0\xCF\x11\xE0") {
      return {FileKind::kEncryptedOffice, ext.empty() ? "ole" : ext, m.mime, m.description};
    }
  }
  if (std::string zip_doc = ZipDocumentFormat(head); !zip_doc.empty()) {
    return {FileKind::kOffice, zip_doc, m.mime, m.description};
  }
  for (const auto& rule : kMimeRules) {
    if (m.mime == rule.mime) {
      t.kind = rule.kind;
      t.format = rule.format;
      // A ZIP that says by its name it is a document (and is perhaps damaged): let the
      // converter try it and say what is wrong.
      static const char* kZipDocuments[] = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"};
      if (t.kind == FileKind::kArchive && t.format == "zip") {
        for (const char* e : kZipDocuments) {
          if (ext == e) return {FileKind::kOffice, ext, m.mime, m.description};
        }
      }
      return t;
    }
  }
  // An OLE container libmagic cannot name (Kingsoft WPS, Works): the extension decides.
  if (head.substr(0, 4) == "\xD0\xCF\x11\xE0") {
    static const char* kOleOffice[] = {"doc", "xls", "ppt", "wps", "et",
                                       "dps", "pps", "dot", "xlt", "pot"};
    for (const char* e : kOleOffice) {
      if (ext == e) return {FileKind::kOffice, ext, m.mime, m.description};
    }
    return t;
  }
  if (m.mime.rfind("text/", 0) == 0 || m.mime == "application/csv" ||
      m.mime == "application/json") {
    return {FileKind::kText, "txt", m.mime, m.description};
  }
  // Text libmagic calls "data": UTF-16 without a byte-order mark, EBCDIC.
  std::string enc = DetectEncoding(head);
  if (enc.rfind("UTF-16", 0) == 0 || enc == "IBM500") {
    if (DecodeText(head).ok()) return {FileKind::kText, "txt", "text/plain", m.description};
  }
  return t;
}

}  // namespace wenku::ingest
