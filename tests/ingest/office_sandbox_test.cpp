// LibreOffice, warm and cold, on documents that link images instead of embedding them
// (tests/ingest/make_link_probes.py): a path relative to the document that climbs into the
// data folder (another document's page image), a file:// URL of an image the sandbox can see
// (/usr), and an http:// URL of a loopback listener that records every connection. Each
// document must convert, its PDF must hold no image at all, and the listener must see
// nothing. Also run as `nobody` by SandboxAsUserTest.
#include <gtest/gtest.h>
#include <filesystem>

#include "core/sandbox.hpp"
#include "ingest/office_converter.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::RunCommand;
using wenku::testing::TempDir;

class OfficeSandboxTest : public ::testing::TestWithParam<bool> {};

TEST_P(OfficeSandboxTest, LinkedImagesAreNeverLoaded) {
  const bool warm = GetParam();
  TempDir dir;
  const fs::path data = dir / "data";
  wenku::testing::LoopbackListener listener;
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/secret.png";
  // data-links: into the data folder (relative, file://) and the network: the sandbox's wall.
  // usr-links: a file the sandbox shows (/usr): the profile's (BlockUntrustedRefererLinks).
  ASSERT_TRUE(wenku::testing::MakeLinkProbes(dir.path(), data, url));

  Sandbox sandbox;
  ASSERT_TRUE(sandbox.Ready().ok()) << sandbox.Ready().error().message;
  SandboxRunner runner(sandbox);
  OfficeOptions options;
  options.profiles_dir = data / "office";
  options.profiles = 1;
  options.warm = warm;
  options.limits.timeout_ms = 120'000;
  options.limits.cpu_seconds = 120;
  options.limits.memory_mb = 3072;
  options.limits.open_files = 4096;
  OfficeConverter office(runner, sandbox, options);

  struct Probe {
    const char* folder;
    const char* name;
  };
  // RTF's INCLUDEPICTURE ignores BlockUntrustedRefererLinks in LibreOffice 7.4: only the
  // sandbox stops it, so it is probed with links into the data folder only.
  const Probe probes[] = {{"data-links", "links.html"}, {"data-links", "links.docx"},
                          {"data-links", "links.rtf"},  {"data-links", "links.odt"},
                          {"usr-links", "links.html"},  {"usr-links", "links.docx"},
                          {"usr-links", "links.odt"}};
  int n = 0;
  for (const Probe& p : probes) {
    SCOPED_TRACE(std::string(p.folder) + "/" + p.name);
    const fs::path work = data / "work" / ("job-" + std::to_string(++n));
    fs::create_directories(work);
    const std::string format = fs::path(p.name).extension().string().substr(1);
    auto pdf = office.ToPdf(dir / p.folder / p.name, format, work);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    EXPECT_EQ(wenku::testing::ImagesInPdf(*pdf), 0)
        << "an image from outside the upload was embedded";
    if (format != "html") {  // (Debian's Writer/Web exports HTML text without a text layer)
      auto text = RunCommand({"/usr/bin/pdftotext", pdf->string(), "-"});
      EXPECT_NE(text.out.find("probe"), std::string::npos) << text.out;
    }
  }
  EXPECT_EQ(listener.connections(), 0) << "a converter fetched a linked URL";
}

INSTANTIATE_TEST_SUITE_P(WarmAndCold, OfficeSandboxTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Warm" : "Cold"; });

}  // namespace
}  // namespace wenku::ingest
