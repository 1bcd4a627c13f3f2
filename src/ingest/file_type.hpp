// FileType: what an uploaded file really is, decided from its first bytes. Our own sniffing
// decides for the formats Wenku converts (PDF, DWG/DXF, encrypted OLE); libmagic names the
// rest; the uploaded name's extension is only a hint, used where the bytes are ambiguous
// (an OLE container from Kingsoft WPS, a text file in an encoding libmagic calls "data").
// Pure function of bytes + name; thread-safe (each thread keeps its own libmagic handle).
#pragma once

#include <string>
#include <string_view>

namespace wenku::ingest {

enum class FileKind {
  kPdf,
  kText,             // plain text in any encoding
  kOffice,           // LibreOffice reads it: Word, Excel, PowerPoint, ODF, RTF, WPS, HTML, EPUB
  kDrawing,          // DXF, ASCII or binary (CadConverter)
  kImage,            // JPEG, PNG, TIFF, BMP, GIF, WebP
  kArchive,          // ZIP, 7z, RAR, gzip, tar
  kDwg,              // AutoCAD DWG (CadConverter: LibreDWG)
  kEncryptedOffice,  // an OLE "EncryptedPackage": a password-protected Office file
  kEmpty,
  kUnknown,
};

struct FileType {
  FileKind kind = FileKind::kUnknown;
  std::string format;       // "pdf", "txt", "docx", "xls", "png", "zip", … ("" when unknown)
  std::string mime;         // libmagic's MIME type (or ours where we know better)
  std::string description;  // libmagic's words, for "unsupported file type (detected: …)"
};

// The description of a binary DXF (libmagic has no words for it).
inline constexpr std::string_view kBinaryDxf = "AutoCAD binary DXF";

// `head` is the file's first bytes (64 KiB is plenty); `filename` the uploaded name.
FileType DetectFileType(std::string_view head, std::string_view filename);

}  // namespace wenku::ingest
