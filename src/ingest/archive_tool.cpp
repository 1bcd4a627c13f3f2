#include "ingest/archive_tool.hpp"

#include "core/text.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "ingest/text_decoder.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = Utf8SequenceLength(c);
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

std::string DecodeName(const char* raw_utf8, const char* raw) {
  if (raw_utf8 != nullptr) return raw_utf8;
  std::string bytes = raw ? raw : "";
  if (ValidUtf8(bytes)) return bytes;
  if (auto gbk = DecodeWith(bytes, "GB18030"); gbk.ok()) return *gbk;
  if (auto dos = DecodeWith(bytes, "ibm-437"); dos.ok()) return *dos;
  return "(unreadable name)";
}

bool Escapes(const std::string& path) {
  if (path.empty()) return false;
  if (path[0] == '/' || path[0] == '\\' || (path.size() > 1 && path[1] == ':')) return true;
  std::string p = path;
  for (auto& c : p) {
    if (c == '\\') c = '/';
  }
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0) return true;
    start = end + 1;
  }
  return false;
}

// libarchive's reason for its last failure; it has none for some (a truncated gzip at open).
std::string Why(archive* a) {
  const char* why = archive_error_string(a);
  return why != nullptr ? why : "unknown error";
}

int Fail(const std::string& code, const std::string& message) {
  return ToolDocumentError(code, message);
}

int Convert(const std::string& in, const fs::path& out_dir) {
  std::setlocale(LC_ALL, "C.UTF-8");  // else libarchive returns NULL for non-ASCII names
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  int64_t archive_size = static_cast<int64_t>(fs::file_size(in, ec));
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  archive_read_support_format_raw(a.get());  // a lone compressed file (x.gz)
  if (archive_read_open_filename(a.get(), in.c_str(), 1 << 16) != ARCHIVE_OK) {
    return Fail("corrupt", "The archive cannot be opened: " + Why(a.get()) + ".");
  }
  std::ofstream list(out_dir / "members.jsonl", std::ios::binary | std::ios::trunc);
  int idx = 0;
  int64_t unpacked = 0;
  std::vector<char> buf(1 << 16);
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      std::string why = Why(a.get());
      if (why.find("ncrypt") != std::string::npos || why.find("assword") != std::string::npos) {
        return Fail("encrypted",
                    "This archive is password-protected: its contents cannot be read without the "
                    "password.");
      }
      if (idx == 0)
        return Fail("corrupt", "The archive is damaged and cannot be read (" + why + ").");
      return Fail("corrupt", "The archive is damaged after its first " + std::to_string(idx) +
                                 " members (" + why + ").");
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (++idx > kMaxMembers) {
      return Fail("resource_limit", "The archive has more than " + std::to_string(kMaxMembers) +
                                        " files; it was not unpacked.");
    }
    std::string path =
        DecodeName(archive_entry_pathname_utf8(entry), archive_entry_pathname(entry));
    if (path == "data") path = fs::path(in).stem().string();  // the raw format's one member
    if (Escapes(path)) {
      return Fail("corrupt", "The archive contains a file whose path points outside it (" + path +
                                 "), a known attack (zip-slip); it was not unpacked.");
    }
    nlohmann::json j{{"idx", idx},
                     {"path", path},
                     {"size", archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0},
                     {"file", nullptr},
                     {"note", nullptr}};
    if (archive_entry_is_encrypted(entry)) {
      j["note"] = "password-protected";
    } else {
      char name[32];
      std::snprintf(name, sizeof name, "m-%04d", idx);
      std::ofstream out(out_dir / name, std::ios::binary | std::ios::trunc);
      int64_t member_bytes = 0;
      for (;;) {
        la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
        if (n == 0) break;
        if (n < 0) {
          std::string why = Why(a.get());
          // RAR5 reports an encrypted member's data as bad block headers; the entry says why.
          if (why.find("ncrypt") != std::string::npos || why.find("assword") != std::string::npos ||
              archive_entry_is_data_encrypted(entry) ||
              archive_read_has_encrypted_entries(a.get()) > 0) {
            j["note"] = "password-protected";
          } else {
            j["note"] = "cannot be unpacked: " + why;
          }
          break;
        }
        member_bytes += n;
        unpacked += n;
        if (member_bytes > kMaxMemberBytes) {
          j["note"] = "larger than " + std::to_string(kMaxMemberBytes >> 20) + " MB; not unpacked";
          break;
        }
        if (unpacked > kMaxUnpacked ||
            (unpacked > (10 << 20) && unpacked > kMaxRatio * std::max<int64_t>(archive_size, 1))) {
          return Fail("resource_limit",
                      "The archive unpacks to far more than its own size (more than " +
                          std::to_string(unpacked >> 20) + " MB from " +
                          std::to_string(archive_size >> 10) +
                          " KB): it looks like a zip bomb and was not unpacked.");
        }
        out.write(buf.data(), n);
      }
      out.close();
      j["size"] = member_bytes;
      if (j["note"].is_null()) {
        j["file"] = name;
      } else {
        fs::remove(out_dir / name, ec);
      }
    }
    list << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    std::printf("progress %d 0\n", idx);
    std::fflush(stdout);
  }
  if (idx == 0)
    return Fail("corrupt", "The archive holds no file that can be read; it is probably damaged.");
  return 0;
}

}  // namespace

int RunArchiveTool(const std::vector<std::string>& args) {
  return RunInOutTool("archive", args, Convert);
}

}  // namespace wenku::ingest
