#include "ingest/pdf_tool.hpp"

#include <malloc.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <sys/resource.h>
#include <webp/encode.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <new>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/files.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;

// Poppler's own complaints while opening, kept to explain a failure.
std::vector<std::string>& PopplerErrors() {
  static std::vector<std::string> errors;
  return errors;
}

void CollectPopplerError(const std::string& msg, void*) {
  if (PopplerErrors().size() < 20) PopplerErrors().push_back(msg);
}

int DocumentError(const std::string& code, const std::string& message) {
  return ToolDocumentError(code, message);
}

bool Contains(const std::string& haystack, const char* needle) {
  std::string h = haystack, n = needle;
  std::transform(h.begin(), h.end(), h.begin(), ::tolower);
  std::transform(n.begin(), n.end(), n.begin(), ::tolower);
  return h.find(n) != std::string::npos;
}

// Why a PDF that Poppler refused cannot be opened, in words a person understands.
int ExplainUnopenable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.find("%PDF-") == std::string::npos) {
    return DocumentError("corrupt",
                         "The file does not start like a PDF; it is damaged or not a PDF.");
  }
  in.clear();
  in.seekg(0, std::ios::end);
  auto size = static_cast<long>(in.tellg());
  long tail_len = std::min<long>(size, 2048);
  std::string tail(static_cast<size_t>(tail_len), '\0');
  in.seekg(size - tail_len);
  in.read(tail.data(), tail_len);
  std::string all_errors;
  for (const auto& e : PopplerErrors()) all_errors += e + "; ";
  if (tail.find("%%EOF") == std::string::npos) {
    return DocumentError("corrupt",
                         "The PDF is incomplete: the file ends before its end marker, so it was "
                         "probably cut off while being uploaded or copied.");
  }
  if (Contains(all_errors, "unknown filter")) {
    std::string filter;
    if (auto at = all_errors.find("filter '"); at != std::string::npos) {
      filter = all_errors.substr(at + 8, all_errors.find('\'', at + 8) - (at + 8));
    }
    return DocumentError("corrupt",
                         "The PDF is compressed with a method that is not part of the "
                         "PDF standard" +
                             (filter.empty() ? "" : " (" + filter + ")") +
                             ", so its pages cannot be read.");
  }
  if (Contains(all_errors, "pages object")) {
    return DocumentError("corrupt", "The PDF is damaged: its list of pages cannot be read.");
  }
  if (Contains(all_errors, "trailer") || Contains(all_errors, "xref")) {
    return DocumentError("corrupt",
                         "The PDF is damaged: its cross-reference table (the index of its pages) "
                         "cannot be read.");
  }
  std::string detail = PopplerErrors().empty() ? "" : " (" + PopplerErrors().front() + ")";
  return DocumentError("corrupt", "The PDF is damaged and cannot be opened" + detail + ".");
}

// Opens `path`, or returns an exit status explaining why it cannot be read.
std::unique_ptr<poppler::document> Open(const std::string& path, int* status) {
  poppler::set_debug_error_function(CollectPopplerError, nullptr);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc) {
    *status = ExplainUnopenable(path);
    return nullptr;
  }
  if (doc->is_locked()) {
    *status = DocumentError("encrypted",
                            "This PDF is password-protected: it cannot be opened without its "
                            "password. Upload a copy without a password.");
    return nullptr;
  }
  if (doc->pages() <= 0) {
    *status = ExplainUnopenable(path);
    return nullptr;
  }
  *status = 0;
  return doc;
}

// Poppler's text with the form feed it may end with removed and line ends trimmed.
std::string CleanText(const poppler::ustring& text) {
  auto bytes = text.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  std::erase(out, '\f');
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

int Text(const std::string& in, const std::string& out_path) {
  int status = 0;
  auto doc = Open(in, &status);
  if (!doc) return status;
  int n = doc->pages();
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) return DocumentError("io", "cannot write the text file");
  int unreadable = 0;
  for (int i = 0; i < n; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    nlohmann::json j;
    j["n"] = i + 1;
    if (page) {
      poppler::rectf box = page->page_rect();
      bool turned = page->orientation() == poppler::page::landscape ||
                    page->orientation() == poppler::page::seascape;
      j["w"] = std::lround(turned ? box.height() : box.width());
      j["h"] = std::lround(turned ? box.width() : box.height());
      j["text"] =
          CleanText(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
    } else {
      ++unreadable;
      j["w"] = 0;
      j["h"] = 0;
      j["text"] = "";
    }
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if ((i + 1) % 4 == 0 || i + 1 == n) {
      std::printf("progress %d %d\n", i + 1, n);
      std::fflush(stdout);
    }
  }
  out.close();
  if (!out) return DocumentError("io", "cannot write the text file");
  if (unreadable == n) return DocumentError("corrupt", "None of the PDF's pages can be read.");
  return 0;
}

bool EncodeWebp(WebPPicture* pic, int quality, const fs::path& path) {
  WebPConfig config;
  if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, static_cast<float>(quality))) return false;
  // Measured on a Chinese text page at 1000 px: method 0 encodes in 28 ms (83 KB), 18 ms
  // with a second thread; method 4 saves 20% of the bytes for 5x the time; the "text"
  // preset doubles the size.
  config.method = 0;
  config.thread_level = 0;  // pages are already encoded beside the drawing thread
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  pic->writer = WebPMemoryWrite;
  pic->custom_ptr = &writer;
  bool ok = WebPEncode(&config, pic) != 0;
  if (ok) {
    ok = WriteFileAtomic(path,
                         std::string_view(reinterpret_cast<const char*>(writer.mem), writer.size))
             .ok();
  }
  WebPMemoryWriterClear(&writer);
  return ok;
}

// Encodes page images on a second thread while the next page is drawn: drawing and WebP
// encoding cost about the same, so a single-document import uses both cores. The queue
// holds one page, so at most two page bitmaps (~4 MB each) exist at a time.
class PageEncoder {
 public:
  PageEncoder(fs::path out_dir, int quality, int cover_width, int cover_page, int last)
      : out_dir_(std::move(out_dir)),
        quality_(quality),
        cover_width_(cover_width),
        cover_page_(cover_page),
        last_(last),
        thread_([this] { Loop(); }) {}
  ~PageEncoder() { Finish(); }

  // Hands page `n` over; blocks while the previous page is still waiting. False once an
  // encode has failed.
  bool Push(int n, poppler::image img) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !pending_ || failed_; });
    if (failed_) return false;
    pending_ = true;
    n_ = n;
    img_ = std::move(img);
    cv_.notify_all();
    return true;
  }

  // Waits for the last page; false when any page failed.
  bool Finish() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return !failed_;
  }

 private:
  void Loop() {
    for (;;) {
      int n;
      poppler::image img;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return pending_ || done_; });
        if (!pending_) return;
        n = n_;
        img = std::move(img_);
      }
      bool ok = Encode(n, img);
      {
        std::lock_guard lock(mu_);
        pending_ = false;
        failed_ = failed_ || !ok;
      }
      cv_.notify_all();
      if (ok) {
        std::printf("progress %d %d\n", n, last_);
        std::fflush(stdout);
      }
    }
  }

  bool Encode(int n, const poppler::image& img) {
    WebPPicture pic;
    WebPPictureInit(&pic);
    pic.width = img.width();
    pic.height = img.height();
    pic.use_argb = 0;  // straight to YUV: no ARGB copy for the lossy encoder to convert again
    if (!WebPPictureImportBGR(&pic, reinterpret_cast<const uint8_t*>(img.const_data()),
                              img.bytes_per_row())) {
      return false;
    }
    char name[32];
    std::snprintf(name, sizeof name, "%04d.webp", n);
    bool ok = EncodeWebp(&pic, quality_, out_dir_ / name);
    if (ok && n == cover_page_ && cover_width_ > 0) {
      WebPPicture cover;
      WebPPictureInit(&cover);
      ok = WebPPictureCopy(&pic, &cover) &&
           WebPPictureRescale(&cover, cover_width_,
                              std::max(1, pic.height * cover_width_ / std::max(1, pic.width))) &&
           EncodeWebp(&cover, quality_, out_dir_ / "cover.webp");
      WebPPictureFree(&cover);
    }
    WebPPictureFree(&pic);
    return ok;
  }

  fs::path out_dir_;
  int quality_, cover_width_, cover_page_, last_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false, done_ = false, failed_ = false;
  int n_ = 0;
  poppler::image img_;
  std::thread thread_;
};

int Render(const std::string& in, const fs::path& out_dir, int first, int last, int width,
           int quality, int cover_width) {
  int status = 0;
  auto doc = Open(in, &status);
  if (!doc) return status;
  last = std::min(last, doc->pages());
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_bgr24);  // no alpha to composite
  PageEncoder encoder(out_dir, quality, cover_width, first, last);
  for (int n = first; n <= last; ++n) {
    std::unique_ptr<poppler::page> page(doc->create_page(n - 1));
    if (!page) {
      encoder.Finish();
      return DocumentError("corrupt", "Page " + std::to_string(n) + " of the PDF cannot be read.");
    }
    poppler::rectf box = page->page_rect();
    bool turned = page->orientation() == poppler::page::landscape ||
                  page->orientation() == poppler::page::seascape;
    double page_w = turned ? box.height() : box.width();
    if (page_w <= 1) page_w = 612;
    double dpi = 72.0 * width / page_w;
    poppler::image img = renderer.render_page(page.get(), dpi, dpi);
    if (!img.is_valid()) {
      encoder.Finish();
      return DocumentError("corrupt", "Page " + std::to_string(n) + " of the PDF cannot be drawn.");
    }
    if (!encoder.Push(n, std::move(img))) break;
  }
  if (!encoder.Finish()) return DocumentError("io", "cannot write a page image");
  return 0;
}

// True when a grey page has no pixel darker than light grey: an empty page.
bool IsBlank(const poppler::image& img) {
  const char* data = img.const_data();
  for (int y = 0; y < img.height(); ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(data + static_cast<ptrdiff_t>(y) *
                                                                        img.bytes_per_row());
    for (int x = 0; x < img.width(); ++x) {
      if (row[x] < 200) return false;
    }
  }
  return true;
}

// Pages as grey PNG at `dpi` for OCR, OUT_DIR/NNNN.png; "blank N" for an empty page.
int Raster(const std::string& in, const fs::path& out_dir, int dpi, const std::vector<int>& pages) {
  int status = 0;
  auto doc = Open(in, &status);
  if (!doc) return status;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  int done = 0;
  for (int n : pages) {
    std::unique_ptr<poppler::page> page(n >= 1 && n <= doc->pages() ? doc->create_page(n - 1)
                                                                    : nullptr);
    if (!page)
      return DocumentError("corrupt", "Page " + std::to_string(n) + " of the PDF cannot be read.");
    // Cap the bitmap at about 3500 px on its longer side: more adds time, not accuracy.
    poppler::rectf box = page->page_rect();
    double longest = std::max(box.width(), box.height());
    double use_dpi = std::min<double>(dpi, longest > 0 ? 3500.0 * 72.0 / longest : dpi);
    poppler::image img = renderer.render_page(page.get(), use_dpi, use_dpi);
    if (img.is_valid() && IsBlank(img)) {  // nothing to read: no PNG, no OCR
      std::printf("blank %d\n", n);
      std::printf("progress %d %zu\n", ++done, pages.size());
      std::fflush(stdout);
      continue;
    }
    char name[32];
    std::snprintf(name, sizeof name, "%04d.png", n);
    if (!img.is_valid() || !img.save((out_dir / name).string(), "png")) {
      return DocumentError("corrupt", "Page " + std::to_string(n) + " of the PDF cannot be drawn.");
    }
    std::printf("progress %d %zu\n", ++done, pages.size());
    std::fflush(stdout);
  }
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: wenku __pdf text IN OUT.jsonl\n"
               "       wenku __pdf render IN OUT_DIR FIRST LAST WIDTH QUALITY [COVER_WIDTH]\n"
               "       wenku __pdf raster IN OUT_DIR DPI PAGE...\n"
               "       wenku __pdf serve CPU_SECONDS\n");
  return 64;
}

// One command: `args` as for the cold tool. Returns its exit status (64: not a command).
int Dispatch(const std::vector<std::string>& args) {
  if (args.size() == 3 && args[0] == "text") return Text(args[1], args[2]);
  if ((args.size() == 7 || args.size() == 8) && args[0] == "render") {
    int cover = args.size() == 8 ? std::stoi(args[7]) : 0;
    return Render(args[1], args[2], std::stoi(args[3]), std::stoi(args[4]), std::stoi(args[5]),
                  std::stoi(args[6]), cover);
  }
  if (args.size() >= 5 && args[0] == "raster") {
    std::vector<int> pages;
    for (size_t i = 4; i < args.size(); ++i) pages.push_back(std::stoi(args[i]));
    return Raster(args[1], args[2], std::stoi(args[3]), pages);
  }
  return Usage();
}

// The smallest PDF with one empty page, kept open while serving (see Serve).
constexpr char kEmptyPdf[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]/Resources<<>>>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

// Gives the next command `budget` CPU seconds from now: the soft RLIMIT_CPU moves on (the
// hard limit, which the parent set, stays: the parent recycles a child before its use
// reaches it).
void GiveCpuBudget(long budget) {
  struct rusage used {};
  struct rlimit rl {};
  if (budget <= 0 || getrusage(RUSAGE_SELF, &used) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0) return;
  auto now = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec + 1);
  rlim_t soft = now + static_cast<rlim_t>(budget);
  if (rl.rlim_max != RLIM_INFINITY && soft > rl.rlim_max) soft = rl.rlim_max;
  rl.rlim_cur = soft;
  setrlimit(RLIMIT_CPU, &rl);
}

// `serve`: a warm child (pdf_pool.hpp). Reads one command a line on stdin, a JSON array of
// strings (["text", IN, OUT.jsonl], …: the cold tool's arguments), runs it, and ends it with
// one line: "ok", or the "error CODE MESSAGE" line the command printed. A line that is not a
// command, or anything that would end the cold tool otherwise (an exception, a limit, a
// crash), ends the process. Poppler's global state (GlobalParams: it lives while a document
// does, so a small one stays open) and fontconfig's are made once, not per document.
int Serve(long cpu_budget) {
  poppler::set_debug_error_function(CollectPopplerError, nullptr);
  std::unique_ptr<poppler::document> keep(
      poppler::document::load_from_raw_data(kEmptyPdf, static_cast<int>(sizeof kEmptyPdf - 1)));
  if (keep) {  // the first drawing loads fontconfig and the font engine
    std::unique_ptr<poppler::page> page(keep->create_page(0));
    poppler::page_renderer renderer;
    if (page) renderer.render_page(page.get(), 72, 72);
  }
  std::string line;
  char buf[4096];
  for (;;) {
    line.clear();
    bool got = false;
    while (std::fgets(buf, sizeof buf, stdin) != nullptr) {
      got = true;
      line += buf;
      if (!line.empty() && line.back() == '\n') break;
      if (line.size() > (1 << 20)) return Usage();
    }
    if (!got) return 0;  // the parent closed our stdin: done
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.empty()) return Usage();
    std::vector<std::string> args;
    for (const auto& a : j) {
      if (!a.is_string()) return Usage();
      args.push_back(a.get<std::string>());
    }
    PopplerErrors().clear();
    GiveCpuBudget(cpu_budget);
    int status = Dispatch(args);
    if (status == 0) {
      std::printf("ok\n");
      std::fflush(stdout);
    } else if (status != kToolDocumentError) {
      return status;
    }
    malloc_trim(0);  // a large document's freed pages go back, not to the next documents
  }
}

}  // namespace

int RunPdfTool(const std::vector<std::string>& args) {
  try {
    if (args.size() == 2 && args[0] == "serve") return Serve(std::stol(args[1]));
    return Dispatch(args);
  } catch (const std::bad_alloc&) {
    return DocumentError("resource_limit", "The PDF needs more memory to read than allowed.");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pdf tool: %s\n", e.what());
    return 3;
  }
}

}  // namespace wenku::ingest
