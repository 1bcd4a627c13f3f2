// bench/convert_office — the corpus's Office/ODF documents through Wenku's warm LibreOffice
// pool and, in the same run, through one cold `soffice --headless --convert-to pdf` per file
// (with a profile that already exists, the cold path's best case). Prints seconds per
// document (median and mean) for both and the ratio; then the time from "upload finished"
// to the first preview page image of a 20-page DOCX with a warm pool; then OCR seconds per
// page on the corpus's 8-page Chinese scan.
//   build/bench_convert_office [CORPUS_DIR]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "core/process_runner.hpp"
#include "core/sandbox.hpp"
#include "ingest/ocr.hpp"
#include "ingest/office_pool.hpp"
#include "ingest/pdf_converter.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static double Seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

static double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

static double Mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

int main(int argc, char** argv) {
  std::string corpus = argc > 1 ? argv[1] : "../shared/corpus";
  std::string self = fs::canonical("/proc/self/exe").parent_path() / "wenku";
  spdlog::set_level(spdlog::level::warn);
  std::vector<fs::path> files;
  std::ifstream manifest(corpus + "/MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);
  const std::vector<std::string> office = {"doc",  "docx", "xls", "xlsx", "ppt",
                                           "pptx", "odt",  "ods", "odp",  "rtf"};
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cols.push_back(line.substr(start, tab - start));
    cols.push_back(line.substr(start));
    if (cols.size() < 6 || cols[5] != "normal") continue;
    if (std::find(office.begin(), office.end(), cols[1]) == office.end()) continue;
    if (cols[0] == "en-handbook-872p.docx") continue;  // 872 pages: a throughput test of its own
    files.push_back(fs::path(corpus) / cols[0]);
  }
  if (files.empty()) {
    std::fprintf(stderr, "no corpus at %s\n", corpus.c_str());
    return 1;
  }
  fs::path work = fs::temp_directory_path() / ("wenku-bench-office-" + std::to_string(getpid()));
  fs::create_directories(work);

  // The warm pool as Wenku runs it (each office in its sandbox), and, in the same run, the
  // same pool with the sandbox off: the difference is the sandbox's cost per document.
  wenku::Sandbox sandbox;
  wenku::Sandbox no_sandbox = wenku::Sandbox::Off();
  wenku::SandboxRunner runner(sandbox);
  wenku::SandboxRunner plain_runner(no_sandbox);
  auto run_pool = [&](wenku::Sandbox& box, wenku::ProcessRunner& r, const std::string& name) {
    wenku::ingest::OfficePoolOptions po;
    po.processes = 1;
    po.limits.memory_mb = 3072;
    po.limits.cpu_seconds = 600;
    po.limits.open_files = 4096;
    po.profiles_dir = work / ("profiles-" + name);
    po.runner = &r;
    po.sandbox = &box;
    wenku::ingest::OfficePool pool(po);
    // Warm up: the first document starts the office.
    fs::copy_file(files[0], work / ("warmup" + files[0].extension().string()),
                  fs::copy_options::overwrite_existing);
    auto t_start = Clock::now();
    (void)pool.ToPdf(work / ("warmup" + files[0].extension().string()), work / "warmup.pdf");
    std::printf("office start + first document (%s): %.2f s\n", name.c_str(), Seconds(t_start));
    std::vector<double> times;
    for (size_t i = 0; i < files.size(); ++i) {
      fs::path in = work / ("w" + std::to_string(i) + files[i].extension().string());
      fs::copy_file(files[i], in, fs::copy_options::overwrite_existing);
      auto t0 = Clock::now();
      wenku::Status s = pool.ToPdf(in, work / ("w" + std::to_string(i) + ".pdf"));
      times.push_back(Seconds(t0));
      if (!s.ok())
        std::printf("  warm %s: %s\n", files[i].filename().c_str(), s.error().message.c_str());
    }
    return times;
  };
  std::vector<double> warm = run_pool(sandbox, runner, "sandboxed");
  std::vector<double> warm_plain = run_pool(no_sandbox, plain_runner, "no-sandbox");
  std::vector<double> cold;
  std::string cold_profile = (work / "cold-profile").string();
  for (size_t i = 0; i < files.size(); ++i) {
    fs::path in = work / ("c" + std::to_string(i) + files[i].extension().string());
    fs::copy_file(files[i], in, fs::copy_options::overwrite_existing);
    std::string cmd =
        "soffice --headless --norestore --nologo --nodefault --nolockcheck "
        "-env:UserInstallation=file://" +
        cold_profile + " --convert-to pdf --outdir " + (work / "cold").string() + " " +
        in.string() + " > /dev/null 2>&1";
    if (i == 0) (void)std::system(cmd.c_str());  // create the profile outside the timing
    auto t0 = Clock::now();
    (void)std::system(cmd.c_str());
    cold.push_back(Seconds(t0));
  }
  std::printf("%zu Office/ODF documents, seconds per document:\n", files.size());
  std::printf("  warm pool (Wenku)     median %.3f  mean %.3f\n", Median(warm), Mean(warm));
  std::printf("  warm, sandbox off     median %.3f  mean %.3f  (sandbox cost %.1f ms a document)\n",
              Median(warm_plain), Mean(warm_plain), (Mean(warm) - Mean(warm_plain)) * 1000);
  std::printf("  cold soffice (ref.)   median %.3f  mean %.3f\n", Median(cold), Mean(cold));
  std::printf("  warm is %.1fx faster (median), %.1fx (mean)\n", Median(cold) / Median(warm),
              Mean(cold) / Mean(warm));

  // A 20-page DOCX, made by LibreOffice from text; first preview page with a warm office.
  {
    std::ofstream txt(work / "twenty.txt");
    for (int i = 0; i < 20 * 45; ++i)
      txt << "第" << i + 1 << "行：成华区教育局全力开创富有生机与活力的教育宣传工作新局面。\n";
  }
  std::string make_docx = "soffice --headless -env:UserInstallation=file://" + cold_profile +
                          " --convert-to docx --outdir " + work.string() + " " +
                          (work / "twenty.txt").string() + " > /dev/null 2>&1";
  (void)std::system(make_docx.c_str());
  wenku::ingest::OfficePoolOptions po;
  po.processes = 1;
  po.limits.memory_mb = 3072;
  po.limits.cpu_seconds = 600;
  po.limits.open_files = 4096;
  po.profiles_dir = work / "profiles-sandboxed";
  po.runner = &runner;
  po.sandbox = &sandbox;
  wenku::ingest::OfficePool pool(po);
  wenku::ingest::PdfConverter pdf(runner, self, wenku::ProcessLimits{});
  auto t0 = Clock::now();
  fs::copy_file(work / "twenty.docx", work / "upload.docx");
  wenku::Status s = pool.ToPdf(work / "upload.docx", work / "upload.pdf");
  double converted = Seconds(t0);
  wenku::Status r =
      pdf.Render(work / "upload.pdf", work / "img", 1, 1, wenku::ingest::RenderOptions{}, nullptr);
  int pages = 0;
  if (auto info = pdf.ExtractText(work / "upload.pdf", work, nullptr); info.ok())
    pages = static_cast<int>(info->size());
  std::printf(
      "20-page DOCX (%d pages as PDF): converted in %.2f s, first page image on disk %.2f s after "
      "upload%s\n",
      pages, converted, Seconds(t0) - 0, s.ok() && r.ok() ? "" : " (FAILED)");

  // OCR seconds per page.
  fs::path scan = fs::path(corpus) / "zh-scan-book-8p.pdf";
  wenku::ingest::OcrOptions oo;
  oo.limits.timeout_ms = 600'000;
  oo.limits.cpu_seconds = 600;
  wenku::ingest::Ocr ocr(runner, oo);
  auto images = pdf.Raster(scan, work / "scan", 300, {1, 2, 3, 4, 5, 6, 7, 8}, nullptr);
  auto t1 = Clock::now();
  auto texts = images.ok() ? ocr.Recognize(*images, work)
                           : wenku::Result<std::vector<std::string>>(images.error());
  std::printf("OCR (chi_sim+eng, 300 dpi, OMP_THREAD_LIMIT=1): %.2f s per page over 8 pages%s\n",
              Seconds(t1) / 8, texts.ok() ? "" : " (FAILED)");
  fs::remove_all(work);
  return 0;
}
