#include "ingest/epub_tool.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "ingest/archive_tool.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;

// "OPS/chapters/../img/a.png" → "OPS/img/a.png"; URL escapes like %20 decoded.
std::string NormalizePath(const std::string& dir, const std::string& href) {
  std::string raw = dir.empty() ? href : dir + "/" + href;
  std::string decoded;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      decoded += static_cast<char>(std::strtol(raw.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else if (raw[i] == '#') {
      break;
    } else {
      decoded += raw[i];
    }
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    std::string part = decoded.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string Attr(xmlNode* node, const char* name) {
  xmlChar* v = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

bool Named(xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         xmlStrcasecmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

template <typename F>
void Walk(xmlNode* node, const F& visit) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (visit(n)) Walk(n->children, visit);
  }
}

bool IsBlock(xmlNode* n) {
  static const char* kBlocks[] = {"p",   "div", "h1", "h2", "h3",         "h4",      "h5",
                                  "h6",  "li",  "br", "tr", "blockquote", "section", "article",
                                  "pre", "dt",  "dd", "hr", "table",      "ul",      "ol"};
  for (const char* b : kBlocks) {
    if (Named(n, b)) return true;
  }
  return false;
}

void AppendText(xmlNode* node, std::string* out) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (Named(n, "script") || Named(n, "style") || Named(n, "head")) continue;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      for (const char* c = reinterpret_cast<const char*>(n->content); c && *c; ++c) {
        char ch = (*c == '\n' || *c == '\r' || *c == '\t') ? ' ' : *c;
        if (ch == ' ' && (out->empty() || out->back() == ' ' || out->back() == '\n')) continue;
        *out += ch;
      }
    }
    bool block = IsBlock(n);
    if (block && !out->empty() && out->back() != '\n') *out += '\n';
    AppendText(n->children, out);
    if (block && !out->empty() && out->back() != '\n') *out += '\n';
  }
}

int Convert(const std::string& in, const fs::path& out_dir) {
  std::setlocale(LC_ALL, "C.UTF-8");
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), in.c_str(), 1 << 16) != ARCHIVE_OK) {
    return ToolDocumentError("corrupt", "The EPUB is damaged: it is not a readable ZIP container.");
  }
  std::map<std::string, std::string> files;
  int64_t total = 0;
  archive_entry* entry = nullptr;
  for (int count = 0; archive_read_next_header(a.get(), &entry) == ARCHIVE_OK;) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (++count > kMaxMembers)
      return ToolDocumentError("resource_limit", "The EPUB has too many files.");
    if (archive_entry_is_encrypted(entry)) {
      return ToolDocumentError(
          "encrypted",
          "This EPUB is password-protected or DRM-protected; its text cannot be read.");
    }
    const char* name = archive_entry_pathname_utf8(entry);
    std::string path = name ? name : "";
    std::string data;
    char buf[65536];
    for (la_ssize_t n; (n = archive_read_data(a.get(), buf, sizeof buf)) > 0;) {
      total += n;
      if (total > kMaxUnpacked / 4)
        return ToolDocumentError("resource_limit", "The EPUB unpacks to more than 256 MB.");
      data.append(buf, static_cast<size_t>(n));
    }
    files[NormalizePath("", path)] = std::move(data);
  }
  auto read_xml = [&](const std::string& path) -> xmlDoc* {
    auto it = files.find(path);
    if (it == files.end()) return nullptr;
    return xmlReadMemory(
        it->second.data(), static_cast<int>(it->second.size()), path.c_str(), nullptr,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER);
  };
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> container(read_xml("META-INF/container.xml"),
                                                           xmlFreeDoc);
  if (!container)
    return ToolDocumentError("corrupt", "The EPUB is damaged: it has no META-INF/container.xml.");
  std::string opf_path;
  Walk(xmlDocGetRootElement(container.get()), [&](xmlNode* n) {
    if (Named(n, "rootfile") && opf_path.empty())
      opf_path = NormalizePath("", Attr(n, "full-path"));
    return true;
  });
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> opf(read_xml(opf_path), xmlFreeDoc);
  if (!opf)
    return ToolDocumentError("corrupt",
                             "The EPUB is damaged: its package document cannot be read.");
  std::string opf_dir = fs::path(opf_path).parent_path().string();
  std::map<std::string, std::string> manifest;  // id → path
  std::vector<std::string> spine;
  std::string title;
  Walk(xmlDocGetRootElement(opf.get()), [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return true;
    std::string local = reinterpret_cast<const char*>(n->name);
    if (local == "item") manifest[Attr(n, "id")] = NormalizePath(opf_dir, Attr(n, "href"));
    if (local == "itemref") spine.push_back(Attr(n, "idref"));
    if (local == "title" && title.empty()) {
      xmlChar* t = xmlNodeGetContent(n);
      title = t ? reinterpret_cast<const char*>(t) : "";
      xmlFree(t);
    }
    return true;
  });
  std::string text = title.empty() ? "" : title + "\n\n";
  int chapters = 0;
  for (const auto& idref : spine) {
    auto it = files.find(manifest[idref]);
    if (it == files.end()) continue;
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> html(
        htmlReadMemory(
            it->second.data(), static_cast<int>(it->second.size()), it->first.c_str(), "UTF-8",
            HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER),
        xmlFreeDoc);
    if (!html) continue;
    std::string chapter;
    AppendText(xmlDocGetRootElement(html.get()), &chapter);
    if (!chapter.empty()) {
      text += chapter + "\n";
      ++chapters;
    }
    std::printf("progress %d %zu\n", chapters, spine.size());
    std::fflush(stdout);
  }
  if (chapters == 0) return ToolDocumentError("corrupt", "The EPUB has no readable chapters.");
  std::ofstream out(out_dir / "book.txt", std::ios::binary | std::ios::trunc);
  out << text;
  return out ? 0 : ToolDocumentError("io", "cannot write the book's text");
}

}  // namespace

int RunEpubTool(const std::vector<std::string>& args) {
  return RunInOutTool("epub", args, Convert);
}

}  // namespace wenku::ingest
